var tt,A,$o,Me,ho,to,qs,Qe={},go=[],Ws=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i;function $e(e,t){for(var o in t)e[o]=t[o];return e}function bo(e){var t=e.parentNode;t&&t.removeChild(e)}function yo(e,t,o){var s,r,n,a={};for(n in t)n=="key"?s=t[n]:n=="ref"?r=t[n]:a[n]=t[n];if(arguments.length>2&&(a.children=arguments.length>3?tt.call(arguments,2):o),typeof e=="function"&&e.defaultProps!=null)for(n in e.defaultProps)a[n]===void 0&&(a[n]=e.defaultProps[n]);return Je(e,a,s,r,null)}function Je(e,t,o,s,r){var n={type:e,props:t,key:o,ref:s,__k:null,__:null,__b:0,__e:null,__d:void 0,__c:null,__h:null,constructor:void 0,__v:r??++$o};return A.vnode!=null&&A.vnode(n),n}function ot(e){return e.children}function Xe(e,t){this.props=e,this.context=t}function Se(e,t){if(t==null)return e.__?Se(e.__,e.__.__k.indexOf(e)+1):null;for(var o;t<e.__k.length;t++)if((o=e.__k[t])!=null&&o.__e!=null)return o.__e;return typeof e.type=="function"?Se(e):null}function _o(e){var t,o;if((e=e.__)!=null&&e.__c!=null){for(e.__e=e.__c.base=null,t=0;t<e.__k.length;t++)if((o=e.__k[t])!=null&&o.__e!=null){e.__e=e.__c.base=o.__e;break}return _o(e)}}function oo(e){(!e.__d&&(e.__d=!0)&&Me.push(e)&&!et.__r++||to!==A.debounceRendering)&&((to=A.debounceRendering)||ho)(et)}function et(){for(var e;et.__r=Me.length;)e=Me.sort(function(t,o){return t.__v.__b-o.__v.__b}),Me=[],e.some(function(t){var o,s,r,n,a,l;t.__d&&(a=(n=(o=t).__v).__e,(l=o.__P)&&(s=[],(r=$e({},n)).__v=n.__v+1,Tt(l,n,r,o.__n,l.ownerSVGElement!==void 0,n.__h!=null?[a]:null,s,a??Se(n),n.__h),xo(s,n),n.__e!=a&&_o(n)))})}function vo(e,t,o,s,r,n,a,l,c,d){var u,p,m,h,f,I,_,P=s&&s.__k||go,q=P.length;for(o.__k=[],u=0;u<t.length;u++)if((h=o.__k[u]=(h=t[u])==null||typeof h=="boolean"?null:typeof h=="string"||typeof h=="number"||typeof h=="bigint"?Je(null,h,null,null,h):Array.isArray(h)?Je(ot,{children:h},null,null,null):h.__b>0?Je(h.type,h.props,h.key,null,h.__v):h)!=null){if(h.__=o,h.__b=o.__b+1,(m=P[u])===null||m&&h.key==m.key&&h.type===m.type)P[u]=void 0;else for(p=0;p<q;p++){if((m=P[p])&&h.key==m.key&&h.type===m.type){P[p]=void 0;break}m=null}Tt(e,h,m=m||Qe,r,n,a,l,c,d),f=h.__e,(p=h.ref)&&m.ref!=p&&(_||(_=[]),m.ref&&_.push(m.ref,null,h),_.push(p,h.__c||f,h)),f!=null?(I==null&&(I=f),typeof h.type=="function"&&h.__k!=null&&h.__k===m.__k?h.__d=c=wo(h,c,e):c=ko(e,h,m,P,f,c),d||o.type!=="option"?typeof o.type=="function"&&(o.__d=c):e.value=""):c&&m.__e==c&&c.parentNode!=e&&(c=Se(m))}for(o.__e=I,u=q;u--;)P[u]!=null&&(typeof o.type=="function"&&P[u].__e!=null&&P[u].__e==o.__d&&(o.__d=Se(s,u+1)),To(P[u],P[u]));if(_)for(u=0;u<_.length;u++)So(_[u],_[++u],_[++u])}function wo(e,t,o){var s,r;for(s=0;s<e.__k.length;s++)(r=e.__k[s])&&(r.__=e,t=typeof r.type=="function"?wo(r,t,o):ko(o,r,r,e.__k,r.__e,t));return t}function ko(e,t,o,s,r,n){var a,l,c;if(t.__d!==void 0)a=t.__d,t.__d=void 0;else if(o==null||r!=n||r.parentNode==null)e:if(n==null||n.parentNode!==e)e.appendChild(r),a=null;else{for(l=n,c=0;(l=l.nextSibling)&&c<s.length;c+=2)if(l==r)break e;e.insertBefore(r,n),a=n}return a!==void 0?a:r.nextSibling}function so(e,t,o){t[0]==="-"?e.setProperty(t,o):e[t]=o==null?"":typeof o!="number"||Ws.test(t)?o:o+"px"}function Ke(e,t,o,s,r){var n;e:if(t==="style")if(typeof o=="string")e.style.cssText=o;else{if(typeof s=="string"&&(e.style.cssText=s=""),s)for(t in s)o&&t in o||so(e.style,t,"");if(o)for(t in o)s&&o[t]===s[t]||so(e.style,t,o[t])}else if(t[0]==="o"&&t[1]==="n")n=t!==(t=t.replace(/Capture$/,"")),t=t.toLowerCase()in e?t.toLowerCase().slice(2):t.slice(2),e.l||(e.l={}),e.l[t+n]=o,o?s||e.addEventListener(t,n?ro:no,n):e.removeEventListener(t,n?ro:no,n);else if(t!=="dangerouslySetInnerHTML"){if(r)t=t.replace(/xlink[H:h]/,"h").replace(/sName$/,"s");else if(t!=="href"&&t!=="list"&&t!=="form"&&t!=="tabIndex"&&t!=="download"&&t in e)try{e[t]=o??"";break e}catch{}typeof o=="function"||(o!=null&&(o!==!1||t[0]==="a"&&t[1]==="r")?e.setAttribute(t,o):e.removeAttribute(t))}}function no(e){this.l[e.type+!1](A.event?A.event(e):e)}function ro(e){this.l[e.type+!0](A.event?A.event(e):e)}function Tt(e,t,o,s,r,n,a,l,c){var d,u,p,m,h,f,I,_,P,q,O,E=t.type;if(t.constructor!==void 0)return null;o.__h!=null&&(c=o.__h,l=t.__e=o.__e,t.__h=null,n=[l]),(d=A.__b)&&d(t);try{e:if(typeof E=="function"){if(_=t.props,P=(d=E.contextType)&&s[d.__c],q=d?P?P.props.value:d.__:s,o.__c?I=(u=t.__c=o.__c).__=u.__E:("prototype"in E&&E.prototype.render?t.__c=u=new E(_,q):(t.__c=u=new Xe(_,q),u.constructor=E,u.render=js),P&&P.sub(u),u.props=_,u.state||(u.state={}),u.context=q,u.__n=s,p=u.__d=!0,u.__h=[]),u.__s==null&&(u.__s=u.state),E.getDerivedStateFromProps!=null&&(u.__s==u.state&&(u.__s=$e({},u.__s)),$e(u.__s,E.getDerivedStateFromProps(_,u.__s))),m=u.props,h=u.state,p)E.getDerivedStateFromProps==null&&u.componentWillMount!=null&&u.componentWillMount(),u.componentDidMount!=null&&u.__h.push(u.componentDidMount);else{if(E.getDerivedStateFromProps==null&&_!==m&&u.componentWillReceiveProps!=null&&u.componentWillReceiveProps(_,q),!u.__e&&u.shouldComponentUpdate!=null&&u.shouldComponentUpdate(_,u.__s,q)===!1||t.__v===o.__v){u.props=_,u.state=u.__s,t.__v!==o.__v&&(u.__d=!1),u.__v=t,t.__e=o.__e,t.__k=o.__k,t.__k.forEach(function(z){z&&(z.__=t)}),u.__h.length&&a.push(u);break e}u.componentWillUpdate!=null&&u.componentWillUpdate(_,u.__s,q),u.componentDidUpdate!=null&&u.__h.push(function(){u.componentDidUpdate(m,h,f)})}u.context=q,u.props=_,u.state=u.__s,(d=A.__r)&&d(t),u.__d=!1,u.__v=t,u.__P=e,d=u.render(u.props,u.state,u.context),u.state=u.__s,u.getChildContext!=null&&(s=$e($e({},s),u.getChildContext())),p||u.getSnapshotBeforeUpdate==null||(f=u.getSnapshotBeforeUpdate(m,h)),O=d!=null&&d.type===ot&&d.key==null?d.props.children:d,vo(e,Array.isArray(O)?O:[O],t,o,s,r,n,a,l,c),u.base=t.__e,t.__h=null,u.__h.length&&a.push(u),I&&(u.__E=u.__=null),u.__e=!1}else n==null&&t.__v===o.__v?(t.__k=o.__k,t.__e=o.__e):t.__e=Gs(o.__e,t,o,s,r,n,a,c);(d=A.diffed)&&d(t)}catch(z){t.__v=null,(c||n!=null)&&(t.__e=l,t.__h=!!c,n[n.indexOf(l)]=null),A.__e(z,t,o)}}function xo(e,t){A.__c&&A.__c(t,e),e.some(function(o){try{e=o.__h,o.__h=[],e.some(function(s){s.call(o)})}catch(s){A.__e(s,o.__v)}})}function Gs(e,t,o,s,r,n,a,l){var c,d,u,p=o.props,m=t.props,h=t.type,f=0;if(h==="svg"&&(r=!0),n!=null){for(;f<n.length;f++)if((c=n[f])&&(c===e||(h?c.localName==h:c.nodeType==3))){e=c,n[f]=null;break}}if(e==null){if(h===null)return document.createTextNode(m);e=r?document.createElementNS("http://www.w3.org/2000/svg",h):document.createElement(h,m.is&&m),n=null,l=!1}if(h===null)p===m||l&&e.data===m||(e.data=m);else{if(n=n&&tt.call(e.childNodes),d=(p=o.props||Qe).dangerouslySetInnerHTML,u=m.dangerouslySetInnerHTML,!l){if(n!=null)for(p={},f=0;f<e.attributes.length;f++)p[e.attributes[f].name]=e.attributes[f].value;(u||d)&&(u&&(d&&u.__html==d.__html||u.__html===e.innerHTML)||(e.innerHTML=u&&u.__html||""))}if((function(I,_,P,q,O){var E;for(E in P)E==="children"||E==="key"||E in _||Ke(I,E,null,P[E],q);for(E in _)O&&typeof _[E]!="function"||E==="children"||E==="key"||E==="value"||E==="checked"||P[E]===_[E]||Ke(I,E,_[E],P[E],q)})(e,m,p,r,l),u)t.__k=[];else if(f=t.props.children,vo(e,Array.isArray(f)?f:[f],t,o,s,r&&h!=="foreignObject",n,a,n?n[0]:o.__k&&Se(o,0),l),n!=null)for(f=n.length;f--;)n[f]!=null&&bo(n[f]);l||("value"in m&&(f=m.value)!==void 0&&(f!==e.value||h==="progress"&&!f)&&Ke(e,"value",f,p.value,!1),"checked"in m&&(f=m.checked)!==void 0&&f!==e.checked&&Ke(e,"checked",f,p.checked,!1))}return e}function So(e,t,o){try{typeof e=="function"?e(t):e.current=t}catch(s){A.__e(s,o)}}function To(e,t,o){var s,r;if(A.unmount&&A.unmount(e),(s=e.ref)&&(s.current&&s.current!==e.__e||So(s,null,t)),(s=e.__c)!=null){if(s.componentWillUnmount)try{s.componentWillUnmount()}catch(n){A.__e(n,t)}s.base=s.__P=null}if(s=e.__k)for(r=0;r<s.length;r++)s[r]&&To(s[r],t,typeof e.type!="function");o||e.__e==null||bo(e.__e),e.__e=e.__d=void 0}function js(e,t,o){return this.constructor(e,o)}function Ct(e,t,o){var s,r,n;A.__&&A.__(e,t),r=(s=typeof o=="function")?null:o&&o.__k||t.__k,n=[],Tt(t,e=(!s&&o||t).__k=yo(ot,null,[e]),r||Qe,Qe,t.ownerSVGElement!==void 0,!s&&o?[o]:r?null:t.firstChild?tt.call(t.childNodes):null,n,!s&&o?o:r?r.__e:t.firstChild,s),xo(n,e)}tt=go.slice,A={__e:function(e,t){for(var o,s,r;t=t.__;)if((o=t.__c)&&!o.__)try{if((s=o.constructor)&&s.getDerivedStateFromError!=null&&(o.setState(s.getDerivedStateFromError(e)),r=o.__d),o.componentDidCatch!=null&&(o.componentDidCatch(e),r=o.__d),r)return o.__E=o}catch(n){e=n}throw e}},$o=0,Xe.prototype.setState=function(e,t){var o;o=this.__s!=null&&this.__s!==this.state?this.__s:this.__s=$e({},this.state),typeof e=="function"&&(e=e($e({},o),this.props)),e&&$e(o,e),e!=null&&this.__v&&(t&&this.__h.push(t),oo(this))},Xe.prototype.forceUpdate=function(e){this.__v&&(this.__e=!0,e&&this.__h.push(e),oo(this))},Xe.prototype.render=ot,Me=[],ho=typeof Promise=="function"?Promise.prototype.then.bind(Promise.resolve()):setTimeout,et.__r=0,qs=0;var Oe,ee,io,De=0,xt=[],ao=A.__b,lo=A.__r,co=A.diffed,uo=A.__c,mo=A.unmount;function st(e,t){A.__h&&A.__h(ee,e,De||t),De=0;var o=ee.__H||(ee.__H={__:[],__h:[]});return e>=o.__.length&&o.__.push({}),o.__[e]}function $(e){return De=1,zs(Co,e)}function zs(e,t,o){var s=st(Oe++,2);return s.t=e,s.__c||(s.__=[o?o(t):Co(void 0,t),function(r){var n=s.t(s.__[0],r);s.__[0]!==n&&(s.__=[n,s.__[1]],s.__c.setState({}))}],s.__c=ee),s.__}function D(e,t){var o=st(Oe++,3);!A.__s&&Rt(o.__H,t)&&(o.__=e,o.__H=t,ee.__H.__h.push(o))}function ve(e,t){var o=st(Oe++,4);!A.__s&&Rt(o.__H,t)&&(o.__=e,o.__H=t,ee.__h.push(o))}function G(e){return De=5,Et(function(){return{current:e}},[])}function Et(e,t){var o=st(Oe++,7);return Rt(o.__H,t)&&(o.__=e(),o.__H=t,o.__h=e),o.__}function nt(e,t){return De=8,Et(function(){return e},t)}function Vs(){xt.forEach(function(e){if(e.__P)try{e.__H.__h.forEach(Ze),e.__H.__h.forEach(St),e.__H.__h=[]}catch(t){e.__H.__h=[],A.__e(t,e.__v)}}),xt=[]}A.__b=function(e){ee=null,ao&&ao(e)},A.__r=function(e){lo&&lo(e),Oe=0;var t=(ee=e.__c).__H;t&&(t.__h.forEach(Ze),t.__h.forEach(St),t.__h=[])},A.diffed=function(e){co&&co(e);var t=e.__c;t&&t.__H&&t.__H.__h.length&&(xt.push(t)!==1&&io===A.requestAnimationFrame||((io=A.requestAnimationFrame)||function(o){var s,r=function(){clearTimeout(n),po&&cancelAnimationFrame(s),setTimeout(o)},n=setTimeout(r,100);po&&(s=requestAnimationFrame(r))})(Vs)),ee=void 0},A.__c=function(e,t){t.some(function(o){try{o.__h.forEach(Ze),o.__h=o.__h.filter(function(s){return!s.__||St(s)})}catch(s){t.some(function(r){r.__h&&(r.__h=[])}),t=[],A.__e(s,o.__v)}}),uo&&uo(e,t)},A.unmount=function(e){mo&&mo(e);var t=e.__c;if(t&&t.__H)try{t.__H.__.forEach(Ze)}catch(o){A.__e(o,t.__v)}};var po=typeof requestAnimationFrame=="function";function Ze(e){var t=ee;typeof e.__c=="function"&&e.__c(),ee=t}function St(e){var t=ee;e.__c=e.__(),ee=t}function Rt(e,t){return!e||e.length!==t.length||t.some(function(o,s){return o!==e[s]})}function Co(e,t){return typeof t=="function"?t(e):t}var Eo=function(e,t,o,s){var r;t[0]=0;for(var n=1;n<t.length;n++){var a=t[n++],l=t[n]?(t[0]|=a?1:2,o[t[n++]]):t[++n];a===3?s[0]=l:a===4?s[1]=Object.assign(s[1]||{},l):a===5?(s[1]=s[1]||{})[t[++n]]=l:a===6?s[1][t[++n]]+=l+"":a?(r=e.apply(l,Eo(e,l,o,["",null])),s.push(r),l[0]?t[0]|=2:(t[n-2]=0,t[n]=r)):s.push(l)}return s},fo=new Map,i=(function(e){var t=fo.get(this);return t||(t=new Map,fo.set(this,t)),(t=Eo(this,t.get(e)||(t.set(e,t=(function(o){for(var s,r,n=1,a="",l="",c=[0],d=function(m){n===1&&(m||(a=a.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?c.push(0,m,a):n===3&&(m||a)?(c.push(3,m,a),n=2):n===2&&a==="..."&&m?c.push(4,m,0):n===2&&a&&!m?c.push(5,0,!0,a):n>=5&&((a||!m&&n===5)&&(c.push(n,0,a,r),n=6),m&&(c.push(n,m,0,r),n=6)),a=""},u=0;u<o.length;u++){u&&(n===1&&d(),d(u));for(var p=0;p<o[u].length;p++)s=o[u][p],n===1?s==="<"?(d(),c=[c],n=3):a+=s:n===4?a==="--"&&s===">"?(n=1,a=""):a=s+a[0]:l?s===l?l="":a+=s:s==='"'||s==="'"?l=s:s===">"?(d(),n=1):n&&(s==="="?(n=5,r=a,a=""):s==="/"&&(n<5||o[u][p+1]===">")?(d(),n===3&&(c=c[0]),n=c,(c=c[0]).push(2,0,n),n=0):s===" "||s==="	"||s===`
`||s==="\r"?(d(),n=2):a+=s),n===3&&a==="!--"&&(n=4,c=c[0])}return d(),c})(e)),t),arguments,[])).length>1?t:t[0]}).bind(yo);function oe(e){let t=e,o=new Set;return{get:()=>t,set(s){t=typeof s=="function"?s(t):{...t,...s};for(let r of[...o])r(t)},subscribe(s){return o.add(s),()=>o.delete(s)}}}function C(e){let[t,o]=$(e.get());return D(()=>(o(e.get()),e.subscribe(o)),[e]),t}function Ft(e){let t=decodeURI(e.replace(/^#/,""))||"/",[o,s=""]=t.split("?");return{path:o.startsWith("/")?o:`/${o}`,query:new URLSearchParams(s)}}var ce=oe(Ft(location.hash));window.addEventListener("hashchange",()=>ce.set(Ft(location.hash)));function K(e){location.hash===`#${e}`?ce.set(Ft(location.hash)):location.hash=e}function Ro(e,t){let o=t.split("/").filter(Boolean);for(let s of e){let r=s.path.split("/").filter(Boolean);if(r.length!==o.length)continue;let n={};if(r.every((l,c)=>l.startsWith(":")?(n[l.slice(1)]=decodeURIComponent(o[c]),!0):l===o[c]))return{entry:s,params:n}}return null}var Ks=new Date().getFullYear();function he(e,{time:t=!0}={}){if(!e)return"";let o=new Date(e);if(Number.isNaN(o.getTime()))return"";let s={day:"numeric",month:"short"};return o.getFullYear()!==Ks&&(s.year="numeric"),t&&Object.assign(s,{hour:"2-digit",minute:"2-digit"}),new Intl.DateTimeFormat(void 0,s).format(o)}function At(e){if(!e)return"";let t=new Date(e);return Number.isNaN(t.getTime())?"":new Intl.DateTimeFormat(void 0,{dateStyle:"full",timeStyle:"short"}).format(t)}var Te=6e4,Lt=60*Te;function Nt(e){return new Date(e.getFullYear(),e.getMonth(),e.getDate()).getTime()}function Fo(e,t=Date.now()){if(!e)return"";let o=new Date(e),s=o.getTime();if(Number.isNaN(s))return"";let r=t-s;if(r<-Te)return he(e);if(r<Te)return"just now";if(r<Lt)return`${Math.floor(r/Te)} min ago`;let n=Nt(new Date(t)),a=Math.floor(r/Lt);return s>=n||a<6?a===1?"1 hour ago":`${a} hours ago`:Nt(o)===Nt(new Date(n-12*Lt))?"yesterday":he(e,{time:!1})}var It=oe({now:Date.now()});function Lo(){It.set({now:Date.now()})}function No(){setTimeout(()=>{Lo(),No()},Te-Date.now()%Te+50)}typeof window<"u"&&(No(),document.addEventListener("visibilitychange",()=>{document.visibilityState==="visible"&&Lo()}));function ue(e){let[t,o]=String(e||"").split("-").map(Number);if(!t||!o)return e||"";let s=new Date(Date.UTC(t,o-1,1));return new Intl.DateTimeFormat(void 0,{month:"long",year:"numeric",timeZone:"UTC"}).format(s)}function Y(e,t,o=`${t}s`){return`${e} ${e===1?t:o}`}function Ao(e){return(e||"?").replace(/[^a-z0-9]/gi,"").slice(0,2)||"?"}function Io(e){let t=String(e).replace(/([a-z])([A-Z])/g,"$1 $2").replace(/[_.]+/g," ").trim().toLowerCase();return t.charAt(0).toUpperCase()+t.slice(1)}function Be(e){let t=String(e||"");return t.charAt(0).toUpperCase()+t.slice(1)}function He(e){let t=o=>String(o).padStart(2,"0");return`${e.getFullYear()}-${t(e.getMonth()+1)}-${t(e.getDate())}T${t(e.getHours())}:${t(e.getMinutes())}`}function Ue(e){if(!e)return e;let t=new Date(e);return Number.isNaN(t.getTime())?e:t.toISOString()}function Pt(e){let t=2166136261;for(let o of String(e))t^=o.codePointAt(0),t=Math.imul(t,16777619);return t>>>0}var Js=[[/^Field required$/i,()=>"This field is required"],[/^String should have at least 1 character$/i,()=>"This field is required"],[/^String should have at least (\d+) characters?$/i,e=>`Use at least ${e[1]} characters`],[/^String should have at most (\d+) characters?$/i,e=>`Use at most ${e[1]} characters`],[/^List should have at most (\d+) items?.*$/i,e=>`Choose at most ${e[1]}`],[/^Input should be a valid integer.*$/i,()=>"Enter a whole number"],[/^Input should be a valid number.*$/i,()=>"Enter a number"],[/^Input should be greater than or equal to (\S+)$/i,e=>`Must be at least ${e[1]}`],[/^Input should be less than or equal to (\S+)$/i,e=>`Must be at most ${e[1]}`],[/^Input should be a valid (datetime|date).*$/i,()=>"Enter a date and time"],[/^Input should be a valid boolean.*$/i,()=>"Choose yes or no"],[/^value is not a valid email address.*$/i,()=>"Enter a valid email address"],[/^is (.*)$/i,e=>Be(e[1])]];function Po(e){let t=String(e||"").trim();for(let[o,s]of Js){let r=t.match(o);if(r)return s(r)}return Be(t)}function Xs(e){let t=String(e||"").split(".");return["body","query","path"].includes(t[0])&&t.shift(),t.join(".")}var M=class extends Error{constructor(t,o={},s=null){super(o.message||`Request failed (${t})`),this.name="ApiError",this.status=t,this.code=o.code||"error",this.details=Array.isArray(o.details)?o.details:[],this.retryAfter=s&&Number(s.get("Retry-After"))||null,this.fields={},this.rawFields={};for(let r of this.details){let n=Xs(r.field);n in this.fields||(this.fields[n]=Po(r.message),this.rawFields[n]=String(r.message||""))}}get summary(){return this.status===0?"Can't reach Agora right now. Check your connection and try again.":this.status===429?`You're doing that too often. Try again${this.retryAfter?` in ${this.retryAfter} seconds`:" in a moment"}.`:this.code==="session_ended"?"Your session has ended. Please log in again.":this.status===401&&["unauthorized","invalid_token","token_expired"].includes(this.code)?"Please log in to do that.":this.status>=500&&this.status!==503?"Something went wrong on our side. Please try again.":this.status===422&&this.details.length?"Please correct the highlighted fields.":Be(this.message)}};function rt(){return new M(0,{code:"network",message:"network error"})}function Mo(e,t=[],o={}){if(!(e instanceof M))return{fields:{},summary:`Something went wrong: ${(e==null?void 0:e.message)||e}`};let s={},r=[],n=l=>Po(l.replace(/^Value error, /,"").replace(/\w+/g,c=>o[c]||c));for(let[l,c]of Object.entries(e.fields))if(t.includes(l)&&o[l]){let d=n(e.rawFields[l]);s[l]=/^Must /.test(d)?Be(`${o[l]} ${d[0].toLowerCase()}${d.slice(1)}`):d}else t.includes(l)?s[l]=c:l===""?r.push(n(e.rawFields[l])):r.push(`${o[l]||Io(l)}: ${c}`);let a=null;return r.length?a=r.join(". "):Object.keys(s).length?a=Object.keys(s).length>1?"Please correct the highlighted fields.":null:a=e.summary,{fields:s,summary:a}}var Ot="agora.session",Zs="agora-token-refresh",Do=6e4,Mt=new Set,it=null,Dt=null;function Z(){try{let e=JSON.parse(localStorage.getItem(Ot));return e&&e.token&&e.refresh_token?e:null}catch{return null}}function Bt(e){let t={token:e.token,refresh_token:e.refresh_token,expires_at:Date.now()+Number(e.expires_in||900)*1e3,user_id:String(e.user_id),username:e.username};return localStorage.setItem(Ot,JSON.stringify(t)),Ye(),t}function at(){localStorage.removeItem(Ot),clearTimeout(Dt)}function Oo(e){return Mt.add(e),()=>Mt.delete(e)}function Qs(){at();for(let e of[...Mt])e()}function en(e){return navigator.locks&&navigator.locks.request?navigator.locks.request(Zs,e):e()}async function tn(e){let t=Z();if(!t)throw new M(401,{code:"session_ended",message:"Session ended"});if(e&&t.token!==e)return t;let o;try{o=await fetch("/api/users/refresh",{method:"POST",headers:{"Content-Type":"application/json",Accept:"application/json"},body:JSON.stringify({refresh_token:t.refresh_token})})}catch{throw rt()}let s=await o.json().catch(()=>({}));if(o.status===401||o.status===403)throw Qs(),new M(401,{code:"session_ended",message:"Session ended"});if(!o.ok)throw new M(o.status,s.error,o.headers);return Bt(s)}function Ce(e){return it||(it=en(()=>tn(e)).finally(()=>{it=null})),it}async function lt(){let e=Z();if(!e)return null;if(e.expires_at-Date.now()>15e3)return e;try{return await Ce(e.token)}catch(t){return t.code==="session_ended"?null:e}}function Ye(){clearTimeout(Dt);let e=Z();if(!e)return;let t=Math.max(e.expires_at-Date.now()-Do,5e3);Dt=setTimeout(async()=>{let o=Z();o&&(o.expires_at-Date.now()<=Do&&await Ce(o.token).catch(()=>null),Ye())},t)}function Bo(e,{method:t,body:o,token:s,signal:r,base:n}){let a={Accept:"application/json"};return o!==void 0&&(a["Content-Type"]="application/json"),s&&(a.Authorization=`Bearer ${s}`),fetch(`${n}${e}`,{method:t,headers:a,body:o===void 0?void 0:JSON.stringify(o),signal:r,cache:"no-cache"})}async function ge(e,{method:t="GET",body:o,auth:s=!0,signal:r,base:n="/api"}={}){let a=s?await lt():null,l;try{l=await Bo(e,{method:t,body:o,token:a==null?void 0:a.token,signal:r,base:n}),l.status===401&&a&&(a=await Ce(a.token),l=await Bo(e,{method:t,body:o,token:a.token,signal:r,base:n}))}catch(d){throw d instanceof M||d.name==="AbortError"?d:rt()}if(l.status===204)return null;let c=await l.json().catch(()=>null);if(!l.ok)throw new M(l.status,(c==null?void 0:c.error)||{message:l.statusText},l.headers);return c}var b=(e,t)=>ge(e,t),x=(e,t,o)=>ge(e,{...o,method:"POST",body:t}),ct=(e,t,o)=>ge(e,{...o,method:"PUT",body:t}),ut=(e,t,o)=>ge(e,{...o,method:"PATCH",body:t}),se=(e,t,o)=>ge(e,{...o,method:"DELETE",body:t});var dt=oe({items:[]}),on=1;function Ht(e){dt.set(t=>({items:t.items.filter(o=>o.id!==e)}))}function v(e,{kind:t="info",ms:o=3500}={}){let s=on++;dt.set(r=>({items:[...r.items,{id:s,text:e,kind:t}].slice(-4)})),setTimeout(()=>Ht(s),o)}var sn="agora.session",S=oe({status:"loading",user:null}),J=e=>(e==null?void 0:e.role)==="admin",mt=e=>(e==null?void 0:e.role)==="admin"||(e==null?void 0:e.role)==="feeder";async function Ut(){if(!Z())return S.set({status:"anonymous",user:null}),null;try{let e=await b("/users/profile");return S.set({status:"ready",user:e}),e}catch(e){if(e instanceof M&&e.status===401)return at(),S.set({status:"anonymous",user:null}),null;let t=Z();return S.set({status:"ready",user:{user_id:t.user_id,userId:t.user_id,username:t.username}}),null}}async function Yt(e,t){let o=e.includes("@")?"email":"username",s=await x("/users/login",{[o]:e,password:t},{auth:!1});return Bt(s),Ut()}async function Ho({username:e,email:t,password:o}){let s={username:e,password:o};return t&&(s.email=t),await x("/users/register",s,{auth:!1}),Yt(e,o)}async function pt(){let e=Z();at(),S.set({status:"anonymous",user:null}),e&&await x("/users/logout",{refresh_token:e.refresh_token},{auth:!1}).catch(()=>null)}function qt(e){S.set(t=>({...t,user:{...t.user,...e}}))}function Uo(){return Oo(()=>{S.set({status:"anonymous",user:null}),v("Your session has ended. Please log in again.")}),window.addEventListener("storage",e=>{if(e.key!==sn&&e.key!==null)return;let t=Z(),o=S.get().user;t?!o||String(o.user_id)!==String(t.user_id)?Ut():Ye():o&&S.set({status:"anonymous",user:null})}),Ye(),Ut()}var Fe=oe({channels:{},recoveries:0}),nn=new Set([1008,4400,4403,4404,4410]),rn=4401,an=25e3,ln=600,cn=15e3,un=1;function be(e,t){Fe.set(o=>{let s={...o.channels};return t===null?delete s[e]:s[e]=t,{...o,channels:s}})}function ft(e){let t=Object.values(e);return t.length?t.includes("reconnecting")?"reconnecting":t.includes("connecting")?"connecting":"live":"idle"}var Re=class{constructor({path:t,params:o=()=>({}),auth:s="required",onFrame:r,onFinal:n,onOpen:a}){this.id=un++,this.path=t,this.params=o,this.auth=s,this.onFrame=r,this.onFinal=n,this.onOpen=a,this.ws=null,this.position=null,this.attempt=0,this.unauthorizedInARow=0,this.wasLive=!1,this.stopped=!0,this.retryTimer=null,this.pingTimer=null,this.sentToken=null,this.handleOnline=()=>this.retryNow()}start(){this.stopped=!1,window.addEventListener("online",this.handleOnline),this.connect()}stop(){this.stopped=!0,window.removeEventListener("online",this.handleOnline),clearTimeout(this.retryTimer),clearInterval(this.pingTimer);let t=this.ws;this.ws=null,t&&t.readyState<=WebSocket.OPEN&&t.close(1e3,"leaving"),be(this.id,null)}resetPosition(){this.position=null}send(t){return this.ws&&this.ws.readyState===WebSocket.OPEN?(this.ws.send(JSON.stringify(t)),!0):!1}async connect(){var n;if(this.stopped)return;be(this.id,this.wasLive?"reconnecting":"connecting");let t=new URLSearchParams;for(let[a,l]of Object.entries(this.params()||{}))l!=null&&l!==""&&t.set(a,String(l));let o=this.auth==="none"?null:await lt();if(this.stopped)return;if(o){let a;try{({ticket:a}=await x("/users/socket-ticket"))}catch(l){if(this.stopped)return;if(l.code==="session_ended"){be(this.id,null);return}this.closed(1006,"no ticket");return}if(this.stopped)return;t.set("ticket",a)}else if(this.auth==="required"){be(this.id,null);return}this.sentToken=((n=Z())==null?void 0:n.token)||null,this.position&&(t.set("since",String(this.position.offset)),t.set("epoch",this.position.epoch));let s=location.protocol==="https:"?"wss:":"ws:",r=new WebSocket(`${s}//${location.host}/api${this.path}?${t}`);this.ws=r,r.onopen=()=>{if(this.ws!==r)return;let a=this.wasLive&&this.attempt>0&&this.unauthorizedInARow===0;this.wasLive=!0,this.attempt=0,be(this.id,"live"),clearInterval(this.pingTimer),this.pingTimer=setInterval(()=>this.send({type:"ping"}),an),a&&Fe.set(l=>({...l,recoveries:l.recoveries+1})),this.onOpen&&this.onOpen({recovered:a})},r.onmessage=a=>{if(this.ws!==r)return;let l;try{l=JSON.parse(a.data)}catch{return}typeof l.offset=="number"&&typeof l.epoch=="string"&&(this.position={offset:l.offset,epoch:l.epoch}),this.unauthorizedInARow=0,l.type!=="pong"&&this.onFrame(l)},r.onclose=a=>{this.ws===r&&(this.ws=null,clearInterval(this.pingTimer),this.stopped||this.closed(a.code,a.reason))}}async closed(t,o){if(nn.has(t)){be(this.id,null),this.onFinal&&this.onFinal(t,o);return}if(be(this.id,"reconnecting"),this.wasLive=!0,t===rn&&this.unauthorizedInARow===0&&Z()){this.unauthorizedInARow+=1;try{await Ce(this.sentToken)}catch(n){if(n.code==="session_ended"){be(this.id,null);return}}this.attempt+=1,this.connect();return}let r=Math.min(ln*2**this.attempt,cn)*(.75+Math.random()*.5);this.attempt+=1,clearTimeout(this.retryTimer),this.retryTimer=setTimeout(()=>this.connect(),r)}retryNow(){this.stopped||this.ws||(clearTimeout(this.retryTimer),this.connect())}},dn=1500,Ee=null,we=null;function mn(){we=null;let e=Fe.get();if(!Ee||ft(e.channels)!=="live")return;let t=e.recoveries>Ee.recoveriesBefore;Ee=null,t&&v("Reconnected \u2014 you are live again.",{kind:"success"})}Fe.subscribe(e=>{let t=ft(e.channels);if(t==="reconnecting"){Ee||(Ee={recoveriesBefore:e.recoveries}),clearTimeout(we),we=null;return}if(Ee){if(t!=="live"){clearTimeout(we),we=null;return}we||(we=setTimeout(mn,dn))}});var re=oe({unread:0,items:[],loaded:!1,rings:0}),qe=null,Le=null,$t=[];async function pn(){return Le||(Le=(async()=>{try{let e=await b("/notifications?limit=50");re.set({unread:e.unread_count,items:e.data,loaded:!0});let t=new Set(e.data.map(s=>s.notification_id)),o=$t.filter(s=>!t.has(s.notification.notification_id));$t=[],o.forEach(Yo)}catch{re.set({loaded:!0})}finally{Le=null}})(),Le)}function Yo(e){let t=e.notification;re.set(o=>{if(o.items.some(n=>n.notification_id===t.notification_id))return o;let s=[t,...o.items.filter(n=>n.notification_id!==e.replaces)],r=o.unread+(t.read||e.replaces?0:1);return{...o,items:s,unread:r,rings:o.rings+1}}),v(t.message)}function fn(e){e.type==="notification"&&e.notification?Le?$t.push(e):Yo(e):(e.type==="ready"||e.type==="reload")&&(!re.get().loaded||e.type==="reload")&&pn()}function qo(){Wt(),qe=new Re({path:"/notifications/ws",auth:"required",onFrame:fn}),qe.start()}function Wt(){qe&&qe.stop(),qe=null,$t=[],re.set({unread:0,items:[],loaded:!1,rings:0})}async function Wo(e){let t=await x(`/notifications/${e}/read`);re.set(o=>({...o,unread:t.unread_count,items:o.items.map(s=>s.notification_id===e?t.data:s)}))}async function Go(){await x("/notifications/read-all"),re.set(e=>({...e,unread:0,items:e.items.map(t=>({...t,read:!0}))}))}var Gt=!1;ce.subscribe(()=>{Gt=!0});function jo(e){Gt&&e&&(Gt=!1,e.focus({preventScroll:!0}))}function F({title:e,subtitle:t,crumbs:o,children:s}){let r=G(null);return D(()=>{document.title=typeof e=="string"?`${e} \xB7 Agora`:"Agora"},[e]),D(()=>jo(r.current),[]),i`
    <header class="page-head">
      <div>
        ${o&&i`<nav class="crumbs" aria-label="Breadcrumb">${o}</nav>`}
        <h1 tabindex="-1" data-page-title ref=${r}>${e}</h1>
        ${t&&i`<p>${t}</p>`}
      </div>
      ${s&&i`<div class="row">${s}</div>`}
    </header>
  `}function g({title:e,level:t=2,actions:o,children:s,class:r="",label:n}){let a=`h${t}`,l=n||void 0;return i`
    <section class=${`card ${r}`} aria-labelledby=${l}>
      ${e&&i`<div class="card-head">
        <${a} id=${l}>${e}<//>
        ${o&&i`<div class="row">${o}</div>`}
      </div>`}
      ${s}
    </section>
  `}function de({text:e="Loading\u2026"}){return i`<p class="loading" role="status">${e}</p>`}function R({children:e}){return i`<p class="empty">${e}</p>`}function me({error:e,retry:t}){let o=e instanceof M?e.summary:"Something went wrong.";return i`
    <div class="form-error" role="alert">
      ${o} ${t&&i`<button class="link-btn" type="button" onClick=${t}>Try again</button>`}
    </div>
  `}function T({resource:e,children:t,loadingText:o}){return e.data===void 0?e.error?i`<${me} error=${e.error} retry=${e.reload} />`:i`<${de} text=${o} />`:t(e.data)}function V({kind:e="",children:t}){return i`<span class=${`badge ${e?`badge-${e}`:""}`}>${t}</span>`}function L({iso:e,time:t=!0,relative:o=!0}){return!t||!o?i`<time datetime=${e} title=${At(e)}>${he(e,{time:t})}</time>`:i`<${$n} iso=${e} />`}function $n({iso:e}){C(It);let t=Date.now();return i`<time datetime=${e} title=${At(e)} data-relative>${Fo(e,t)}</time>`}function pe({name:e,src:t,large:o=!1}){return i`
    <span class=${`avatar ${o?"avatar-lg":""}`} aria-hidden="true">
      ${t?i`<img src=${t} alt="" />`:Ao(e)}
    </span>
  `}function ne({id:e,name:t,src:o,children:s}){return i`
    <span class="person">
      <${pe} name=${t} src=${o} />
      <span>
        ${e?i`<a href=${`#/users/${e}`}>${t}</a>`:i`<strong>${t}</strong>`}
        ${s}
      </span>
    </span>
  `}function ye({value:e,label:t}){let o=Number(e||0),s=t||(e==null?"Not rated yet":`${o.toFixed(1)} out of 5`),r=n=>o>=n-.25?"":o>=n-.75?"half":"off";return i`
    <span class="stars" role="img" aria-label=${s}>
      ${[1,2,3,4,5].map(n=>i`<span class=${r(n)}>★</span>`)}
    </span>
  `}function W({children:e="to take part"}){let t=encodeURIComponent(location.hash.replace(/^#/,"")||"/");return i`
    <p class="empty">
      <a href=${`#/login?next=${t}`}>Log in</a> or <a href=${`#/signup?next=${t}`}>sign up</a>
      ${" "}${e}.
    </p>
  `}function ht({label:e,question:t,onConfirm:o,busy:s=!1}){let[r,n]=$(!1),a=G(null),l=G(null),c=G(!0);return D(()=>{var d;if(c.current){c.current=!1;return}(d=(r?a:l).current)==null||d.focus()},[r]),r?i`
    <span class="confirm-delete small" role="group" aria-label=${t}>
      <span>${t}</span>
      <button class="link-btn small danger" type="button" ref=${a}
        onClick=${()=>{n(!1),o()}}>Yes, delete</button>
      <button class="link-btn small" type="button" onClick=${()=>n(!1)}>Keep it</button>
    </span>
  `:i`<button class="link-btn small" type="button" ref=${l} aria-label=${e} disabled=${s}
      onClick=${()=>n(!0)}>Delete</button>`}var hn=[.5,1,1.5,2,2.5,3,3.5,4,4.5,5];function gn(e){return e===.5?"Half a star":e===1?"1 star":`${e} stars`}function bn(){return i`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
    <path d="M12 1.8l3.1 6.6 7.2.9-5.3 5 1.4 7.1L12 17.9l-6.4 3.5L7 14.3l-5.3-5 7.2-.9z" />
  </svg>`}function zo({id:e,name:t="rating",label:o,value:s,onChange:r,error:n,hint:a}){let[l,c]=$(null),d=Number(s)||0,u=l??d,p=[a&&`${e}-hint`,n&&`${e}-error`].filter(Boolean).join(" ")||void 0;return i`
    <fieldset class="field star-rating" id=${e} aria-describedby=${p} data-testid="star-rating">
      <legend>${o}</legend>
      <div class="star-rating-row">
        <div class="star-options" onMouseLeave=${()=>c(null)}>
          ${hn.map(m=>{let h=`${e}-${m*2}`,f=m%1?"left":"right";return i`
              <span class=${`star-option ${f} ${u>=m?"on":""}`} key=${m}
                onMouseEnter=${()=>c(m)}>
                <input type="radio" id=${h} name=${t} value=${String(m)} checked=${d===m}
                  aria-invalid=${n?"true":void 0}
                  onChange=${()=>r(String(m))} />
                <label for=${h}><span class="visually-hidden">${gn(m)}</span><${bn} /></label>
              </span>
            `})}
        </div>
        <span class="star-rating-value" aria-hidden="true" data-testid="rating-value">
          ${d?`${d.toFixed(1)} / 5`:"Not rated yet"}
        </span>
      </div>
      ${a&&i`<span class="hint" id=${`${e}-hint`}>${a}</span>`}
      ${n&&i`<span class="field-error" id=${`${e}-error`}>${n}</span>`}
    </fieldset>
  `}var yn=[["/bookclub","Bookclub"],["/competitions","Competitions"],["/music","Music"],["/timeline","Timeline"],["/sports","Sports"]],_n={idle:"",connecting:"Connecting\u2026",live:"Live",reconnecting:"Reconnecting\u2026"};function vn(){let{channels:e}=C(Fe),t=ft(e);return i`
    <span class="conn" data-state=${t} role="status" aria-live="polite" data-testid="connection">
      ${_n[t]}
    </span>
  `}function wn(){return i`
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"
      stroke-linejoin="round" aria-hidden="true">
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  `}function kn(){let{unread:e,rings:t}=C(re),[o,s]=$(!1),r=G(!0);D(()=>{if(r.current){r.current=!1;return}s(!0);let a=setTimeout(()=>s(!1),900);return()=>clearTimeout(a)},[t]);let n=e?`Notifications, ${e} unread`:"Notifications, none unread";return i`
    <a
      href="#/notifications"
      class=${`icon-btn bell ${o?"ringing":""}`}
      data-unread=${e>0?"true":"false"}
      aria-label=${n}
      title=${n}
      data-testid="bell"
    >
      <${wn} />
      ${e>0&&i`<span class="count" data-testid="unread-count" aria-hidden="true">${e>99?"99+":e}</span>`}
    </a>
  `}function xn({user:e}){let[t,o]=$(!1),s=G(null);D(()=>{if(!t)return;let a=l=>{s.current&&!s.current.contains(l.target)&&o(!1)};return document.addEventListener("pointerdown",a),()=>document.removeEventListener("pointerdown",a)},[t]);let r=a=>{var l,c;t&&a.key==="Escape"&&(o(!1),(c=(l=s.current)==null?void 0:l.querySelector(".menu-button"))==null||c.focus())};D(()=>ce.subscribe(()=>o(!1)),[]);let n=()=>{o(!1);let a=pt();return v("You are logged out."),K("/bookclub"),a};return i`
    <div class="menu" ref=${s} onKeyDown=${r}>
      <button
        class="menu-button"
        type="button"
        aria-expanded=${t?"true":"false"}
        aria-controls="user-menu-list"
        onClick=${()=>o(!t)}
        data-testid="user-menu"
      >
        <${pe} name=${e.username} src=${e.profile_picture} />
        <span class="name">${e.username}</span>
      </button>
      ${t&&i`<ul class="menu-list" id="user-menu-list">
        <li class="menu-head">Signed in as <strong>${e.username}</strong>${e.role==="admin"?" (admin)":""}</li>
        <li><a href="#/profile">Your profile</a></li>
        <li><a href=${`#/users/${e.user_id}`}>Your posts</a></li>
        <li><a href="#/notifications">Notifications</a></li>
        ${e.role==="admin"&&i`<li><a href="#/admin/requests">Slow and failed requests</a></li>`}
        <li><button type="button" onClick=${n}>Log out</button></li>
      </ul>`}
    </div>
  `}function Vo(){let{user:e,status:t}=C(S),{path:o}=C(ce);return i`
    <header class="topbar">
      <div class="topbar-inner">
        <a class="brand" href="#/bookclub"><img src="/img/logo.svg" alt="" />Agora</a>
        <nav class="nav" aria-label="Sections">
          ${yn.map(([s,r])=>i`
              <a href=${`#${s}`} aria-current=${o.startsWith(s)?"page":void 0}>${r}</a>
            `)}
          ${J(e)&&i`<a href="#/insights" aria-current=${o.startsWith("/insights")?"page":void 0}>Insights</a>`}
        </nav>
        <div class="topbar-tools">
          <${vn} />
          ${e&&i`<${kn} />`}
          ${e&&i`<${xn} user=${e} />`}
          ${!e&&t!=="loading"&&i`
            <a class="btn btn-ghost btn-sm" href="#/login">Log in</a>
            <a class="btn btn-sm" href="#/signup">Sign up</a>
          `}
        </div>
      </div>
    </header>
  `}function Ko(){let{items:e}=C(dt);return i`
    <div class="toasts" role="status" aria-live="polite" data-testid="toasts">
      ${e.map(t=>i`<div class=${`toast toast-${t.kind}`} key=${t.id}>
          <span>${t.text}</span>
          <button class="toast-close" type="button" aria-label="Dismiss" onClick=${()=>Ht(t.id)}>×</button>
        </div>`)}
    </div>
  `}function Jo(){return i`<button class="skip-link" type="button" onClick=${()=>{let t=document.querySelector("[data-page-title]")||document.getElementById("main");t&&t.focus()}}>Skip to content</button>`}function y(e,t){let[o,s]=$({loading:!0,data:void 0,error:null}),r=G(0),n=nt(async()=>{let l=++r.current;s(c=>({...c,loading:!0}));try{let c=await e();l===r.current&&s({loading:!1,data:c,error:null})}catch(c){l===r.current&&s(d=>({...d,loading:!1,error:c}))}},t);D(()=>{n()},[n]);let a=nt(l=>{s(c=>({...c,data:typeof l=="function"?l(c.data):l}))},[]);return{...o,reload:n,setData:a}}function Q({enabled:e=!0,onFrame:t,...o},s){let r=G(t);r.current=t;let n=G(o.onFinal);n.current=o.onFinal;let a=G(null);return D(()=>{if(!e)return;let l=new Re({...o,onFrame:c=>r.current(c),onFinal:(c,d)=>n.current&&n.current(c,d)});return a.current=l,l.start(),()=>{l.stop(),a.current===l&&(a.current=null)}},[e,...s]),a}function B(e,t,{labels:o={}}={}){let[s,r]=$(e),[n,a]=$({}),[l,c]=$(null),[d,u]=$(null),[p,m]=$(!1),h=G(null),f=G(!1);D(()=>{if(!f.current||!h.current)return;f.current=!1;let O=h.current.querySelector('[aria-invalid="true"]');O&&O.focus()},[n]);let I=(O,E)=>{r(z=>({...z,[O]:E})),a(z=>{if(!(O in z))return z;let k={...z};return delete k[O],k})},_=O=>({name:O,value:s[O],error:n[O],onInput:E=>{let z=E.currentTarget;I(O,z.type==="checkbox"?z.checked:z.value)}}),P=(O=e)=>{r(O),a({}),c(null)};return{values:s,set:I,setValues:r,errors:n,formError:l,notice:d,busy:p,bind:_,submit:async O=>{if(O&&O.preventDefault(),!p){m(!0),a({}),c(null),u(null);try{let E=await t(s,{reset:P,setValues:r});typeof E=="string"&&u(E)}catch(E){let{fields:z,summary:k}=Mo(E,Object.keys(e),o);f.current=!0,a(z),c(k)}finally{m(!1)}}},reset:P,ref:h}}var Sn=1,jt=new WeakMap;function zt(e){if(e.id)return e.id;let t=e.form.ref;return jt.has(t)||jt.set(t,`f${Sn++}`),`${jt.get(t)}-${e.name}`}function Xo(e,t,o){let s=[];return t&&s.push(`${e}-hint`),o&&s.push(`${e}-error`),s.join(" ")||void 0}function Zo({id:e,hint:t,error:o}){return i`
    ${t&&i`<span class="hint" id=${`${e}-hint`}>${t}</span>`}
    ${o&&i`<span class="field-error" id=${`${e}-error`}>${o}</span>`}
  `}function w({form:e,name:t,label:o,hint:s,type:r="text",multiline:n=!1,...a}){let l=zt({form:e,name:t,id:a.id}),c=e.bind(t),d={id:l,name:t,value:c.value??"",onInput:c.onInput,"aria-invalid":c.error?"true":void 0,"aria-describedby":Xo(l,s,c.error),...a};return i`
    <div class="field">
      <label for=${l}>${o}</label>
      ${n?i`<textarea ...${d} />`:i`<input type=${r} ...${d} />`}
      <${Zo} id=${l} hint=${s} error=${c.error} />
    </div>
  `}function We({form:e,name:t,label:o,hint:s,options:r,...n}){let a=zt({form:e,name:t,id:n.id}),l=e.bind(t);return i`
    <div class="field">
      <label for=${a}>${o}</label>
      <select
        id=${a}
        name=${t}
        value=${l.value??""}
        onChange=${l.onInput}
        aria-invalid=${l.error?"true":void 0}
        aria-describedby=${Xo(a,s,l.error)}
        ...${n}
      >
        ${r.map(([c,d])=>i`<option value=${c} selected=${String(c)===String(l.value)}>${d}</option>`)}
      </select>
      <${Zo} id=${a} hint=${s} error=${l.error} />
    </div>
  `}function ke({form:e,name:t,label:o}){let s=zt({form:e,name:t}),r=e.bind(t);return i`
    <div class="field">
      <label class="check" for=${s}>
        <input id=${s} type="checkbox" name=${t} checked=${!!r.value} onChange=${r.onInput} />
        ${o}
      </label>
      ${r.error&&i`<span class="field-error">${r.error}</span>`}
    </div>
  `}function H({form:e}){return i`
    ${e.formError&&i`<p class="form-error" role="alert">${e.formError}</p>`}
    ${e.notice&&i`<p class="form-note" role="status">${e.notice}</p>`}
  `}function U({form:e,children:t,busyText:o="Saving\u2026",kind:s=""}){return i`
    <button class=${`btn ${s}`} type="submit" disabled=${e.busy}>
      ${e.busy?o:t}
    </button>
  `}var Qo="agora.export",Tn=1500,Cn=[["Tweets, reviews, chat messages, votes and likes","hidden at once (they stop counting); deleted when the grace period ends"],["Threads and comments others answered","kept as \u201C[deleted]\u201D, without your name, so the replies still make sense"],["Entries that placed in a finished competition","keep their place, shown as by \u201Cdeleted user\u201D"],["Follows, followed teams, notifications, preferences","hidden at once; deleted at the end"],["Your account and username","deleted at the end; the username can be taken again after 30 days"]],En={done:"success",running:"primary",waiting:"warning",failed:"danger"};function ts({steps:e}){return!e||e.length===0?null:i`
    <ol class="list" aria-label="Steps">
      ${e.map(t=>i`<li key=${t.step}>
        <strong>${t.action}</strong> ${t.service}
        <${V} kind=${En[t.state]||""}>${t.state}<//>
        <span class="small muted"> <${L} iso=${t.at} /></span>
        ${t.detail&&i`<div class="small muted">${t.detail}</div>`}
      </li>`)}
    </ol>
  `}function os(e,t,o){let[s,r]=$(null);return D(()=>{if(!t)return;let n=!1,a=null,l=async()=>{try{let c=await e();if(n||(r(c),c&&c.keepPolling===!1))return}catch{}n||(a=setTimeout(l,Tn))};return l(),()=>{n=!0,clearTimeout(a)}},o),s}async function Rn(e,t){let o=Z(),s=await fetch(e,{headers:{Authorization:`Bearer ${(o==null?void 0:o.token)||""}`}});if(!s.ok)throw new Error(`The download failed (${s.status})`);let r=await s.blob(),n=document.createElement("a");n.href=URL.createObjectURL(r),n.download=t,document.body.append(n),n.click(),n.remove(),setTimeout(()=>URL.revokeObjectURL(n.href),1e4)}function ss(){let[e,t]=$(()=>localStorage.getItem(Qo)),[o,s]=$(!1),[r,n]=$(null),a=os(async()=>{let d=await b(`/users/profile/export/${e}`);return{...d,keepPolling:d.state==="collecting"}},!!e,[e]),l=async()=>{s(!0),n(null);try{let d=await x("/users/profile/export");localStorage.setItem(Qo,d.export_id),t(d.export_id)}catch(d){n(d instanceof M?d.summary:String(d))}finally{s(!1)}},c=()=>Rn(a.download_url,`agora-data-${a.export_id}.zip`).catch(d=>n(String(d.message)));return i`
    <div class="stack" aria-label="Download my data">
      <p>Get a ZIP archive of everything Agora keeps about you: your profile, follows, votes,
        threads and replies, chat messages, entries, likes, comments, reviews, tweets,
        notifications and preferences, as JSON files with a README.</p>
      ${a&&i`<p role="status">Export <${V} kind=${a.state==="ready"?"success":""}>${a.state}<//>
        ${a.expires_at&&i` · the link works until <${L} iso=${a.expires_at} />`}</p>`}
      ${(a==null?void 0:a.state)==="collecting"&&i`<${ts} steps=${a.steps} />`}
      ${r&&i`<p class="form-error" role="alert">${r}</p>`}
      <div class="form-actions">
        ${(a==null?void 0:a.state)==="ready"&&i`<button class="btn" type="button" onClick=${c}>Download the archive</button>`}
        <button class="btn btn-secondary" type="button" disabled=${o||(a==null?void 0:a.state)==="collecting"} onClick=${l}>
          ${(a==null?void 0:a.state)==="collecting"?"Collecting your data\u2026":"Download my data"}
        </button>
      </div>
    </div>
  `}function ns(){let e=B({password:"",grace_days:"14",understood:!1},async t=>{if(!t.understood)throw new M(422,{message:"Tick the box to confirm",details:[{field:"body.understood",message:"Tick the box to confirm"}]});let o=Number.parseInt(t.grace_days,10),s=await x("/users/profile/deletion",{password:t.password,grace_days:Number.isNaN(o)?14:o});await pt(),v(`Your account is scheduled for deletion on ${he(s.erase_at)}. Log in before then to restore it.`,{ms:15e3}),K("/login")});return i`
    <div class="stack" aria-label="Delete my account">
      <p>Deleting your account signs you out everywhere at once and hides your content. Until the
        end of the grace period you can log in and restore everything exactly as it was.</p>
      <table class="plain-table small">
        <thead><tr><th scope="col">Your…</th><th scope="col">What happens</th></tr></thead>
        <tbody>${Cn.map(([t,o])=>i`<tr key=${t}><td>${t}</td><td>${o}</td></tr>`)}</tbody>
      </table>
      <form class="form" onSubmit=${e.submit} ref=${e.ref} novalidate aria-label="Delete my account">
        <${w} form=${e} name="password" label="Your password" type="password" autocomplete="current-password" required />
        <${w} form=${e} name="grace_days" label="Grace period (days)" type="number" min="0" max="30"
          hint="0 to 30 days; 0 deletes at once, with no way back." />
        <${ke} form=${e} name="understood" label="I understand what will be deleted" />
        <${H} form=${e} />
        <div class="form-actions"><${U} form=${e} kind="btn-danger-solid" busyText="Scheduling…">Delete my account<//></div>
      </form>
    </div>
  `}async function es(e,t){let o=await fetch("/api/users/profile/deletion",{method:e,headers:{Accept:"application/json","X-Restore-Token":t}}),s=await o.json().catch(()=>null);if(!o.ok)throw new M(o.status,(s==null?void 0:s.error)||{});return s}function rs({pending:e,onRestored:t}){let{restore_token:o,erase_at:s}=e,[r,n]=$(!1),[a,l]=$(null),c=os(async()=>{let u=await es("GET",o);return{...u,keepPolling:!["restored","erased"].includes(u.state)}},!0,[o]);D(()=>{(c==null?void 0:c.state)==="restored"&&t()},[c==null?void 0:c.state]);let d=async()=>{n(!0),l(null);try{await es("DELETE",o)}catch(u){l(u instanceof M?u.message:String(u)),n(!1)}};return i`
    <div class="card" role="region" aria-label="Account scheduled for deletion">
      <p>This account is scheduled for deletion on <strong><${L} iso=${s} /></strong>.
        Restore it to log in: everything that was hidden comes back as it was.</p>
      ${c&&i`<p>State: <${V}>${c.state}<//></p><${ts} steps=${c.steps} />`}
      ${a&&i`<p class="form-error" role="alert">${a}</p>`}
      <div class="form-actions">
        <button class="btn" type="button" disabled=${r} onClick=${d}>
          ${r?"Restoring your account\u2026":"Restore my account"}
        </button>
      </div>
    </div>
  `}function is(e){return!(e instanceof M)||e.code!=="account_pending_deletion"?null:e.details[0]||null}function as(e){let t=e.get("next");return t&&t.startsWith("/")&&!t.startsWith("/login")&&!t.startsWith("/signup")?t:"/bookclub"}function ls({query:e}){let[t,o]=$(null),s=async a=>{let l=await Yt(a.login.trim(),a.password);v(`Welcome back, ${(l==null?void 0:l.username)||a.login}!`),K(as(e))},r=B({login:"",password:""},async a=>{try{await s(a)}catch(l){let c=is(l);if(!c)throw l;o(c)}});if(t)return i`
      <div class="auth-card">
        <${F} title="Restore your account" subtitle="Your account is scheduled for deletion." />
        <${rs} pending=${t} onRestored=${()=>s(r.values).catch(()=>o(null))} />
      </div>
    `;let n=`#/signup${e.get("next")?`?next=${encodeURIComponent(e.get("next"))}`:""}`;return i`
    <div class="card auth-card">
      <${F} title="Log in" subtitle="Welcome back to Agora." />
      <form class="form" onSubmit=${r.submit} ref=${r.ref} novalidate>
        <${w} form=${r} name="login" label="Username or email" autocomplete="username" required />
        <${w} form=${r} name="password" label="Password" type="password"
          autocomplete="current-password" required />
        <${H} form=${r} />
        <div class="form-actions">
          <${U} form=${r} busyText="Logging in…">Log in<//>
          <span class="muted">New here? <a href=${n}>Create an account</a></span>
        </div>
      </form>
    </div>
  `}function cs({query:e}){let t=B({username:"",email:"",password:""},async o=>{let s=await Ho({username:o.username.trim(),email:o.email.trim(),password:o.password});v(`Welcome to Agora, ${(s==null?void 0:s.username)||o.username}!`,{kind:"success"}),K(as(e))});return i`
    <div class="card auth-card">
      <${F} title="Sign up" subtitle="Join the book club, competitions, music reviews and more." />
      <form class="form" onSubmit=${t.submit} ref=${t.ref} novalidate>
        <${w} form=${t} name="username" label="Username" autocomplete="username"
          hint="3 to 32 lowercase letters, digits or underscores." required />
        <${w} form=${t} name="email" label="Email" type="email" autocomplete="email"
          hint="You can log in with it too." />
        <${w} form=${t} name="password" label="Password" type="password"
          autocomplete="new-password" hint="At least 12 characters." required />
        <${H} form=${t} />
        <div class="form-actions">
          <${U} form=${t} busyText="Creating your account…">Create account<//>
          <span class="muted">Have an account? <a href="#/login">Log in</a></span>
        </div>
      </form>
    </div>
  `}var Vt=4e3,us=1;function Fn(e){return{message_id:String(e.message_id),userId:String(e.userId),username:e.username,message:e.message,created_at:e.created_at,edited_at:e.edited_at}}function Ln(e,t){let o=e.findIndex(r=>r.message_id===t.message_id);if(o===-1)return[...e,t].sort((r,n)=>Number(r.message_id)-Number(n.message_id));let s=[...e];return s[o]={...s[o],...t},s}function Nn({present:e,count:t}){if(!t)return i`<p class="presence">Nobody else is here yet.</p>`;let o=e.map(r=>r.username).join(", "),s=t>e.length?` and ${t-e.length} more`:"";return i`<p class="presence">${t} here now: ${o}${s}</p>`}function _e({roomId:e,label:t="Live chat"}){let{user:o}=C(S),[s,r]=$(null),[n,a]=$({present:[],count:0}),[l,c]=$(""),[d,u]=$(null),[p,m]=$(null),h=G(null),f=G(!0),I=`chat-${e}`,_=async()=>{try{let k=await b(`/forums/rooms/${e}/messages?limit=50`,{auth:!1});r(k.messages.map(j=>({...j,message_id:String(j.message_id),userId:String(j.userId)})).reverse())}catch{r(k=>k||[])}};D(()=>{r(null),m(null),_()},[e]);let q=Q({enabled:!!o,path:"/forums/connect",params:()=>({roomId:e}),auth:"required",onFrame:k=>{var j;switch(k.type){case"welcome":case"presence":a({present:k.present||[],count:k.present_count||0});break;case"message":case"edited":r(ie=>Ln(ie||[],Fn(k)));break;case"deleted":r(ie=>(ie||[]).filter(ae=>ae.message_id!==String(k.message_id)));break;case"error":u(((j=k.error)==null?void 0:j.message)||"That message could not be sent.");break;case"room_closed":m("This room has been closed.");break;case"reload":_();break;default:break}},onFinal:()=>m("This room is closed.")},[e,o==null?void 0:o.user_id]);ve(()=>{let k=h.current;k&&f.current&&(k.scrollTop=k.scrollHeight)},[s]);let O=()=>{let k=h.current;f.current=k.scrollHeight-k.scrollTop-k.clientHeight<40},E=k=>{var ae;k.preventDefault();let j=l.trim();if(!j)return;if(j.length>Vt){u(`Messages can be at most ${Vt} characters.`);return}if(!((ae=q.current)==null?void 0:ae.send({type:"message",message:j,client_id:`c${us++}`}))){u("Not connected right now; your message was not sent. Try again in a moment.");return}u(null),c(""),f.current=!0},z=k=>{var j;(j=q.current)==null||j.send({type:"delete",message_id:k,client_id:`c${us++}`})};return i`
    <div class="chat" data-testid="chat">
      ${o&&!p&&i`<${Nn} ...${n} />`}
      ${s===null?i`<${de} text="Loading messages…" />`:i`
            <div role="log" aria-live="polite" aria-relevant="additions" aria-label=${t}>
            <ol class="chat-log" ref=${h} onScroll=${O} aria-label=${t} tabindex="0">
              ${s.length===0&&i`<li class="muted small">No messages yet. Say hello!</li>`}
              ${s.map(k=>i`
                  <li key=${k.message_id} class=${`chat-msg ${o&&k.userId===String(o.user_id)?"mine":""}`}>
                    <div class="who">
                      <span>${k.username}</span><${L} iso=${k.created_at} />
                      ${o&&k.userId===String(o.user_id)&&i`<${ht} label="Delete this message" question="Delete it?"
                        onConfirm=${()=>z(k.message_id)} />`}
                    </div>
                    <div class="text">${k.message}</div>
                  </li>
                `)}
            </ol>
            </div>
          `}
      ${p&&i`<p class="form-error" role="alert">${p}</p>`}
      ${!o&&i`<${W}>to chat<//>`}
      ${o&&!p&&i`
        <form class="chat-send" onSubmit=${E} novalidate>
          <label class="visually-hidden" for=${I}>Message</label>
          <input id=${I} type="text" value=${l} maxlength=${Vt}
            placeholder="Write a message…" autocomplete="off"
            aria-invalid=${d?"true":void 0}
            aria-describedby=${d?`${I}-error`:void 0}
            onInput=${k=>{c(k.currentTarget.value),u(null)}} />
          <button class="btn" type="submit">Send</button>
        </form>
        ${d&&i`<p class="field-error" id=${`${I}-error`} role="alert">${d}</p>`}
      `}
    </div>
  `}var An=15,In=1e3;function Pn({onCreated:e}){let[t,o]=$(!1),s=B({title:"",content:""},async r=>{let n=await x("/discussion",r);e(n.thread_id)});return t?i`
    <form class="form" onSubmit=${s.submit} ref=${s.ref} novalidate aria-label="Start a thread">
      <${w} form=${s} name="title" label="Thread title" required />
      <${w} form=${s} name="content" label="What do you want to say?" multiline rows="4" required />
      <${H} form=${s} />
      <div class="form-actions">
        <${U} form=${s} busyText="Posting…">Post thread<//>
        <button class="btn btn-ghost" type="button" onClick=${()=>o(!1)}>Cancel</button>
      </div>
    </form>
  `:i`<button class="btn btn-secondary btn-sm" type="button" onClick=${()=>o(!0)}>Start a thread</button>`}function ds({threads:e}){return i`<ul class="list" data-testid="threads">
    ${e.map(t=>i`
        <li key=${t.thread_id}>
          <a href=${`#/bookclub/threads/${t.thread_id}`}><strong>${t.title}</strong></a>
          <div class="small muted">
            by ${t.author} · ${Y(t.replies,"reply","replies")} · last activity
            ${" "}<${L} iso=${t.last_activity_at} />
          </div>
        </li>
      `)}
  </ul>`}function Mn({poll:e}){let[t,o]=$(!1),s=y(()=>t?b(`/discussions?book_id=${e.winner.book_id}&limit=50`,{auth:!1}):Promise.resolve(null),[t,e.winner.book_id]);return i`
    <li>
      <details data-testid="past-lobby" onToggle=${r=>o(r.currentTarget.open)}>
        <summary><strong>${ue(e.month)}</strong>: ${e.winner.title} <span class="muted">by ${e.winner.author}</span></summary>
        ${t&&i`<${T} resource=${s} loadingText="Loading its threads…">
          ${r=>!r||r.discussions.length===0?i`<${R}>Nobody started a thread that month.<//>`:i`<${ds} threads=${r.discussions} />`}
        <//>`}
      </details>
    </li>
  `}function Dn({currentBookId:e,version:t}){var r;let s=(((r=y(()=>b("/polls?limit=24",{auth:!1}),[t]).data)==null?void 0:r.polls)||[]).filter(n=>n.status==="closed"&&n.winner&&n.winner.book_id!==e);return s.length===0?null:i`
    <${g} title="Earlier months" label="past-lobbies-title">
      <ul class="list">${s.map(n=>i`<${Mn} key=${n.poll_id} poll=${n} />`)}</ul>
    <//>
  `}function ms({version:e,expectBookId:t}){var c;let{user:o}=C(S),s=y(()=>b("/discussions?limit=30",{auth:!1}),[e]),[r,n]=$(0),a=(c=s.data)==null?void 0:c.book,l=s.data&&(t&&(a==null?void 0:a.book_id)!==t||a&&!a.roomId);return D(()=>{if(!l||r>=An)return;let d=setTimeout(()=>{n(u=>u+1),s.reload()},In);return()=>clearTimeout(d)},[l,r]),i`
    <${T} resource=${s} loadingText="Loading the lobby…">
      ${d=>d.book?i`
              <div class="grid">
                <${g}
                  title=${`Lobby: ${d.book.title}`}
                  label="lobby-title"
                  actions=${o&&i`<${Pn} onCreated=${u=>K(`/bookclub/threads/${u}`)} />`}
                >
                  ${d.discussions.length===0?i`<${R}>No threads yet. Start the first one!<//>`:i`<${ds} threads=${d.discussions} />`}
                  ${!o&&i`<div style="margin-top:12px"><${W}>to start a thread<//></div>`}
                <//>
                <${g} title="Lobby chat" label="lobby-chat-title">
                  ${d.book.roomId?i`<${_e} roomId=${d.book.roomId} label="Lobby chat messages" />`:i`<p class="loading">Opening the chat room…</p>`}
                <//>
              </div>
              <div style="margin-top:24px"><${Dn} currentBookId=${d.book.book_id} version=${e} /></div>
            `:i`<${g} title="The lobby"><${R}>The lobby opens when the first book of the month is chosen.<//><//>`}
    <//>
  `}async function On(){let t=(await b("/polls?limit=12",{auth:!1})).polls.find(o=>o.status==="closed"&&o.winner);return t?{...t.winner,month:t.month}:null}function Bn({book:e,total:t,mine:o,canVote:s,onVote:r,busy:n}){let a=t?Math.round(100*e.votes/t):0;return i`
    <li class=${`candidate ${o?"mine":""}`} data-testid="candidate" data-book-id=${e.book_id}>
      <div>
        <h3>${e.title} ${o&&i`<${V} kind="primary">Your vote<//>`}</h3>
        <div class="meta">by ${e.author}</div>
        ${e.description&&i`<p class="small muted" style="margin:4px 0 0">${e.description}</p>`}
      </div>
      <div class="row" style="justify-content:flex-end">
        <span class="votes" data-testid=${`votes-${e.book_id}`}>${Y(e.votes,"vote")}</span>
        ${s&&i`<button
          class=${`btn btn-sm ${o?"":"btn-secondary"}`}
          type="button"
          aria-pressed=${o?"true":"false"}
          aria-disabled=${n||o?"true":"false"}
          onClick=${()=>{!n&&!o&&r(e)}}
          aria-label=${o?`You vote for ${e.title}`:`Vote for ${e.title}`}
        >${o?"Voted":"Vote"}</button>`}
      </div>
      <div class="bar" aria-hidden="true"><span style=${`width:${a}%`}></span></div>
    </li>
  `}function Hn({onAdded:e}){let[t,o]=$(!1),s=B({title:"",author:"",description:""},async(r,{reset:n})=>{let a=await x("/books",r);return n(),e(),`"${a.title}" is on the ballot.`});return t?i`
    <form class="form" onSubmit=${s.submit} ref=${s.ref} novalidate aria-label="Add a book">
      <h3>Add a book to the ballot</h3>
      <div class="form-row">
        <${w} form=${s} name="title" label="Title" required />
        <${w} form=${s} name="author" label="Author" required />
      </div>
      <${w} form=${s} name="description" label="Description" multiline rows="3" />
      <${H} form=${s} />
      <div class="form-actions">
        <${U} form=${s} busyText="Adding…">Add book<//>
        <button class="btn btn-ghost" type="button" onClick=${()=>o(!1)}>Done</button>
      </div>
    </form>
  `:i`<button class="btn btn-secondary" type="button" onClick=${()=>o(!0)}>Add a book</button>`}function Un({poll:e,onClosed:t}){let[o,s]=$(!1),[r,n]=$(!1),[a,l]=$(null),c=async()=>{n(!0),l(null);try{let d=await x("/polls/current/close",{poll_id:e.poll_id});v(d.message,{kind:"success"}),s(!1),t(d)}catch(d){l(d instanceof M?d.summary:String(d))}finally{n(!1)}};return i`
    <div class="stack" style="gap:8px">
      ${!o&&i`<button class="btn btn-danger" type="button" onClick=${()=>s(!0)}>Close the poll</button>`}
      ${o&&i`
        <p role="alert">Close the ${ue(e.month)} poll now and choose the book of the month?</p>
        <div class="form-actions">
          <button class="btn btn-danger-solid btn" type="button" disabled=${r} onClick=${c}>
            ${r?"Closing\u2026":"Yes, close the poll"}
          </button>
          <button class="btn btn-ghost" type="button" onClick=${()=>s(!1)}>Cancel</button>
        </div>
      `}
      ${a&&i`<p class="form-error" role="alert">${a}</p>`}
    </div>
  `}function Yn({poll:e,setPoll:t,user:o,reload:s}){let[r,n]=$(!1),[a,l]=$(null),c=async u=>{n(!0),l(null);try{let p=await x("/vote",{book_id:u.book_id,poll_id:e.poll_id});t(m=>({...m,my_vote:p.book_id})),p.outcome==="moved"?v(`Your vote moved to "${u.title}".`):p.outcome==="created"&&v(`You voted for "${u.title}".`)}catch(p){l(p instanceof M?p.summary:String(p)),s()}finally{n(!1)}},d=[...e.candidates].sort((u,p)=>u.book_id-p.book_id);return i`
    <${g}
      title=${`Vote for ${ue(e.month)}`}
      label="ballot-title"
      actions=${i`<${V} kind=${e.status==="open"?"success":""}>${e.status==="open"?`Open until ${he(e.closes_at)}`:"Closed"}<//>`}
    >
      <p class="muted small" aria-live="polite" data-testid="total-votes">
        ${Y(e.total_votes,"vote")} so far${e.my_vote?"":o?" \u2014 pick the book you want to read next.":"."}
      </p>
      ${d.length===0?i`<${R}>No candidates yet.${J(o)?" Add the first book below.":" An admin adds them soon."}<//>`:i`<ul class="list">
            ${d.map(u=>i`<${Bn}
                key=${u.book_id}
                book=${u}
                total=${e.total_votes}
                mine=${e.my_vote===u.book_id}
                canVote=${!!o&&e.status==="open"}
                busy=${r}
                onVote=${c}
              />`)}
          </ul>`}
      ${a&&i`<p class="form-error" role="alert" style="margin-top:12px">${a}</p>`}
      ${!o&&i`<div style="margin-top:14px"><${W}>to vote<//></div>`}
    <//>
  `}function qn({book:e}){return e?i`
    <${g} title="Book of the month" actions=${i`<${V} kind="primary">${ue(e.month)}<//>`}>
      <div class="book-hero" data-testid="book-of-the-month">
        <div class="book-cover" aria-hidden="true">${e.title.charAt(0)}</div>
        <div>
          <h3 style="margin-bottom:2px">${e.title}</h3>
          <p class="muted" style="margin-bottom:6px">by ${e.author}</p>
          ${e.description&&i`<p class="small">${e.description}</p>`}
          <p class="small muted">Chosen with ${Y(e.votes,"vote")}.</p>
        </div>
      </div>
    <//>
  `:i`<${g} title="Book of the month"><${R}>No book has been chosen yet. The first poll decides.<//><//>`}function Wn({poll:e}){var n,a,l;let t=y(()=>b("/competitions",{auth:!1}),[]),o=y(()=>b("/sports/ongoing-events?limit=12",{auth:!1}),[]),s=(n=t.data)==null?void 0:n.length,r=(l=(a=o.data)==null?void 0:a.data)==null?void 0:l.length;return i`
    <section class="card welcome" aria-labelledby="welcome-title" data-testid="welcome">
      <h2 id="welcome-title">Welcome to Agora</h2>
      <p>
        A community for people who read, write, listen and watch. Each month we vote on a book and
        talk it over in its lobby; writers enter competitions that readers' likes decide; music
        lovers review albums and chat in their rooms; sports fans follow games as they are scored.
      </p>
      <ul class="welcome-now" aria-label="Happening now">
        ${e&&i`<li><strong>${Y(e.total_votes,"vote")}</strong> cast for ${ue(e.month)}'s book</li>`}
        ${s!==void 0&&i`<li><a href="#/competitions"><strong>${Y(s,"competition")}</strong> open</a></li>`}
        ${r!==void 0&&i`<li><a href="#/sports"><strong>${Y(r,"game")}</strong> live now</a></li>`}
      </ul>
      <div class="row">
        <a class="btn" href="#/signup">Join Agora</a>
        <a class="btn btn-ghost" href="#/login">Log in</a>
      </div>
    </section>
  `}function Kt(){var u,p;let{user:e,status:t}=C(S),o=y(()=>b("/polls/current"),[e==null?void 0:e.user_id]),s=y(On,[]),[r,n]=$(0),a=()=>{o.reload(),s.reload(),n(m=>m+1)},l=G(null),c=G(null);D(()=>{let m=c.current;c.current=null,m&&o.data&&m.poll_id===o.data.poll_id&&d(m)},[(u=o.data)==null?void 0:u.poll_id]);let d=m=>{let h=new Map(m.counts.map(f=>[f.book_id,f.votes]));o.setData(f=>({...f,total_votes:m.total_votes,my_vote:m.type==="snapshot"&&m.my_vote!==void 0?m.my_vote:f.my_vote,candidates:f.candidates.map(I=>({...I,votes:h.get(I.book_id)??I.votes}))}))};return Q({path:"/vote/live",auth:"optional",params:()=>l.current?{poll_id:l.current}:{},onFrame:m=>{m.poll_id&&(l.current=m.poll_id);let h=o.data;if(m.type==="snapshot"||m.type==="votes"){if(!h){c.current=m;return}let f=new Set(h.candidates.map(I=>I.book_id));m.poll_id!==h.poll_id?a():m.counts.some(I=>!f.has(I.book_id))?o.reload():d(m)}else m.type==="closed"?(l.current=m.next_poll_id,a()):m.type==="reload"&&o.reload()}},[e==null?void 0:e.user_id]),i`
    <${F}
      title="Bookclub"
      subtitle="Vote for the book we all read next month, then talk about it in the lobby."
    />
    ${!e&&t!=="loading"&&i`<div style="margin-bottom:24px"><${Wn} poll=${o.data} /></div>`}
    <div class="grid">
      <div class="stack">
        <${T} resource=${o} loadingText="Loading this month's vote…">
          ${m=>i`<${Yn} poll=${m} setPoll=${o.setData} user=${e} reload=${o.reload} />`}
        <//>
      </div>
      <div class="stack">
        <${T} resource=${s}>${m=>i`<${qn} book=${m} />`}<//>
        ${J(e)&&o.data&&i`
          <${g} title="Admin" label="admin-title">
            <div class="stack" style="gap:14px">
              <${Hn} onAdded=${o.reload} />
              ${o.data.status==="open"&&i`<${Un} poll=${o.data} onClosed=${a} />`}
            </div>
          <//>
        `}
      </div>
    </div>
    <div style="margin-top:24px">
      <${ms} version=${r} expectBookId=${(p=s.data)==null?void 0:p.book_id} />
    </div>
  `}function Gn({threadId:e,onReplied:t}){let o=B({content:""},async(s,{reset:r})=>{await x(`/discussions/${e}/reply`,s),r(),t()});return i`
    <form class="form" onSubmit=${o.submit} ref=${o.ref} novalidate aria-label="Reply">
      <${w} form=${o} name="content" label="Your reply" multiline rows="3" required />
      <${H} form=${o} />
      <div class="form-actions"><${U} form=${o} busyText="Posting…">Post reply<//></div>
    </form>
  `}function ps({params:e}){let{user:t}=C(S),o=y(()=>b(`/discussions/${e.id}?limit=200`),[e.id]);Q({path:`/discussions/${e.id}/live`,auth:"none",onFrame:r=>{r.type==="reload"&&o.reload(),r.type==="reply"&&o.setData(n=>{if(!n||n.replies.some(p=>p.reply_id===r.reply_id))return n;let{type:a,offset:l,epoch:c,reply_count:d,...u}=r;return{...n,reply_count:d,replies:[...n.replies,u]}})}},[e.id]);let s=i`<a href="#/bookclub">Bookclub</a> › Lobby`;return i`
    <${T} resource=${o}>
      ${r=>i`
        <${F} title=${r.title} crumbs=${s}
          subtitle=${i`Started by ${r.author} · <${L} iso=${r.created_at} />`} />
        <div class="stack">
          <${g}><p class="prose" style="margin:0">${r.content}</p><//>
          <${g} title=${Y(r.reply_count,"reply","replies")} label="replies-title">
            ${r.replies.length===0?i`<${R}>No replies yet.<//>`:i`<ul class="list" data-testid="replies">
                  ${r.replies.map(n=>i`
                      <li key=${n.reply_id}>
                        <${ne} id=${n.author_id} name=${n.author}>
                          <span class="small muted"> · <${L} iso=${n.created_at} /></span>
                        <//>
                        <p class="prose" style="margin:6px 0 0">${n.content}</p>
                      </li>
                    `)}
                </ul>`}
          <//>
          <${g} title="Reply" level="2" label="reply-title">
            ${t?i`<${Gn} threadId=${r.thread_id} onReplied=${o.reload} />`:i`<${W}>to reply<//>`}
          <//>
        </div>
      `}
    <//>
  `}function jn({onCancel:e}){let t=new Date;t.setSeconds(0,0);let o=new Date(t.getTime()+14*864e5),s=B({title:"",description:"",start_date:He(t),end_date:He(o),allow_multiple_entries:!1},async r=>{let n=await x("/competitions",{...r,start_date:Ue(r.start_date),end_date:Ue(r.end_date)});v(`"${n.title}" was created.`,{kind:"success"}),K(`/competitions/${n.competition_id}`)},{labels:{start_date:"Opens",end_date:"Closes"}});return i`
    <${g} title="New competition" label="new-competition-title">
      <form class="form" onSubmit=${s.submit} ref=${s.ref} novalidate aria-label="New competition">
        <${w} form=${s} name="title" label="Title" required />
        <${w} form=${s} name="description" label="Description" multiline rows="3"
          hint="What should entrants write? Any rules?" />
        <div class="form-row">
          <${w} form=${s} name="start_date" label="Opens" type="datetime-local" required />
          <${w} form=${s} name="end_date" label="Closes" type="datetime-local" required />
        </div>
        <${ke} form=${s} name="allow_multiple_entries" label="Allow more than one entry per person" />
        <${H} form=${s} />
        <div class="form-actions">
          <${U} form=${s} busyText="Creating…">Create competition<//>
          <button class="btn btn-ghost" type="button" onClick=${e}>Cancel</button>
        </div>
      </form>
    <//>
  `}function fs(){let{user:e}=C(S),t=y(()=>b("/competitions",{auth:!1}),[]),[o,s]=$(!1);return i`
    <${F} title="Competitions" subtitle="Write, enter, like and comment. The most liked entries win.">
      ${J(e)&&!o&&i`<button class="btn" type="button" onClick=${()=>s(!0)}>New competition</button>`}
    <//>
    ${o&&i`<div style="margin-bottom:24px"><${jn} onCancel=${()=>s(!1)} /></div>`}
    <${T} resource=${t} loadingText="Loading competitions…">
      ${r=>r.length===0?i`<${R}>No competition is open right now. Check back soon!<//>`:i`<div class="cards" data-testid="competitions">
              ${r.map(n=>i`
                  <a class="card card-link" href=${`#/competitions/${n.competition_id}`} key=${n.competition_id}>
                    <div class="row-between" style="margin-bottom:6px">
                      <${V} kind="success">Open<//>
                      <span class="small muted">until <${L} iso=${n.end_date} time=${!1} /></span>
                    </div>
                    <h3>${n.title}</h3>
                    ${n.description&&i`<p class="small muted clamp" style="margin:0">${n.description}</p>`}
                  </a>
                `)}
            </div>`}
    <//>
  `}function $s({path:e,parentId:t,onPosted:o,onCancel:s,label:r}){let n=B({content:""},async(a,{reset:l})=>{let c={content:a.content};t&&(c.parent_comment_id=Number(t)),await x(e,c),l(),o()});return i`
    <form class="form" onSubmit=${n.submit} ref=${n.ref} novalidate style="margin-top:8px">
      <${w} form=${n} name="content" label=${r} multiline rows="2" required />
      <${H} form=${n} />
      <div class="form-actions">
        <${U} form=${n} kind="btn-sm" busyText="Posting…">${t?"Reply":"Comment"}<//>
        ${s&&i`<button class="btn btn-ghost btn-sm" type="button" onClick=${s}>Cancel</button>`}
      </div>
    </form>
  `}function hs({comment:e,path:t,user:o,open:s,onPosted:r}){let[n,a]=$(!1);return i`
    <li class="comment" data-testid="comment">
      <div class="who">
        ${e.deleted?i`<span class="muted">[deleted]</span>`:e.username}
        <${L} iso=${e.created_at} />${e.edited?i` <span class="muted small">(edited)</span>`:""}
      </div>
      <p class="prose" style="margin:2px 0 0">${e.deleted?i`<em class="muted">This comment was deleted.</em>`:e.content}</p>
      ${o&&s&&!e.deleted&&!n&&i`<button class="link-btn small" type="button" onClick=${()=>a(!0)}
        aria-label=${`Reply to ${e.username}`}>Reply</button>`}
      ${n&&i`<${$s}
        path=${t}
        parentId=${e.comment_id}
        label=${`Reply to ${e.username}`}
        onCancel=${()=>a(!1)}
        onPosted=${()=>{a(!1),r()}}
      />`}
      ${e.replies.length>0&&i`<ul class="comment-tree">
        ${e.replies.map(l=>i`<${hs} key=${l.comment_id} comment=${l} path=${t}
            user=${o} open=${s} onPosted=${r} />`)}
      </ul>`}
    </li>
  `}function zn({competition:e,entry:t,user:o,onCount:s}){let r=`/competitions/${e.competition_id}`,n=y(()=>b(`${r}/submissions/${t.submission_id}/comments?limit=100`),[t.submission_id]),a=`${r}/comment/${t.submission_id}`,l=e.status!=="upcoming",c=()=>{n.reload(),s()};return i`
    <div class="comments">
      <${T} resource=${n} loadingText="Loading comments…">
        ${d=>d.comments.length===0?i`<p class="muted small">No comments yet.</p>`:i`<ul class="comment-tree">
                ${d.comments.map(u=>i`<${hs} key=${u.comment_id} comment=${u} path=${a}
                    user=${o} open=${l} onPosted=${c} />`)}
              </ul>`}
      <//>
      ${o&&l&&i`<${$s} path=${a} label="Add a comment" onPosted=${c} />`}
    </div>
  `}function Vn({competition:e,entry:t,onDone:o,onCancel:s}){let r=B({title:t.title,content:t.content},async n=>{await ut(`/competitions/${e.competition_id}/submissions/${t.submission_id}`,n),v("Your entry is updated.",{kind:"success"}),o()});return i`
    <form class="form" onSubmit=${r.submit} ref=${r.ref} novalidate aria-label="Edit your entry" style="margin-top:12px">
      <${w} form=${r} name="title" label="Entry title" required />
      <${w} form=${r} name="content" label="Your entry" multiline rows="8" required />
      <${H} form=${r} />
      <div class="form-actions">
        <${U} form=${r}>Save changes<//>
        <button class="btn btn-ghost" type="button" onClick=${s}>Cancel</button>
      </div>
    </form>
  `}function gs({entry:e,competition:t,user:o,onChanged:s}){let r=o&&e.user_id===String(o.user_id),[n,a]=$(e.likes),[l,c]=$(e.liked_by_me===!0);D(()=>{a(e.likes),c(e.liked_by_me===!0)},[e.likes,e.liked_by_me]);let[d,u]=$(!1),[p,m]=$(!1),[h,f]=$(e.comments);D(()=>f(e.comments),[e.comments]);let I=()=>b(`/competitions/${t.competition_id}/submissions/${e.submission_id}`).then(fe=>f(fe.comments)).catch(()=>{}),[_,P]=$(!1),[q,O]=$(!1),[E,z]=$(null),k=e.content.length>360,j=o&&!r&&t.status==="active",ie=`comments-${e.submission_id}`,ae=async()=>{u(!0),z(null);let fe=`/competitions/${t.competition_id}/like/${e.submission_id}`;try{let le=l?await se(fe):await x(fe);a(le.likes),c(le.liked)}catch(le){z(le instanceof M?le.summary:String(le))}finally{u(!1)}};return i`
    <article class="card entry" data-testid="entry" data-entry-id=${e.submission_id}>
      <div class="row-between">
        <h3 style="margin:0">${e.title}</h3>
        ${e.place&&i`<${V} kind=${e.place===1?"warning":"primary"}>Place ${e.place}<//>`}
      </div>
      <div style="margin:6px 0 10px">
        <${ne} id=${e.user_id} name=${e.username}>
          <span class="small muted"> · <${L} iso=${e.created_at} /></span>
        <//>
      </div>
      ${!_&&i`<p class=${`prose ${k&&!q?"clamp":""}`} style="margin:0">${e.content}</p>`}
      ${!_&&k&&i`<button class="link-btn small" type="button" aria-expanded=${q?"true":"false"}
        onClick=${()=>O(!q)}>${q?"Show less":"Read more"}</button>`}
      ${_&&i`<${Vn} competition=${t} entry=${e}
        onCancel=${()=>P(!1)} onDone=${()=>{P(!1),s()}} />`}
      <div class="entry-actions">
        ${j?i`<button class="btn btn-secondary btn-sm" type="button" aria-pressed=${l?"true":"false"}
              disabled=${d} onClick=${ae} data-testid="like"
              aria-label=${`${l?"Unlike":"Like"} "${e.title}", ${Y(n,"like")}`}>
              ${l?"\u2665 Liked":"\u2661 Like"} · <span data-testid="likes">${n}</span>
            </button>`:i`<span class="badge" data-testid="likes-count">♥ ${Y(n,"like")}</span>`}
        <button class="btn btn-ghost btn-sm" type="button" aria-expanded=${p?"true":"false"}
          aria-controls=${ie} onClick=${()=>m(!p)}>
          ${p?"Hide comments":`Comments (${h})`}
        </button>
        ${r&&t.status==="active"&&!_&&i`<button class="btn btn-ghost btn-sm" type="button" onClick=${()=>P(!0)}>Edit entry</button>`}
      </div>
      ${E&&i`<p class="form-error" role="alert" style="margin-top:10px">${E}</p>`}
      <div id=${ie}>
        ${p&&i`<${zn} competition=${t} entry=${e} user=${o}
          onCount=${I} />`}
      </div>
    </article>
  `}var bs={upcoming:["warning","Opens soon"],active:["success","Open for entries"],closed:["","Closed"]};function Kn({competitionId:e,onDone:t}){let o=B({title:"",content:""},async(s,{reset:r})=>{await x(`/competitions/${e}/submit`,s),r(),v("Your entry is in. Good luck!",{kind:"success"}),t()});return i`
    <form class="form" onSubmit=${o.submit} ref=${o.ref} novalidate aria-label="Submit your entry">
      <${w} form=${o} name="title" label="Entry title" required />
      <${w} form=${o} name="content" label="Your entry" multiline rows="8" required />
      <${H} form=${o} />
      <div class="form-actions"><${U} form=${o} busyText="Submitting…">Submit entry<//></div>
    </form>
  `}function Jn({competitionId:e}){let t=y(()=>b(`/competitions/${e}/results`),[e]);return i`
    <${g} title="Results" label="results-title">
      <${T} resource=${t} loadingText="Loading the results…">
        ${o=>o.results.length===0?i`<${R}>Nobody entered this competition.<//>`:i`<ol class="list results" data-testid="results">
                ${o.results.map(s=>i`
                    <li key=${s.submission_id}>
                      <span class=${`place place-${s.place}`} aria-label=${`Place ${s.place}`}>${s.place}</span>
                      <div style="flex:1;min-width:0">
                        <strong>${s.title}</strong>
                        <div class="small muted">by <a href=${`#/users/${s.user_id}`}>${s.username}</a></div>
                      </div>
                      <span class="nowrap">${Y(s.likes,"like")}</span>
                    </li>
                  `)}
              </ol>`}
      <//>
    <//>
  `}function Xn({competitionId:e}){let t=y(()=>b("/users/profile/subscriptions?limit=200"),[]),[o,s]=$(!1);if(!t.data)return null;let r=t.data.some(a=>a.competition_id===String(e));return i`
    <button class="btn btn-secondary" type="button" aria-pressed=${r?"true":"false"}
      disabled=${o} onClick=${async()=>{s(!0);try{r?await se(`/users/subscribe/${e}`):await x(`/users/subscribe/${e}`),v(r?"You will no longer hear about new entries.":"You will hear about new entries."),await t.reload()}catch(a){v(a instanceof M?a.summary:String(a))}finally{s(!1)}}}>
      ${r?"Subscribed":"Subscribe to new entries"}
    </button>
  `}function ys({params:e}){let{user:t}=C(S),o=e.id,s=y(()=>b(`/competitions/${o}`),[o]),r=y(()=>b(`/competitions/${o}/submissions?limit=100`),[o]);Q({path:`/competitions/${o}/live`,auth:"none",onFrame:a=>{a.type==="reload"&&r.reload(),a.type==="counts"&&r.setData(l=>l&&{...l,submissions:l.submissions.map(c=>c.submission_id===a.submission_id?{...c,likes:a.likes,comments:a.comments}:c)})}},[o]);let n=i`<a href="#/competitions">Competitions</a> › Entries`;return i`
    <${T} resource=${s} loadingText="Loading the competition…">
      ${a=>{var p;let[l,c]=bs[a.status]||bs.closed,d=(((p=r.data)==null?void 0:p.submissions)||[]).filter(m=>t&&m.user_id===String(t.user_id)),u=t&&a.status==="active"&&(a.allow_multiple_entries||d.length===0);return i`
          <${F}
            title=${a.title}
            crumbs=${n}
            subtitle=${i`<${V} kind=${l}>${c}<//> ${" "}
              <${L} iso=${a.start_date} relative=${!1} /> – <${L} iso=${a.end_date} relative=${!1} /> · ${Y(a.submission_count,"entry","entries")}`}
          >
            ${t&&a.status!=="closed"&&i`<${Xn} competitionId=${o} />`}
          <//>
          <div class="grid">
            <div class="stack">
              ${a.description&&i`<${g}><p class="prose" style="margin:0">${a.description}</p><//>`}
              ${a.status==="closed"&&i`<${Jn} competitionId=${o} />`}
              <${T} resource=${r} loadingText="Loading entries…">
                ${m=>i`
                  <section aria-labelledby="entries-title" class="stack" style="gap:14px">
                    <h2 id="entries-title">${Y(m.submissions.length,"entry","entries")}</h2>
                    ${m.submissions.length===0?i`<${R}>No entries yet.${a.status==="active"?" Be the first!":""}<//>`:m.submissions.map(h=>i`<${gs}
                            key=${h.submission_id}
                            entry=${h}
                            competition=${a}
                            user=${t}
                            onChanged=${r.reload}
                          />`)}
                  </section>
                `}
              <//>
            </div>
            <div class="stack">
              ${u&&i`<${g} title="Submit your entry" label="submit-title">
                <${Kn} competitionId=${o} onDone=${()=>{r.reload(),s.reload()}} />
              <//>`}
              ${!t&&a.status==="active"&&i`<${W}>to enter, like and comment<//>`}
              ${a.status==="upcoming"&&i`<${g} title="Not open yet"><p class="muted" style="margin:0">Entries open <${L} iso=${a.start_date} relative=${!1} />.</p><//>`}
              <${g} title="How it works" label="how-title">
                <p class="small" style="margin:0">
                  Entries are accepted from <${L} iso=${a.start_date} relative=${!1} /> until <${L} iso=${a.end_date} relative=${!1} />.
                  When it closes, the most liked entries win; a tie goes to the earlier entry, and every
                  entrant hears their place.
                </p>
              <//>
              ${d.length>0&&i`<${g} title="Your entries" label="yours-title">
                <ul class="list">
                  ${d.map(m=>i`<li key=${m.submission_id}>
                      <strong>${m.title}</strong>
                      <div class="small muted">${Y(m.likes,"like")} · ${Y(m.comments,"comment")}${m.place?` \xB7 place ${m.place}`:""}</div>
                    </li>`)}
                </ul>
              <//>`}
            </div>
          </div>
        `}}
    <//>
  `}var _s=[(e,t)=>[0,1,2].map(o=>i`<circle key=${o} cx=${10+e()*80} cy=${10+e()*80}
      r=${14+e()*26} fill=${t} opacity=${.22+.12*o} />`),(e,t)=>{let o=8+e()*10,s=e()*30;return[0,1,2,3].map(r=>i`<rect key=${r} x=${-60+s+r*o*2.4} y="-20"
      width=${o} height="160" fill=${t} opacity="0.35" transform="rotate(35 50 50)" />`)},(e,t)=>{let o=25+e()*50,s=25+e()*50;return[46,34,22,10].map((r,n)=>i`<circle key=${n} cx=${o} cy=${s} r=${r} fill="none"
      stroke=${t} stroke-width=${3+e()*4} opacity="0.4" />`)},(e,t)=>{let o=[];for(let s=0;s<4;s+=1)for(let r=0;r<4;r+=1)e()<.45&&o.push(i`<rect key=${`${s}-${r}`} x=${r*25+3} y=${s*25+3} width="19"
            height="19" rx="3" fill=${t} opacity="0.3" />`);return o},(e,t)=>[0,1].map(o=>{let s=e()*60,r=30+e()*50;return i`<polygon key=${o} points=${`${s},${r+60} ${s+45},${r-30} ${s+100},${r+60}`}
        fill=${t} opacity=${.25+.15*o} />`})],Zn=new Set(["a","an","the","of","and","in","on","to","for","at","by","&"]);function Qn(e){let t=String(e||"").split(/\s+/).filter(r=>/[\p{L}\p{N}]/u.test(r)),o=t.filter(r=>!Zn.has(r.toLowerCase()));return(o.length?o:t).slice(0,2).map(r=>r.match(/[\p{L}\p{N}]/u)[0].toUpperCase()).join("")||"\u266A"}function er(e){let t=Pt(`${e.albumId??""}|${e.title??""}|${e.artist??""}`),o=()=>{t=t+1831565813|0;let a=t;return a=Math.imul(a^a>>>15,a|1),a^=a+Math.imul(a^a>>>7,a|61),((a^a>>>14)>>>0)/4294967296},s=Math.floor(o()*360),r=(s+40+Math.floor(o()*140))%360,n=Math.floor(o()*_s.length);return{hue:s,second:r,pattern:n,next:o}}function gt({album:e,class:t=""}){let{hue:o,second:s,pattern:r,next:n}=er(e),a=`cover-${Pt(`${e.albumId}|${e.title}`).toString(36)}`;return i`
    <svg class=${`album-cover ${t}`} viewBox="0 0 100 100" aria-hidden="true" focusable="false"
      data-testid="album-cover" data-design=${`${o}-${s}-${r}`}>
      <defs>
        <linearGradient id=${a} x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stop-color=${`hsl(${o} 45% 34%)`} />
          <stop offset="1" stop-color=${`hsl(${s} 50% 52%)`} />
        </linearGradient>
      </defs>
      <rect width="100" height="100" fill=${`url(#${a})`} />
      ${_s[r](n,`hsl(${(s+180)%360} 60% 85%)`)}
      <text x="8" y="92" font-size="26" font-weight="750" fill="#fff" fill-opacity="0.92"
        font-family="system-ui, sans-serif" letter-spacing="1">${Qn(e.title)}</text>
    </svg>
  `}function xe(e){return String(e).trim().toLowerCase().replace(/[^a-z0-9]+/g,"-").replace(/^-+|-+$/g,"").slice(0,40)}function tr({onCancel:e}){let t=B({title:"",artist:"",year:"",genre:""},async o=>{let s={title:o.title,artist:o.artist,genre:o.genre};String(o.year).trim()&&(s.year=Number(o.year));let r=await x("/users-reviews/albums",s);v(`"${r.title}" is in the catalog.`,{kind:"success"}),K(`/music/albums/${r.albumId}`)});return i`
    <${g} title="Add an album" label="add-album-title">
      <form class="form" onSubmit=${t.submit} ref=${t.ref} novalidate aria-label="Add an album">
        <div class="form-row">
          <${w} form=${t} name="title" label="Title" required />
          <${w} form=${t} name="artist" label="Artist" required />
        </div>
        <div class="form-row">
          <${w} form=${t} name="genre" label="Genre" required hint="For example: jazz, rock, hip-hop" />
          <${w} form=${t} name="year" label="Year" type="number" inputmode="numeric" />
        </div>
        <${H} form=${t} />
        <div class="form-actions">
          <${U} form=${t} busyText="Adding…">Add album<//>
          <button class="btn btn-ghost" type="button" onClick=${e}>Cancel</button>
        </div>
      </form>
    <//>
  `}function vs({query:e}){var u;let{user:t}=C(S),[o,s]=$(e.get("q")||""),[r,n]=$(o),[a,l]=$(!1);D(()=>{let p=setTimeout(()=>n(o.trim()),300);return()=>clearTimeout(p)},[o]);let c=y(()=>b(`/users-reviews/albums?limit=60${r?`&q=${encodeURIComponent(r)}`:""}`,{auth:!1}),[r]),d=[...new Set((((u=c.data)==null?void 0:u.albums)||[]).map(p=>p.genre))].sort();return i`
    <${F} title="Music" subtitle="Find albums, read what others think, and write your own review.">
      ${J(t)&&!a&&i`<button class="btn" type="button" onClick=${()=>l(!0)}>Add an album</button>`}
    <//>
    ${a&&i`<div style="margin-bottom:24px"><${tr} onCancel=${()=>l(!1)} /></div>`}
    <form class="search" role="search" onSubmit=${p=>{p.preventDefault(),n(o.trim())}}>
      <label class="visually-hidden" for="album-search">Search albums</label>
      <input id="album-search" type="search" placeholder="Search by title or artist" value=${o}
        onInput=${p=>s(p.currentTarget.value)} />
      <button class="btn btn-secondary" type="submit">Search</button>
    </form>
    ${d.length>0&&i`<div class="chips" style="margin:16px 0 4px" aria-label="Genre rooms">
      <span class="muted small" style="align-self:center">Genre rooms:</span>
      ${d.map(p=>i`<a class="chip" href=${`#/music/genres/${xe(p)}`} key=${p}>${p}</a>`)}
    </div>`}
    <div style="margin-top:18px" aria-live="polite">
      <${T} resource=${c} loadingText="Loading albums…">
        ${p=>p.albums.length===0?i`<${R}>${r?`No album matches "${r}".`:"The catalog is empty so far."}<//>`:i`<div class="cards" data-testid="albums">
                ${p.albums.map(m=>i`
                    <a class="card card-link album-card" href=${`#/music/albums/${m.albumId}`} key=${m.albumId}>
                      <${gt} album=${m} />
                      <h3 style="margin-bottom:2px">${m.title}</h3>
                      <p class="muted small" style="margin-bottom:6px">${m.artist}${m.year?` \xB7 ${m.year}`:""} · ${m.genre}</p>
                      <div class="row">
                        <${ye} value=${m.averageRating} />
                        <span class="small muted">${m.averageRating==null?"No reviews yet":`${m.averageRating.toFixed(1)} \xB7 ${Y(m.reviewCount,"review")}`}</span>
                      </div>
                    </a>
                  `)}
              </div>`}
      <//>
    </div>
  `}var or=12,sr=1e3;async function nr(e,t,o){return(await b(`/forums/rooms?roomType=${e}&limit=200`,{auth:!1})).rooms.find(r=>String(r[t])===String(o))||null}function Ne({kind:e,ref:t,canOpen:o}){let[s,r]=$({room:null,error:null,waiting:!0});return D(()=>{let n=!1,a=null,l={album:"albumId",genre:"genreId",game:"gameId"}[e],c=async d=>{try{let u=null;if(o&&e!=="game"?u=await x("/forums/rooms",e==="album"?{roomType:"album",albumId:t}:{roomType:"genre",genreId:t}):u=await nr(e,l,t),n)return;if(u){r({room:u,error:null,waiting:!1});return}}catch(u){if(n)return;if(!(u instanceof M&&(u.status===404||u.status===409))){r({room:null,error:u,waiting:!1});return}}if(d+1>=or){r({room:null,error:null,waiting:!1});return}a=setTimeout(()=>c(d+1),sr)};return r({room:null,error:null,waiting:!0}),c(0),()=>{n=!0,clearTimeout(a)}},[e,t,o]),s}var ws=["5.0","4.5","4.0","3.5","3.0","2.5","2.0","1.5","1.0","0.5"];function rr(e){let t=String(e??"").trim();if(t==="")return;let o=Number(t);return Number.isNaN(o)?t:o}function ir({album:e}){let t=Math.max(...ws.map(o=>e.ratingDistribution[o]||0),1);return i`
    <${g} title="Ratings" label="ratings-title">
      <table class="dist" aria-label="How many reviews gave each rating">
        <tbody>
          ${ws.map(o=>{let s=e.ratingDistribution[o]||0;return i`
              <tr key=${o}>
                <th scope="row">${o}★</th>
                <td aria-hidden="true"><div class="bar"><span style=${`width:${100*s/t}%`}></span></div></td>
                <td style="text-align:right">${s}</td>
              </tr>
            `})}
        </tbody>
      </table>
    <//>
  `}function ks({albumId:e,review:t,onSaved:o,onCancel:s}){let r=t?{rating:String(t.rating),reviewText:t.reviewText}:{rating:"",reviewText:""},n=B(r,async(l,{reset:c})=>{let d={reviewText:l.reviewText},u=rr(l.rating);u!==void 0&&(d.rating=u),t?(await ct(`/users-reviews/reviews/${t.reviewId}`,d),v("Your review is updated.",{kind:"success"})):(await x("/users-reviews/reviews",{albumId:Number(e),...d}),c(),v("Thanks for your review!",{kind:"success"})),o()}),a=n.bind("rating");return i`
    <form class="form" onSubmit=${n.submit} ref=${n.ref} novalidate aria-label=${t?"Edit your review":"Write a review"}>
      <${zo} id=${t?"edit-rating":"new-rating"} name=${t?"edit-rating":"new-rating"} label="Your rating" value=${a.value}
        error=${a.error} onChange=${l=>n.set("rating",l)} />
      <${w} form=${n} name="reviewText" label="Your review" multiline rows="5"
        hint="What did you think? Up to 5000 characters." />
      <${H} form=${n} />
      <div class="form-actions">
        <${U} form=${n}>${t?"Save review":"Post review"}<//>
        ${s&&i`<button class="btn btn-ghost" type="button" onClick=${s}>Cancel</button>`}
      </div>
    </form>
  `}function ar({review:e,albumId:t,onChanged:o}){let[s,r]=$(!1),[n,a]=$(!1),[l,c]=$(null),d=async()=>{c(null);try{await se(`/users-reviews/reviews/${e.reviewId}`),v("Your review is deleted."),o()}catch(u){c(u instanceof M?u.summary:String(u))}};return s?i`<${ks} albumId=${t} review=${e} onCancel=${()=>r(!1)}
      onSaved=${()=>{r(!1),o()}} />`:i`
    <div data-testid="my-review">
      <div class="row"><${ye} value=${e.rating} /> <strong>${e.rating.toFixed(1)}</strong></div>
      ${e.reviewText&&i`<p class="prose" style="margin:8px 0 0">${e.reviewText}</p>`}
      <div class="form-actions" style="margin-top:12px">
        <button class="btn btn-secondary btn-sm" type="button" onClick=${()=>r(!0)}>Edit review</button>
        ${!n&&i`<button class="btn btn-danger btn-sm" type="button" onClick=${()=>a(!0)}>Delete review</button>`}
        ${n&&i`
          <span role="alert">Delete your review?</span>
          <button class="btn btn-danger-solid btn-sm" type="button" onClick=${d}>Yes, delete it</button>
          <button class="btn btn-ghost btn-sm" type="button" onClick=${()=>a(!1)}>Keep it</button>
        `}
      </div>
      ${l&&i`<p class="form-error" role="alert" style="margin-top:10px">${l}</p>`}
    </div>
  `}function lr({albumId:e,user:t}){let{room:o,error:s,waiting:r}=Ne({kind:"album",ref:e,canOpen:!!t});return o?i`<${_e} roomId=${o.roomId} label="Album room messages" />`:s?i`<${me} error=${s} />`:r?i`<p class="loading">Opening the album's room…</p>`:t?i`<${R}>The room is not open yet. Try again in a moment.<//>`:i`<${W}>to join the album's room<//>`}function xs({params:e}){var c;let{user:t}=C(S),o=e.id,s=y(()=>b(`/users-reviews/albums/${o}`,{auth:!1}),[o]),r=y(()=>b(`/users-reviews/reviews/album/${o}?limit=100`,{auth:!!t}),[o,t==null?void 0:t.user_id]),n=()=>{s.reload(),r.reload()},a=i`<a href="#/music">Music</a> › Album`,l=t&&((c=r.data)==null?void 0:c.my_review);return i`
    <${T} resource=${s} loadingText="Loading the album…">
      ${d=>i`
        <div class="card hero">
          <div class="hero-art"><${gt} album=${d} /></div>
          <div class="hero-main">
            <${F} title=${d.title} crumbs=${a}
              subtitle=${i`${d.artist}${d.year?` \xB7 ${d.year}`:""} · <a href=${`#/music/genres/${xe(d.genre)}`}>${d.genre}</a>`} />
          </div>
          <div class="hero-rating">
            <span class="rating-big" data-testid="average">${d.averageRating==null?"\u2013":d.averageRating.toFixed(1)}</span>
            <div>
              <${ye} value=${d.averageRating} />
              <div class="small muted" data-testid="review-count">${d.reviewCount?Y(d.reviewCount,"review"):"No reviews yet"}</div>
            </div>
          </div>
        </div>
        <div class="grid">
          <div class="stack">
            <${g} title=${l?"Your review":"Write a review"} label="my-review-title">
              ${!t&&i`<${W}>to review this album<//>`}
              ${t&&r.data&&(l?i`<${ar} review=${l} albumId=${o} onChanged=${n} />`:i`<${ks} albumId=${o} onSaved=${n} />`)}
            <//>
            <${g} title="Reviews" label="reviews-title">
              <${T} resource=${r} loadingText="Loading reviews…">
                ${u=>u.reviews.length===0?i`<${R}>No reviews yet. Be the first to write one.<//>`:i`<ul class="list" data-testid="reviews">
                        ${u.reviews.map(p=>i`
                            <li class="review" key=${p.reviewId}>
                              <div class="who">
                                <${ne} id=${p.userId} name=${p.username} />
                                <${ye} value=${p.rating} />
                                <span class="small muted"><${L} iso=${p.updatedAt} /></span>
                              </div>
                              ${p.reviewText&&i`<p class="prose" style="margin:8px 0 0">${p.reviewText}</p>`}
                            </li>
                          `)}
                      </ul>`}
              <//>
            <//>
          </div>
          <div class="stack">
            <${ir} album=${d} />
            <${g} title="Album room" label="album-room-title"><${lr} albumId=${o} user=${t} /><//>
          </div>
        </div>
      `}
    <//>
  `}var X=["#2f5d62","#b8692e","#6d8fb3","#8a9a5b"];function Xt({children:e,fallback:t=560}){let o=G(null),[s,r]=$(t);return ve(()=>{let n=o.current;if(!n)return;let a=()=>{let c=Math.floor(n.getBoundingClientRect().width);c>0&&r(d=>d===c?d:c)};if(a(),typeof ResizeObserver>"u")return;let l=new ResizeObserver(a);return l.observe(n),()=>l.disconnect()},[]),i`<div class="chart-frame" ref=${o}>${e(Math.max(s,200))}</div>`}var Ae;function Ss(e,t,o=600){Ae===void 0&&(Ae=document.createElement("canvas").getContext("2d")),Ae&&(Ae.font=`${o} 12px ${getComputedStyle(document.body).fontFamily}`);let s=n=>Ae?Ae.measureText(n).width:n.length*7.5;if(s(e)<=t)return e;let r=e.length;for(;r>1&&s(`${e.slice(0,r).trimEnd()}\u2026`)>t;)r-=1;return`${e.slice(0,r).trimEnd()}\u2026`}function Jt(e){return Number.isInteger(e)?String(e):Number(e).toFixed(2).replace(/0+$/,"")}function Ie({items:e,title:t,unit:o=""}){if(!e.length)return i`<p class="empty">No data yet.</p>`;let s=30,r=e.length*s+8,n=Math.max(...e.map(l=>l.value),1),a=`${t}: ${e.map(l=>`${l.label} ${Jt(l.value)}${o}`).join(", ")}`;return i`
    <${Xt}>
      ${l=>{let c=Math.round(Math.min(150,Math.max(96,l*.42)));return i`
          <svg class="chart" viewBox=${`0 0 ${l} ${r}`} width=${l} height=${r} role="img"
            aria-label=${a}>
            ${e.map((d,u)=>{let p=u*s+4,m=Math.max((l-c-56)*d.value/n,2),h=Ss(d.label,c-8);return i`
                <g key=${d.label}>
                  <text class="label" x="0" y=${p+16}>${h}</text>
                  <rect x=${c} y=${p+2} width=${m} height="18" rx="4" fill=${X[0]} />
                  <text class="value" x=${c+m+8} y=${p+16}>${Jt(d.value)}${o}</text>
                </g>
              `})}
          </svg>
        `}}
    <//>
  `}function bt({groups:e,series:t,title:o}){if(!e.length)return i`<p class="empty">No data yet.</p>`;let s=220,r=28,n=18,a=Math.max(...e.flatMap(d=>d.values),1),l=d=>(s-r-n)*d/a,c=`${o}: ${e.map(d=>`${d.label}: ${t.map((u,p)=>`${d.values[p]} ${u}`).join(", ")}`).join("; ")}`;return i`
    <div>
      <${Xt}>
        ${d=>{let u=d/e.length,p=Math.min(28,(u-24)/t.length);return i`
            <svg class="chart" viewBox=${`0 0 ${d} ${s}`} width=${d} height=${s} role="img"
              aria-label=${c}>
              <line x1="0" x2=${d} y1=${s-r} y2=${s-r} stroke="#e2ddd5" />
              ${e.map((m,h)=>{let f=h*u+(u-p*t.length)/2,I=Ss(m.label,u-6);return i`
                  <g key=${m.label}>
                    ${m.values.map((_,P)=>{let q=Math.max(l(_),_?2:0),O=f+P*p;return i`
                        <rect x=${O+2} y=${s-r-q} width=${Math.max(p-4,2)} height=${q} rx="3"
                          fill=${X[P%X.length]} />
                        ${p>=20&&i`<text x=${O+p/2} y=${s-r-q-4} text-anchor="middle">${Jt(_)}</text>`}
                      `})}
                    <text class="label" x=${h*u+u/2} y=${s-8} text-anchor="middle">${I}</text>
                  </g>
                `})}
            </svg>
          `}}
      <//>
      <p class="legend" aria-hidden="true">
        ${t.map((d,u)=>i`<span><i style=${`background:${X[u%X.length]}`}></i>${d}</span>`)}
      </p>
    </div>
  `}function Ts({events:e,start:t,end:o,team1:s,team2:r}){let n=typeof t=="number"?t:Date.parse(t),a=e.map(f=>({t:Date.parse(f.recorded_at),a:f.score_team_1,b:f.score_team_2})).filter(f=>Number.isFinite(f.t)).sort((f,I)=>f.t-I.t),l=Number.isFinite(n)?a.filter(f=>f.t>=n):a;if(!l.some(f=>f.a||f.b))return i`<p class="empty">The chart fills in as the game is scored.</p>`;let c=Number.isFinite(n)?n:l[0].t,d=l[l.length-1],u=Math.max(d.t,Number.isFinite(Date.parse(o))?Date.parse(o):0,c+6e4),p=(u-c)/1e3,m=Math.round((d.t-c)/6e4),h=`Score over the game, ${m} ${m===1?"minute":"minutes"} after kick-off: ${s} ${d.a}, ${r} ${d.b}`;return i`
    <div>
      <${Xt}>
        ${f=>{let _={left:30,right:44,top:14,bottom:30},P=f-_.right,q=Math.max(...l.flatMap(N=>[N.a,N.b]),1),O=Math.max(1,Math.ceil(q/4)),E=Math.ceil(q/O)*O,z=Array.from({length:E/O+1},(N,te)=>te*O),k=N=>_.left+(P-_.left)*(N-c)/(u-c),j=N=>200-_.bottom-(200-_.top-_.bottom)*N/E,ie=N=>{let te=`M${k(c).toFixed(1)},${j(0).toFixed(1)}`;for(let Pe of l)te+=` H${k(Pe.t).toFixed(1)} V${j(Pe[N]).toFixed(1)}`;return`${te} H${k(u).toFixed(1)}`},ae=[];l.forEach((N,te)=>{let Pe=l[te-1]||{a:0,b:0};N.a!==Pe.a&&ae.push({t:N.t,v:N.a,team:0}),N.b!==Pe.b&&ae.push({t:N.t,v:N.b,team:1})});let fe=cr(p,Math.max(3,Math.floor((P-_.left)/52))),le=dr([j(d.a),j(d.b)],16,_.top+6,200-_.bottom);return i`
            <svg class="chart score-chart" viewBox=${`0 0 ${f} 200`} width=${f} height=${200}
              role="img" aria-label=${h} data-testid="score-chart">
              ${z.map(N=>i`
                  <line key=${`g${N}`} x1=${_.left} x2=${P} y1=${j(N)} y2=${j(N)}
                    stroke=${N?"#ece7df":"#cfc8bd"} />
                  <text key=${`v${N}`} class="axis" x=${_.left-8} y=${j(N)+4} text-anchor="end">${N}</text>
                `)}
              ${fe.map(N=>i`
                  <line key=${`l${N}`} x1=${k(c+N*1e3)} x2=${k(c+N*1e3)}
                    y1=${j(0)} y2=${j(0)+4} stroke="#cfc8bd" />
                  <text key=${`t${N}`} class="axis tick" data-seconds=${N} x=${k(c+N*1e3)}
                    y=${190} text-anchor="middle">${ur(N,fe[1]-fe[0])}</text>
                `)}
              <path d=${ie("a")} fill="none" stroke=${X[0]} stroke-width="2.5" stroke-linejoin="round" />
              <path d=${ie("b")} fill="none" stroke=${X[1]} stroke-width="2.5" stroke-linejoin="round"
                stroke-dasharray="6 3" />
              ${ae.map(N=>i`<circle key=${`${N.t}-${N.team}`} class="change" data-team=${N.team+1}
                  data-seconds=${Math.round((N.t-c)/1e3)} cx=${k(N.t)} cy=${j(N.v)} r="3.5" fill=${X[N.team]} />`)}
              ${[d.a,d.b].map((N,te)=>i`
                  <g class="end-label" key=${te} data-team=${te+1}>
                    <rect x=${P+8} y=${le[te]-5} width="10" height="10" rx="2" fill=${X[te]} />
                    <text class="value" x=${P+22} y=${le[te]+4.5}>${N}</text>
                  </g>
                `)}
            </svg>
          `}}
      <//>
      <p class="legend legend-lines" aria-hidden="true">
        <span><i style=${`border-top-color:${X[0]}`}></i>${s}</span>
        <span><i class="dashed" style=${`border-top-color:${X[1]}`}></i>${r}</span>
        <span>Minutes since kick-off</span>
      </p>
    </div>
  `}function cr(e,t){let o=[15,30,60,120,300,600,900,1200,1800,2700,3600,7200,10800,21600,43200,86400],r=o.find(a=>e/a<=t-1)||[...o].reverse().find(a=>a<=e)||60,n=[];for(let a=0;a<=e+1e-6;a+=r)n.push(a);return n}function ur(e,t){return t<60?`${Math.floor(e/60)}:${String(e%60).padStart(2,"0")}`:t>=10800?`${Math.round(e/3600)}h`:`${Math.round(e/60)}'`}function dr(e,t,o,s){let r=e.map((c,d)=>({y:c,i:d})).sort((c,d)=>c.y-d.y||c.i-d.i);for(let c=0;c<r.length;c+=1)r[c].y=Math.max(r[c].y,o,c?r[c-1].y+t:o);for(let c=r.length-1;c>=0;c-=1)r[c].y=Math.min(r[c].y,c<r.length-1?r[c+1].y-t:s);let n=[];for(let c of r)n[c.i]=c.y;let a=c=>c.reduce((d,u)=>d+u,0)/c.length,l=Math.min(Math.max(a(e)-a(n),o-Math.min(...n)),s-Math.max(...n));return n.map(c=>c+l)}function Zt({days:e,series:t,title:o}){if(!e.length)return i`<p class="empty">No data yet.</p>`;let s=560,r=220,n={left:34,right:12,top:14,bottom:28},a=Math.max(...t.flatMap(f=>f.values),1),l=e.length>1?(s-n.left-n.right)/(e.length-1):0,c=f=>n.left+l*f,d=f=>r-n.bottom-(r-n.top-n.bottom)*f/a,u=f=>f.map((I,_)=>`${_?"L":"M"}${c(_).toFixed(1)},${d(I).toFixed(1)}`).join(" "),p=[...new Set([0,Math.floor((e.length-1)/2),e.length-1])],m=t.map(f=>`${f.name} ${f.values.reduce((I,_)=>I+_,0)}`).join(", "),h=`${o}, ${e[0]} to ${e[e.length-1]}: in total ${m}`;return i`
    <div>
      <svg class="chart" viewBox=${`0 0 ${s} ${r}`} role="img" aria-label=${h}>
        <line x1=${n.left} x2=${s-n.right} y1=${r-n.bottom} y2=${r-n.bottom} stroke="#e2ddd5" />
        <text class="label" x=${n.left-6} y=${n.top+4} text-anchor="end">${a}</text>
        <text class="label" x=${n.left-6} y=${r-n.bottom} text-anchor="end">0</text>
        ${p.map(f=>i`<text class="label" key=${f} x=${c(f)} y=${r-8}
            text-anchor=${f===0?"start":f===e.length-1?"end":"middle"}>${e[f].slice(5)}</text>`)}
        ${t.map((f,I)=>i`<path key=${f.name} d=${u(f.values)} fill="none" stroke=${X[I%X.length]}
            stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round" />`)}
      </svg>
      <p class="legend" aria-hidden="true">
        ${t.map((f,I)=>i`<span key=${f.name}><i style=${`background:${X[I%X.length]}`}></i>${f.name}</span>`)}
      </p>
    </div>
  `}function yt({buckets:e,title:t}){if(!e.reduce((u,p)=>u+p.value,0))return i`<p class="empty">No data yet.</p>`;let s=560,r=170,n=24,a=16,l=Math.max(...e.map(u=>u.value),1),c=s/e.length,d=`${t}: ${e.map(u=>`${u.label} ${u.value}`).join(", ")}`;return i`
    <svg class="chart" viewBox=${`0 0 ${s} ${r}`} role="img" aria-label=${d}>
      <line x1="0" x2=${s} y1=${r-n} y2=${r-n} stroke="#e2ddd5" />
      ${e.map((u,p)=>{let m=(r-n-a)*u.value/l;return i`<g key=${u.label}>
          <rect x=${p*c+4} y=${r-n-m} width=${c-8} height=${m} rx="3" fill=${X[2]} />
          ${u.value?i`<text x=${p*c+c/2} y=${r-n-m-4} text-anchor="middle">${u.value}</text>`:""}
          <text class="label" x=${p*c+c/2} y=${r-6} text-anchor="middle">${u.label}</text>
        </g>`})}
    </svg>
  `}function Cs({params:e}){let{user:t}=C(S),o=xe(e.genre),{room:s,error:r,waiting:n}=Ne({kind:"genre",ref:o,canOpen:!!t}),a=y(()=>b("/users-reviews/albums?limit=200",{auth:!1}),[]),l=y(()=>b("/analytics/reviews",{auth:!1}),[]),c=i`<a href="#/music">Music</a> › Genre`;return i`
    <${F} title=${`#${o}`} crumbs=${c} subtitle=${`Talk about ${o} music with everyone here now.`} />
    <div class="grid">
      <${g} title="Genre room" label="genre-room-title">
        ${s&&i`<${_e} roomId=${s.roomId} label="Genre room messages" />`}
        ${!s&&r&&i`<${me} error=${r} />`}
        ${!s&&!r&&n&&i`<p class="loading">Opening the room…</p>`}
        ${!s&&!r&&!n&&(t?i`<${R}>This room is not open yet.<//>`:i`<${W}>to join the room<//>`)}
      <//>
      <${g} title="Albums" label="genre-albums-title">
        <${T} resource=${a}>
          ${d=>{let u=d.albums.filter(p=>xe(p.genre)===o);return u.length===0?i`<${R}>No albums in this genre yet.<//>`:i`<ul class="list">
                  ${u.map(p=>i`<li key=${p.albumId}>
                      <a href=${`#/music/albums/${p.albumId}`}><strong>${p.title}</strong></a>
                      <div class="row small muted">${p.artist} <${ye} value=${p.averageRating} /></div>
                    </li>`)}
                </ul>`}}
        <//>
        <h3 style="margin-top:16px">Ratings</h3>
        <${T} resource=${l}>
          ${d=>{let u=d.data.genres.find(m=>xe(m.genre)===o),p=Array.from({length:10},(m,h)=>String((h+1)/2));return u&&u.reviews?i`<${yt} title=${`Reviews of ${o} albums by stars`}
                  buckets=${p.map((m,h)=>({label:m,value:u.distribution[h]}))} />
                <p class="muted small">Average ${u.average_rating}★ over ${u.reviews} reviews, as of the last refresh.</p>`:i`<${R}>No ratings counted yet.<//>`}}
        <//>
      <//>
    </div>
  `}function _t(e){return y(async()=>{if(!e)return new Set;let t=await b(`/users/${e.user_id}/followings?limit=200`);return new Set(t.followings.map(String))},[e==null?void 0:e.user_id])}function Ge({user:e,target:t,followings:o,onChange:s,small:r=!1}){let[n,a]=$(!1);if(!e||!o.data||String(t.id)===String(e.user_id))return null;let l=o.data.has(String(t.id)),c=async()=>{a(!0);try{l?(await se(`/users/${e.user_id}/unfollow`,{unfollowUserId:Number(t.id)}),v(`You unfollowed ${t.name}.`)):(await x(`/users/${e.user_id}/follow`,{followUserId:Number(t.id)}),v(`You follow ${t.name} now.`)),o.setData(d=>{let u=new Set(d);return l?u.delete(String(t.id)):u.add(String(t.id)),u}),s&&s(!l)}catch(d){v(d instanceof M?d.summary:String(d))}finally{a(!1)}};return i`
    <button
      class=${`btn ${l?"btn-secondary":""} ${r?"btn-sm":""}`}
      type="button"
      aria-pressed=${l?"true":"false"}
      aria-label=${l?`Unfollow ${t.name}`:`Follow ${t.name}`}
      disabled=${n}
      onClick=${c}
    >
      ${l?"Following":"Follow"}
    </button>
  `}function mr(e){let t=e.followed_by_followings;return t>0?`Followed by ${t===1?"1 person":`${t} people`} you follow`:e.followers_count>0?`${e.followers_count} ${e.followers_count===1?"follower":"followers"}`:"New to Agora"}function Es({user:e,followings:t,onFollowed:o,limit:s=5}){var d;let r=y(()=>e?b(`/users/suggestions?limit=${s}`):Promise.resolve({users:[]}),[e==null?void 0:e.user_id,s]),n=G(null),a=G(null),l=G(null),c=(((d=r.data)==null?void 0:d.users)||[]).filter(u=>!(t.data&&t.data.has(String(u.user_id))));return ve(()=>{if(l.current===null)return;let u=n.current?n.current.querySelectorAll("button"):[],p=u[Math.min(l.current,u.length-1)]||a.current;l.current=null,p&&p.focus()}),e?i`
    <section class="card" aria-labelledby="who-to-follow-title" data-testid="who-to-follow">
      <div class="card-head"><h2 id="who-to-follow-title" tabindex="-1" ref=${a}>Who to follow</h2></div>
      ${r.data===void 0?i`<p class="loading" role="status">Finding people…</p>`:c.length===0?i`<p class="empty">No suggestions right now: you follow everyone we know of.</p>`:i`<ul class="list" ref=${n}>
              ${c.map((u,p)=>i`<li class="row-between suggestion" key=${u.user_id} data-testid="suggestion">
                  <${ne} id=${u.user_id} name=${u.username} src=${u.profile_picture||void 0}>
                    <span class="small muted suggestion-reason">${mr(u)}</span>
                  <//>
                  <${Ge} user=${e} target=${{id:u.user_id,name:u.username}} followings=${t} small
                    onChange=${m=>{m&&(l.current=p,r.reload(),o&&o(u))}} />
                </li>`)}
            </ul>`}
    </section>
  `:null}function pr({tweet:e,user:t,onDeleted:o}){let[s,r]=$(!1),n=t&&e.userId===String(t.user_id),a=async()=>{r(!0);try{await se(`/tweets/${e.tweetId}`),o(e.tweetId),v("Your post is deleted.")}catch(l){v(l instanceof M?l.summary:String(l)),r(!1)}};return i`
    <li class=${`tweet ${e.fresh?"fresh":""}`} data-testid="tweet" data-tweet-id=${e.tweetId}>
      <${pe} name=${e.username} />
      <div class="tweet-body">
        <div class="tweet-head">
          <a href=${`#/users/${e.userId}`}>${e.username}</a>
          <span class="small muted"><${L} iso=${e.timestamp} /></span>
          ${n&&i`<${ht} label="Delete this post" question="Delete this post?" busy=${s}
            onConfirm=${a} />`}
        </div>
        <p class="tweet-text">${e.content}</p>
      </div>
    </li>
  `}function vt({tweets:e,user:t,onDeleted:o,empty:s="Nothing here yet."}){return e.length?i`
    <ul class="list" data-testid="tweets" aria-live="polite" aria-relevant="additions">
      ${e.map(r=>i`<${pr} key=${r.tweetId} tweet=${r} user=${t} onDeleted=${o} />`)}
    </ul>
  `:i`<${R}>${s}<//>`}var fr=280;function $r({onPosted:e}){let t=B({content:""},async(r,{reset:n})=>{let a=await x("/tweets",{content:r.content});n(),e(a)}),o=fr-t.values.content.length,s=t.bind("content");return i`
    <form class="form" onSubmit=${t.submit} ref=${t.ref} novalidate aria-label="New post">
      <div class="field">
        <label for="compose">What's happening?</label>
        <textarea id="compose" name="content" rows="3" value=${s.value} onInput=${s.onInput}
          aria-invalid=${s.error?"true":void 0}
          aria-describedby=${s.error?"compose-count compose-error":"compose-count"} />
        <div class="row-between">
          <span id="compose-count" class=${`counter ${o<0?"over":""}`}>${o} characters left</span>
        </div>
        ${s.error&&i`<span class="field-error" id="compose-error">${s.error}</span>`}
      </div>
      <${H} form=${t} />
      <div class="form-actions"><${U} form=${t} busyText="Posting…">Post<//></div>
    </form>
  `}function hr({user:e,followings:t}){var c;let[o,s]=$(""),[r,n]=$(""),a=y(()=>r?b(`/users?q=${encodeURIComponent(r)}&limit=10`,{auth:!1}):Promise.resolve(null),[r]),l=(((c=a.data)==null?void 0:c.users)||[]).filter(d=>d.user_id!==String(e.user_id));return i`
    <${g} title="Find people" label="find-people-title">
      <form class="search" role="search" onSubmit=${d=>{d.preventDefault(),n(o.trim().toLowerCase())}}>
        <label class="visually-hidden" for="people-search">Username starts with</label>
        <input id="people-search" type="search" placeholder="Username" value=${o}
          onInput=${d=>s(d.currentTarget.value)} />
        <button class="btn btn-secondary" type="submit">Find</button>
      </form>
      ${a.data&&(l.length===0?i`<p class="muted small" style="margin-top:12px">Nobody found.</p>`:i`<ul class="list" style="margin-top:12px">
            ${l.map(d=>i`<li class="row-between" key=${d.user_id}>
                <${ne} id=${d.user_id} name=${d.username} />
                <${Ge} user=${e} target=${{id:d.user_id,name:d.username}} followings=${t} small />
              </li>`)}
          </ul>`)}
    <//>
  `}function Rs(){let{user:e}=C(S),t=_t(e),o=y(()=>e?b(`/tweets/homeTimeline/${e.user_id}?limit=30`):Promise.resolve(null),[e==null?void 0:e.user_id]),[s,r]=$(!1),n=(c,d=!0)=>o.setData(u=>{if(!u||u.tweets.some(m=>m.tweetId===c.tweetId))return u;let p=[{...c,fresh:d},...u.tweets].sort((m,h)=>Number(h.tweetId)-Number(m.tweetId));return{...u,tweets:p}}),a=c=>o.setData(d=>d&&{...d,tweets:d.tweets.filter(u=>u.tweetId!==String(c))});Q({enabled:!!e,path:"/tweets/live",auth:"required",onFrame:c=>{c.type==="tweet"?n(c):c.type==="tweet_deleted"?a(c.tweetId):(c.type==="reload"||c.type==="follows_changed")&&o.reload()}},[e==null?void 0:e.user_id]);let l=async()=>{r(!0);try{let c=await b(`/tweets/homeTimeline/${e.user_id}?limit=30&before=${o.data.next_cursor}`);o.setData(d=>({tweets:[...d.tweets,...c.tweets],next_cursor:c.next_cursor}))}finally{r(!1)}};return e?i`
    <${F} title="Timeline" subtitle="Short posts from you and the people you follow, as they happen." />
    <div class="grid">
      <div class="stack">
        <${g}><${$r} onPosted=${c=>n(c,!1)} /><//>
        <${g} title="Home" label="home-title">
          <${T} resource=${o} loadingText="Loading your timeline…">
            ${c=>i`
              <${vt} tweets=${c.tweets} user=${e} onDeleted=${a}
                empty="Nothing here yet. Follow people to fill your timeline." />
              ${c.next_cursor&&i`<div style="margin-top:14px"><button class="btn btn-secondary" type="button" disabled=${s}
                onClick=${l}>${s?"Loading\u2026":"Load older posts"}</button></div>`}
            `}
          <//>
        <//>
      </div>
      <div class="stack">
        <${Es} user=${e} followings=${t} onFollowed=${()=>o.reload()} />
        <${hr} user=${e} followings=${t} />
        <${g} title="You follow" label="you-follow-title">
          ${t.data&&t.data.size===0?i`<${R}>You don't follow anyone yet.<//>`:i`<p class="muted small" style="margin:0">
                ${t.data?`${Y(t.data.size,"person","people")}.`:""} <a href=${"#/profile"}>See them on your profile</a>.
              </p>`}
        <//>
      </div>
    </div>
  `:i`
      <${F} title="Timeline" subtitle="Short posts from the people you follow, as they happen." />
      <${W}>to see your timeline<//>
    `}function je({page:e,emptyText:t}){return e.users.length?i`
    <ul class="list">
      ${e.users.map(o=>i`<li key=${o.user_id}><${ne} id=${o.user_id} name=${o.username} /></li>`)}
    </ul>
  `:i`<${R}>${t}<//>`}function Fs({params:e}){let{user:t}=C(S),o=e.id,s=y(()=>b(`/users/profile/${o}`,{auth:!1}),[o]),r=y(()=>b(`/tweets/userTimeline/${o}?limit=50`,{auth:!1}),[o]),n=y(()=>b(`/users/${o}/followers?limit=20`,{auth:!1}),[o]),a=y(()=>b(`/users/${o}/followings?limit=20`,{auth:!1}),[o]),l=_t(t),c=()=>{s.reload(),n.reload()},d=u=>r.setData(p=>({...p,tweets:p.tweets.filter(m=>m.tweetId!==u)}));return i`
    <${T} resource=${s} loadingText="Loading the profile…">
      ${u=>i`
        <div class="card" style="margin-bottom:24px">
          <div class="row" style="gap:18px;align-items:flex-start">
            <${pe} name=${u.username} src=${u.profile_picture} large />
            <div style="flex:1;min-width:200px">
              <${F} title=${u.username}
                subtitle=${i`Joined <${L} iso=${u.created_at} time=${!1} />${u.role==="admin"?i` · <${V} kind="primary">Admin<//>`:""}`}>
                <${Ge} user=${t} target=${{id:u.userId,name:u.username}} followings=${l} onChange=${c} />
              <//>
              ${u.bio?i`<p class="prose">${u.bio}</p>`:i`<p class="muted">No bio yet.</p>`}
              <div class="stats">
                <div class="stat"><strong data-testid="followers-count">${u.followers_count}</strong><span>followers</span></div>
                <div class="stat"><strong>${u.followings_count}</strong><span>following</span></div>
                <div class="stat"><strong>${r.data?r.data.tweets.length:"\u2013"}</strong><span>recent posts</span></div>
              </div>
            </div>
          </div>
        </div>
        <div class="grid">
          <${g} title="Posts" label="posts-title">
            <${T} resource=${r}>
              ${p=>i`<${vt} tweets=${p.tweets} user=${t} onDeleted=${d}
                empty=${`${u.username} has not posted yet.`} />`}
            <//>
          <//>
          <div class="stack">
            <${g} title=${`Followers (${u.followers_count})`} label="followers-title">
              <${T} resource=${n}>${p=>i`<${je} page=${p} emptyText="No followers yet." />`}<//>
            <//>
            <${g} title=${`Following (${u.followings_count})`} label="following-title">
              <${T} resource=${a}>${p=>i`<${je} page=${p} emptyText="Follows nobody yet." />`}<//>
            <//>
          </div>
        </div>
      `}
    <//>
  `}var gr={live:["live","Live"],paused:["warning","Paused"],scheduled:["primary","Scheduled"],finished:["","Final"],postponed:["warning","Postponed"],cancelled:["danger","Cancelled"]};function ze({game:e}){let[t,o]=gr[e.status]||["",e.status];return i`<${V} kind=${t}>${o}${e.status==="live"&&e.current_period?` \xB7 ${e.current_period}`:""}<//>`}function Qt(e,t){if(t.type==="snapshot")return{...t.game};if(!e)return e;if(t.type==="score"&&t.version>=(e.version||0))return{...e,version:t.version,score_team_1:t.score_team_1,score_team_2:t.score_team_2,status:t.status,current_period:t.current_period,period_running:t.period_running};if(t.type==="event"&&t.event){let o=e.event_details||[];return o.some(s=>s.event_id===t.event.event_id)?e:{...e,event_details:[...o,t.event]}}return e}function Ls({initial:e}){let[t,o]=$(e);return Q({path:`/sports/games/${e.game_id}/live`,auth:"optional",onFrame:s=>o(r=>Qt(r,s))},[e.game_id]),i`
    <a class="card card-link score-card" href=${`#/sports/games/${t.game_id}`} data-testid="score-card"
      aria-label=${`${t.team_1} ${t.score_team_1}, ${t.team_2} ${t.score_team_2}, ${t.status}`}>
      <div class="row-between">
        <span class="small muted">${t.sport_category}</span>
        <${ze} game=${t} />
      </div>
      <div class="scoreline">
        <span class="team">${t.team_1}</span>
        <span class="score" data-testid="score">${t.score_team_1} – ${t.score_team_2}</span>
        <span class="team">${t.team_2}</span>
      </div>
      <span class="small muted">Started <${L} iso=${t.started_at||t.start_time} /></span>
    </a>
  `}function wt(e){return y(async()=>e?(await b("/sports/teams/following?limit=200")).data:[],[e==null?void 0:e.user_id])}function Ve({team:e,followed:t,small:o=!0,compact:s=!1}){let[r,n]=$(!1);if(!t.data)return null;let a=t.data.some(c=>c.team.toLowerCase()===e.toLowerCase());return i`
    <button class=${`btn btn-secondary ${o?"btn-sm":""}`} type="button" disabled=${r}
      aria-pressed=${a?"true":"false"} onClick=${async()=>{n(!0);try{a?await se("/sports/teams/follow",{team:e}):await x("/sports/teams/follow",{team:e}),v(a?`You unfollowed ${e}.`:`You follow ${e}: you will hear about its scores.`),await t.reload()}catch(c){v(c instanceof M?c.summary:String(c))}finally{n(!1)}}}
      aria-label=${a?`Unfollow ${e}`:`Follow ${e}`}>
      ${s?a?"Unfollow":"Follow":a?`Following ${e}`:`Follow ${e}`}
    </button>
  `}var br=3e4,yr=[["all","All time"],["24h","Last 24 hours"],["7d","Last 7 days"],["4w","Last 4 weeks"]];function _r({onDone:e}){let t=B({category_name:""},async(o,{reset:s})=>{let r=await x("/sports/categories",o);return s(),e(),`"${r.data.category_name}" is added.`});return i`
    <form class="form" onSubmit=${t.submit} ref=${t.ref} novalidate aria-label="New category">
      <${w} form=${t} name="category_name" label="Category name" required hint="For example: Football" />
      <${H} form=${t} />
      <div class="form-actions"><${U} form=${t} busyText="Adding…">Add category<//></div>
    </form>
  `}function vr({categories:e}){var s;let t=new Date;t.setSeconds(0,0);let o=B({category_id:((s=e[0])==null?void 0:s.category_id)||"",team_1:"",team_2:"",start_time:He(t)},async r=>{let n=await x("/sports/games",{...r,start_time:Ue(r.start_time)});v(`${n.data.team_1} v ${n.data.team_2} is scheduled.`,{kind:"success"}),K(`/sports/games/${n.data.game_id}`)},{labels:{team_1:"the home team",team_2:"the away team",start_time:"the start"}});return e.length?i`
    <form class="form" onSubmit=${o.submit} ref=${o.ref} novalidate aria-label="New game">
      <${We} form=${o} name="category_id" label="Category"
        options=${e.map(r=>[r.category_id,r.category_name])} />
      <div class="form-row">
        <${w} form=${o} name="team_1" label="Home team" required />
        <${w} form=${o} name="team_2" label="Away team" required />
      </div>
      <${w} form=${o} name="start_time" label="Starts" type="datetime-local" required />
      <${H} form=${o} />
      <div class="form-actions"><${U} form=${o} busyText="Scheduling…">Create game<//></div>
    </form>
  `:i`<p class="muted">Add a category first.</p>`}function wr({category:e}){let[t,o]=$("all"),s=y(()=>b(`/sports/analytics?time_range=${t}${e?`&sport_category=${encodeURIComponent(e)}`:""}`,{auth:!1}),[t,e]);return i`
    <${g}
      title="Analytics"
      label="analytics-title"
      actions=${i`
        <label class="visually-hidden" for="range">Time range</label>
        <select id="range" value=${t} onChange=${r=>o(r.currentTarget.value)} style="min-height:34px;padding:4px 8px">
          ${yr.map(([r,n])=>i`<option value=${r} selected=${r===t}>${n}</option>`)}
        </select>
      `}
    >
      <${T} resource=${s} loadingText="Crunching numbers…">
        ${r=>{let n=r.data,a=(c,d)=>{var u;return((u=c.metrics.find(p=>p.metric_name===d))==null?void 0:u.value)||0},l=n.detailed_reports.map(c=>({label:c.report_name.replace(/ \(.*\)$/,""),values:[a(c,"games"),a(c,"events"),a(c,"scoring_events")]}));return i`
            <p class="muted small" data-testid="analytics-as-of">
              ${n.as_of?i`As of <${L} iso=${n.as_of} /> (the warehouse refreshes every few minutes)`:"Not computed yet: the warehouse has not been refreshed."}
            </p>
            <div class="stats" style="margin-bottom:16px">
              <div class="stat"><strong>${n.analytics_summary.total_events}</strong><span>games</span></div>
              <div class="stat"><strong>${n.analytics_summary.total_game_events}</strong><span>game events</span></div>
              <div class="stat"><strong>${n.analytics_summary.average_score}</strong><span>average score per team</span></div>
            </div>
            <h3>Top teams by average score</h3>
            <${Ie} title="Top teams by average score"
              items=${n.analytics_summary.top_teams.map(c=>({label:c.team_name,value:c.average_score}))} />
            <h3 style="margin-top:18px">Activity per category</h3>
            <${bt} title="Activity per category" groups=${l} series=${["games","events","scoring events"]} />
          `}}
      <//>
    <//>
  `}function kr({user:e,followed:t}){var c;let[o,s]=$(""),[r,n]=$(null),a=y(()=>b("/sports/teams?limit=200",{auth:!1}),[]),l=async d=>{if(d.preventDefault(),n(null),!o.trim()){n("Type a team name.");return}try{await x("/sports/teams/follow",{team:o.trim()}),v(`You follow ${o.trim()}: you will hear about its scores.`),s(""),t.reload()}catch(u){n(u.summary||String(u))}};return e?i`
    <${g} title="Teams you follow" label="teams-title">
      <${T} resource=${t}>
        ${d=>d.length===0?i`<p class="muted small">You follow no team yet. Their score changes reach your bell.</p>`:i`<ul class="list" style="margin-bottom:12px">
                ${d.map(u=>i`<li class="row-between" key=${u.team_id}>
                  <strong>${u.team}</strong>
                  <${Ve} team=${u.team} followed=${t} compact />
                </li>`)}
              </ul>`}
      <//>
      <form class="inline-form" onSubmit=${l} novalidate>
        <label class="visually-hidden" for="team-name">Team to follow</label>
        <input id="team-name" type="text" list="team-names" placeholder="Team name" value=${o}
          aria-invalid=${r?"true":void 0} aria-describedby=${r?"team-error":void 0}
          onInput=${d=>{s(d.currentTarget.value),n(null)}} />
        <datalist id="team-names">
          ${(((c=a.data)==null?void 0:c.data)||[]).map(d=>i`<option value=${d.team_name} />`)}
        </datalist>
        <button class="btn btn-secondary" type="submit">Follow</button>
      </form>
      ${r&&i`<p class="field-error" id="team-error" role="alert" style="margin-top:6px">${r}</p>`}
    <//>
  `:i`<${g} title="Teams you follow"><${W}>to follow teams<//><//>`}var xr=[["Live",e=>e.status==="live"||e.status==="paused",1],["Upcoming",e=>["scheduled","postponed","cancelled"].includes(e.status),1],["Final",e=>e.status==="finished",-1]];async function Sr(e){return{data:(await Promise.all([b(`/sports/games?status=scheduled&order=soonest&limit=8&${e}`,{auth:!1}),b(`/sports/games?status=live&status=paused&status=postponed&status=cancelled&limit=12&${e}`,{auth:!1}),b(`/sports/games?status=finished&limit=8&${e}`,{auth:!1})])).flatMap(o=>o.data)}}function Tr({games:e}){return xr.map(([t,o,s])=>{let r=e.filter(o).sort((n,a)=>s*(Date.parse(n.start_time)-Date.parse(a.start_time))||n.game_id-a.game_id);return r.length===0?null:i`
      <section class="schedule-group" aria-label=${t} data-testid=${`schedule-${t.toLowerCase()}`}>
        <h3 class="small muted">${t}</h3>
        <ul class="list">
          ${r.map(n=>i`
            <li class="row-between" key=${n.game_id}>
              <div>
                <a href=${`#/sports/games/${n.game_id}`}><strong>${n.team_1} v ${n.team_2}</strong></a>
                <div class="small muted">${n.sport_category} · <${L} iso=${n.start_time} /></div>
              </div>
              <div class="row">
                ${n.status!=="scheduled"&&i`<span class="score" style="font-size:1.1rem">${n.score_team_1} – ${n.score_team_2}</span>`}
                <${ze} game=${n} />
              </div>
            </li>`)}
        </ul>
      </section>
    `})}function Ns({query:e}){var p;let{user:t}=C(S),o=e.get("category")||"",s=y(()=>b("/sports/categories",{auth:!1}),[]),r=o?`sport_category=${encodeURIComponent(o)}`:"",n=y(()=>b(`/sports/ongoing-events?limit=12&${r}`,{auth:!1}),[o]),a=y(()=>Sr(r),[o]),l=wt(t),[c,d]=$(null);D(()=>{let m=setInterval(()=>{n.reload(),a.reload()},br);return()=>clearInterval(m)},[o]);let u=((p=s.data)==null?void 0:p.data)||[];return i`
    <${F} title="Sports" subtitle="Live scores, game chat and numbers from every game.">
      ${J(t)&&i`<button class="btn btn-secondary" type="button" aria-expanded=${c==="category"?"true":"false"}
        onClick=${()=>d(c==="category"?null:"category")}>New category</button>`}
      ${mt(t)&&i`<button class="btn" type="button" aria-expanded=${c==="game"?"true":"false"}
        onClick=${()=>d(c==="game"?null:"game")}>New game</button>`}
    <//>
    ${c==="category"&&i`<div style="margin-bottom:24px"><${g} title="New category"><${_r} onDone=${s.reload} /><//></div>`}
    ${c==="game"&&i`<div style="margin-bottom:24px"><${g} title="New game"><${vr} categories=${u} /><//></div>`}
    ${u.length>0&&i`<nav class="chips" aria-label="Categories" style="margin-bottom:20px">
      <a class="chip" href="#/sports" aria-current=${o?void 0:"page"}>All</a>
      ${u.map(m=>i`<a class="chip" key=${m.category_id} href=${`#/sports?category=${encodeURIComponent(m.category_name)}`}
        aria-current=${o.toLowerCase()===m.category_name.toLowerCase()?"page":void 0}>${m.category_name}</a>`)}
    </nav>`}
    <div class="grid">
      <div class="stack">
        <section aria-labelledby="live-title">
          <h2 id="live-title">Live now</h2>
          <${T} resource=${n} loadingText="Loading live games…">
            ${m=>m.data.length===0?i`<${R}>No game is being played right now.<//>`:i`<div class="cards" data-testid="live-games">
                    ${m.data.map(h=>i`<${Ls} key=${h.game_id} initial=${h} />`)}
                  </div>`}
          <//>
        </section>
        <${wr} category=${o} />
      </div>
      <div class="stack">
        <${kr} user=${t} followed=${l} />
        <${g} title="Schedule and results" label="schedule-title">
          <${T} resource=${a}>
            ${m=>m.data.length===0?i`<${R}>No games yet.<//>`:i`<${Tr} games=${m.data} />`}
          <//>
        <//>
      </div>
    </div>
  `}var Cr=[["period_start","Start a period"],["goal","Goal"],["point","Points"],["card","Card"],["substitution","Substitution"],["note","Note"],["pause","Pause"],["resume","Resume"],["period_end","End the period"],["final","Final whistle"],["postpone","Postpone"],["cancel","Cancel"]],Er=new Set(["goal","point"]);function Rr({game:e}){let t=e.status==="scheduled"?"period_start":"goal",o=B({event_type:t,team:"team_1",points:"",description:"",period:""},async(n,{setValues:a})=>{let l={event_type:n.event_type};n.team&&(l.team=n.team),String(n.points).trim()&&(l.points=Number(n.points)),n.description.trim()&&(l.description=n.description.trim()),n.period.trim()&&(l.period=n.period.trim());let c=await x(`/sports/games/${e.game_id}/events`,l);return a(d=>({...d,description:"",points:"",period:""})),`Recorded: ${c.data.event.description}`}),s=o.values.event_type,r=[["","No team"],["team_1",e.team_1],["team_2",e.team_2]];return i`
    <form class="form" onSubmit=${o.submit} ref=${o.ref} novalidate aria-label="Record an event">
      <div class="form-row">
        <${We} form=${o} name="event_type" label="What happened" options=${Cr} />
        <${We} form=${o} name="team" label="Team" options=${r} />
      </div>
      <div class="form-row">
        ${Er.has(s)&&i`<${w} form=${o} name="points" label="Points" type="number" min="1" hint="Default 1" />`}
        ${s==="period_start"&&i`<${w} form=${o} name="period" label="Period name" hint="Default: Period N" />`}
        <${w} form=${o} name="description" label="Description" hint="Optional" />
      </div>
      <${H} form=${o} />
      <div class="form-actions"><${U} form=${o} busyText="Recording…">Record event<//></div>
    </form>
  `}var Fr={period_start:"Kick-off",goal:"Goal",point:"Points",card:"Card",substitution:"Substitution",note:"Note",pause:"Paused",resume:"Resumed",period_end:"End of period",final:"Full time",postpone:"Postponed",cancel:"Cancelled"};function Lr(e){if(e.event_type==="card"){if(/\bred\b/i.test(e.description))return["Red card","card-red"];if(/\byellow\b/i.test(e.description))return["Yellow card","card-yellow"]}return e.event_type==="point"?[`${e.points} ${e.points===1?"point":"points"}`,"point"]:[Fr[e.event_type]||e.event_type.replace(/_/g," "),e.event_type]}var Nr=new Intl.DateTimeFormat(void 0,{hour:"2-digit",minute:"2-digit"});function Ar(e,t){let o=Date.parse(e.recorded_at),s=e.event_time||"";if(s&&!/^\d{4}-\d\d-\d\dT/.test(s))return{text:s,spoken:s};if(Number.isFinite(t)&&o>=t){let n=Math.ceil((o-t)/6e4);return{text:`${n}'`,spoken:`minute ${n}`}}let r=Number.isFinite(o)?Nr.format(o):"";return{text:r,spoken:r}}function Ir(e){return e.split(/(\d+\s?[–-]\s?\d+)/).map((t,o)=>o%2?i`<span class="nowrap">${t}</span>`:t)}function As(e,t){let o=Date.parse(e.started_at);if(Number.isFinite(o))return o;let s=t.find(r=>r.event_type==="period_start");return s?Date.parse(s.recorded_at):NaN}function Pr({game:e,events:t}){if(!t.length)return i`<${R}>Nothing has happened yet.<//>`;let o=As(e,t),s=[...t].sort((r,n)=>Date.parse(r.recorded_at)-Date.parse(n.recorded_at)||Number(r.event_id)-Number(n.event_id));return i`
    <ol class="timeline" data-testid="events" aria-label="Match timeline, earliest first" aria-live="polite"
      aria-relevant="additions">
      ${s.map(r=>{let n=r.team===e.team_1?"home":r.team===e.team_2?"away":"neutral",[a,l]=Lr(r),c=Ar(r,o),d=r.points>0;return i`
          <li key=${r.event_id} class=${`tl-item tl-${n} ${d?"tl-scoring":""}`}
            data-testid="timeline-item" data-kind=${r.event_type}>
            <span class="tl-time" title=${r.recorded_at?new Date(r.recorded_at).toLocaleString():void 0}>
              <span aria-hidden="true">${c.text}</span><span class="visually-hidden">${c.spoken}, </span>
            </span>
            <span class=${`tl-mark tl-mark-${l}`} aria-hidden="true"></span>
            <span class="tl-body">
              <span class="tl-kind">${a}</span>
              ${n!=="neutral"&&i`<span class="visually-hidden">, ${r.team}</span>`}
              <span class="visually-hidden">: </span>
              <span class="tl-text">${Ir(r.description)}</span>
            </span>
            <span class="tl-score" data-testid="timeline-score">
              <span class="visually-hidden">, score </span>${r.score_team_1}–${r.score_team_2}
            </span>
          </li>
        `})}
    </ol>
  `}function Mr(e){return e.status==="finished"?"Full time":e.period_running?`${e.current_period} in play`:e.current_period||"Not started"}function Dr({gameId:e}){let{room:t,error:o,waiting:s}=Ne({kind:"game",ref:e,canOpen:!1});return t?i`<${_e} roomId=${t.roomId} label="Game chat messages" />`:o?i`<${me} error=${o} />`:s?i`<p class="loading">Opening the chatroom…</p>`:i`<${R}>The chatroom is not open yet.<//>`}function Is({params:e}){let{user:t}=C(S),o=e.id,s=y(async()=>(await b(`/sports/games/${o}`,{auth:!1})).data,[o]),r=wt(t);Q({path:`/sports/games/${o}/live`,auth:"optional",onFrame:a=>{a.type==="reload"?s.reload():s.setData(l=>Qt(l,a))}},[o]);let n=i`<a href="#/sports">Sports</a> › Game`;return i`
    <${T} resource=${s} loadingText="Loading the game…">
      ${a=>i`
        <${F} title=${`${a.team_1} v ${a.team_2}`} crumbs=${n}
          subtitle=${i`${a.sport_category} · starts <${L} iso=${a.start_time} />`} />
        <div class="card scoreboard" style="margin-bottom:24px" data-testid="scoreboard">
          <div class="row-between" style="margin-bottom:10px">
            <${ze} game=${a} />
            <span class="small muted">${Mr(a)}</span>
          </div>
          <div class="scoreline" aria-live="polite">
            <span class="team">${a.team_1}</span>
            <span class="score" data-testid="score">${a.score_team_1} – ${a.score_team_2}</span>
            <span class="team">${a.team_2}</span>
          </div>
        </div>
        <div class="grid">
          <div class="stack">
            <${g} title="Match timeline" label="events-title">
              <${Pr} game=${a} events=${a.event_details||[]} />
            <//>
            <${g} title="Score over the game" label="chart-title">
              <${Ts} events=${a.event_details||[]} start=${As(a,a.event_details||[])}
                end=${a.finished_at} team1=${a.team_1} team2=${a.team_2} />
            <//>
            ${mt(t)&&!["finished","cancelled"].includes(a.status)&&i`<${g} title="Record an event" label="record-title"><${Rr} game=${a} /><//>`}
          </div>
          <div class="stack">
            <${g} title="Follow the teams" label="follow-teams-title">
              ${t?i`<div class="row">
                    <${Ve} team=${a.team_1} followed=${r} />
                    <${Ve} team=${a.team_2} followed=${r} />
                  </div>
                  <p class="small muted" style="margin:10px 0 0">Score changes of the teams you follow reach your bell.</p>`:i`<${W}>to follow these teams<//>`}
            <//>
            <${g} title="Game chat" label="game-chat-title"><${Dr} gameId=${o} /><//>
          </div>
        </div>
      `}
    <//>
  `}var Or=[[7,"Last 7 days"],[30,"Last 30 days"],[90,"Last 90 days"]],Br=[["active_users","active members"],["new_users","new members"]],Ps=[["posts","posts"],["reviews","reviews"],["votes","votes"],["entries","entries"],["likes","likes"],["chat_messages","chat messages"]],Hr=Array.from({length:10},(e,t)=>String((t+1)/2));function Ur(e){return e.toISOString().slice(0,10)}function Ms(e,t){return t.map(([o,s])=>({name:s,values:e[o]}))}function Yr({onDone:e}){let[t,o]=$(!1);return i`<button class="btn btn-sm" type="button" onClick=${async()=>{o(!0);try{let r=(await x("/analytics/refresh")).data;v(`Refreshed: ${r.rows_changed} rows changed in ${r.seconds.toFixed(2)} s.`,{kind:"success"}),e()}catch(r){v(r.summary||String(r),{kind:"error"})}finally{o(!1)}}} disabled=${t} data-testid="refresh">
    ${t?"Refreshing\u2026":"Refresh now"}
  </button>`}function qr({data:e}){let t=e.daily,o=Ps.map(([n,a])=>[a,t[n].reduce((l,c)=>l+c,0)]),s=e.genres.map(n=>({label:n.genre,value:n.average_rating})),r=Hr.map((n,a)=>({label:n,value:e.genres.reduce((l,c)=>l+c.distribution[a],0)}));return i`
    <div class="stats" style="margin-bottom:16px">
      ${o.map(([n,a])=>i`<div class="stat" key=${n}><strong>${a}</strong><span>${n}</span></div>`)}
    </div>
    <div class="grid insights">
      <${g} title="Members, day by day" label="members-title">
        <${Zt} title="Members, day by day" days=${t.days} series=${Ms(t,Br)} />
      <//>
      <${g} title="Activity, day by day" label="activity-title">
        <${Zt} title="Activity, day by day" days=${t.days} series=${Ms(t,Ps.slice(0,4))} />
      <//>
      <${g} title="Best-rated albums" label="albums-title">
        <${Ie} title="Best-rated albums" unit="★"
          items=${e.top_albums.map(n=>({label:n.title,value:n.average_rating}))} />
      <//>
      <${g} title="Ratings" label="ratings-title">
        <h3>Average per genre</h3>
        <${Ie} title="Average rating per genre" unit="★" items=${s} />
        <h3 style="margin-top:14px">All reviews by stars</h3>
        <${yt} title="Reviews by rating" buckets=${r} />
      <//>
      <${g} title="Most followed members" label="followed-title">
        <${Ie} title="Most followed members"
          items=${e.most_followed.map(n=>({label:`member #${n.user_id}`,value:n.followers}))} />
      <//>
      <${g} title="Competitions" label="competitions-title">
        <${bt} title="Competition participation" series=${["entries","entrants","likes","comments"]}
          groups=${e.competitions.map(n=>({label:n.title.slice(0,18),values:[n.entries,n.entrants,n.likes,n.comments]}))} />
      <//>
      <${g} title="Books of the month" label="books-title">
        ${e.books_of_the_month.length===0?i`<${R}>No poll has closed yet.<//>`:i`<ul class="list">
              ${e.books_of_the_month.map(n=>i`<li class="row-between" key=${n.poll_id}>
                  <span><strong>${n.title}</strong> · ${n.author}</span>
                  <span class="muted small">${ue(n.month)} · ${n.votes} of ${n.total_votes} votes</span>
                </li>`)}
            </ul>`}
      <//>
    </div>
  `}function Ds(){let{user:e}=C(S),[t,o]=$(30),[s,r]=$(null),n=y(async()=>{if(!J(e))return null;if(!s){let c=await b("/analytics/overview");if(r(c.data.to),t===30)return c}let a=s||(await b("/analytics/overview")).data.to,l=Ur(new Date(Date.parse(`${a}T00:00:00Z`)-(t-1)*864e5));return b(`/analytics/overview?from=${l}&to=${a}`)},[t,e==null?void 0:e.user_id]);return e?J(e)?i`
    <${F} title="Insights" subtitle="How the community is doing, from the warehouse.">
      <label class="visually-hidden" for="span">Period</label>
      <select id="span" value=${t} onChange=${a=>o(Number(a.currentTarget.value))} style="min-height:34px;padding:4px 8px">
        ${Or.map(([a,l])=>i`<option value=${a} selected=${a===t}>${l}</option>`)}
      </select>
      <${Yr} onDone=${n.reload} />
    <//>
    <${T} resource=${n} loadingText="Reading the warehouse…">
      ${a=>i`
        <p class="muted small" data-testid="as-of">
          ${a.data.as_of?i`As of <${L} iso=${a.data.as_of} />`:"The warehouse has not been refreshed yet."}
        </p>
        <${qr} data=${a.data} />
      `}
    <//>
  `:i`<${F} title="Insights" /><${R}>Insights are for admins.<//>`:i`<${F} title="Insights" /><${W}>as an admin to see insights<//>`}var Wr={like:"Like",comment:"Comment",reply:"Reply",placement:"Results",new_submission:"New entry",score_update:"Score",news:"News",follow:"Follower",book_of_the_month:"Bookclub",review:"Review"};function eo(e){let t=e.data||{};return t.competition_id?`/competitions/${t.competition_id}`:t.thread_id?`/bookclub/threads/${t.thread_id}`:t.game_id?`/sports/games/${t.game_id}`:t.follower_id?`/users/${t.follower_id}`:t.album_id?`/music/albums/${t.album_id}`:e.type==="book_of_the_month"?"/bookclub":null}function Os(){let{user:e}=C(S),{items:t,unread:o,loaded:s}=C(re),[r,n]=$(!1),a=async c=>{c.read||await Wo(c.notification_id).catch(()=>null);let d=eo(c);d&&K(d)},l=async()=>{n(!0);try{await Go(),v("All caught up.")}finally{n(!1)}};return e?i`
    <${F} title="Notifications" subtitle=${o?`${Y(o,"unread notification")}.`:"You are all caught up."}>
      <button class="btn btn-secondary" type="button" disabled=${r||!o} onClick=${l}>Mark all as read</button>
    <//>
    <${g}>
      ${s?t.length===0?i`<${R}>Nothing yet. Likes, comments, results and scores of the teams you follow show up here.<//>`:i`<ul class="list" data-testid="notifications" aria-live="polite" aria-relevant="additions">
              ${t.map(c=>i`
                  <li class=${`notice ${c.read?"":"unread"}`} key=${c.notification_id} data-testid="notification">
                    <span class="dot" aria-hidden="true"></span>
                    <div class="notice-body">
                      <div class="type-tag">${Wr[c.type]||c.type}${c.read?"":i`<span class="visually-hidden"> (unread)</span>`}</div>
                      <div class="notice-text">${c.message}</div>
                      <div class="small muted"><${L} iso=${c.created_at} /></div>
                    </div>
                    ${(eo(c)||!c.read)&&i`<button class="btn btn-ghost btn-sm" type="button" onClick=${()=>a(c)}>
                      ${eo(c)?"Open":"Mark read"}
                    </button>`}
                  </li>
                `)}
            </ul>`:i`<${de} text="Loading notifications…" />`}
    <//>
  `:i`<${F} title="Notifications" /><${W}>to see your notifications<//>`}var kt=[["like","Likes on my entries"],["comment","Comments on my entries"],["reply","Replies to my comments and threads"],["placement","My places in results"],["new_submission","New entries where I subscribed"],["score_update","Scores of teams I follow"],["follow","New followers"],["news","News"]];function Gr({user:e}){let t=B({bio:e.bio||"",profile_picture:e.profile_picture||""},async o=>{let s=await ut("/users/profile",o);return qt(s),"Your profile is saved."});return i`
    <form class="form" onSubmit=${t.submit} ref=${t.ref} novalidate aria-label="About you">
      <${w} form=${t} name="bio" label="Bio" multiline rows="4" hint="Up to 500 characters." />
      <${w} form=${t} name="profile_picture" label="Picture URL" type="url"
        hint="An http(s) address of an image, or empty for your initials." />
      <${H} form=${t} />
      <div class="form-actions"><${U} form=${t}>Save profile<//></div>
    </form>
  `}function jr({user:e}){var r;let t=((r=e.preferences)==null?void 0:r.notifications)||{enabled:!0,types:kt.map(([n])=>n)},o={enabled:t.enabled};for(let[n]of kt)o[n]=t.types.includes(n);let s=B(o,async n=>{let a=kt.map(([c])=>c).filter(c=>n[c]),l=await ct(`/users/${e.user_id}/preferences/notifications`,{enabled:n.enabled,types:a});return qt({preferences:{notifications:l.data}}),"Your notification preferences are saved."});return i`
    <form class="form" onSubmit=${s.submit} ref=${s.ref} novalidate aria-label="Notification preferences">
      <${ke} form=${s} name="enabled" label="Send me notifications" />
      <fieldset class="checks" disabled=${!s.values.enabled}>
        <legend>Tell me about</legend>
        ${kt.map(([n,a])=>i`<${ke} form=${s} name=${n} label=${a} />`)}
      </fieldset>
      <${H} form=${s} />
      <div class="form-actions"><${U} form=${s}>Save preferences<//></div>
    </form>
  `}function Bs(){let{user:e}=C(S),t=y(()=>e?b("/users/profile"):Promise.resolve(null),[e==null?void 0:e.user_id]),o=y(()=>e?b(`/users/${e.user_id}/followers?limit=50`):Promise.resolve(null),[e==null?void 0:e.user_id]),s=y(()=>e?b(`/users/${e.user_id}/followings?limit=50`):Promise.resolve(null),[e==null?void 0:e.user_id]),r=y(()=>e?b("/users/profile/submissions?limit=20"):Promise.resolve(null),[e==null?void 0:e.user_id]);return e?i`
    <${T} resource=${t} loadingText="Loading your profile…">
      ${n=>i`
        <div class="card" style="margin-bottom:24px">
          <div class="row" style="gap:18px;align-items:flex-start">
            <${pe} name=${n.username} src=${n.profile_picture} large />
            <div style="flex:1;min-width:200px">
              <${F} title=${n.username}
                subtitle=${i`${n.email||"No email"} · joined <${L} iso=${n.created_at} time=${!1} /> ·
                  <${V} kind=${n.role==="admin"?"primary":""}>${n.role}<//>`}>
                <a class="btn btn-secondary" href=${`#/users/${n.userId}`}>See your public page</a>
              <//>
              <div class="stats">
                <div class="stat"><strong>${n.followers_count}</strong><span>followers</span></div>
                <div class="stat"><strong>${n.followings_count}</strong><span>following</span></div>
              </div>
            </div>
          </div>
        </div>
        <div class="grid">
          <div class="stack">
            <${g} title="About you" label="about-title"><${Gr} user=${n} /><//>
            <${g} title="Notifications" label="prefs-title"><${jr} user=${n} /><//>
            <${g} title="Your competition entries" label="entries-title">
              <${T} resource=${r}>
                ${a=>!a||a.length===0?i`<${R}>You have not entered a competition yet. <a href="#/competitions">See what is open</a>.<//>`:i`<ul class="list">
                        ${a.map(l=>i`<li key=${l.submission_id}>
                          <a href=${`#/competitions/${l.competition_id}`}><strong>${l.title}</strong></a>
                          <div class="small muted">${Y(l.likes,"like")} · ${Y(l.comments,"comment")}${l.place?` \xB7 place ${l.place}`:""}</div>
                        </li>`)}
                      </ul>`}
              <//>
            <//>
          </div>
          <div class="stack">
            <${g} title=${`Followers (${n.followers_count})`} label="my-followers-title">
              <${T} resource=${o}>${a=>i`<${je} page=${a} emptyText="No followers yet." />`}<//>
            <//>
            <${g} title=${`Following (${n.followings_count})`} label="my-following-title">
              <${T} resource=${s}>${a=>i`<${je} page=${a} emptyText="You follow nobody yet. Find people on the timeline." />`}<//>
            <//>
            <${g} title="Download my data" label="export-title"><${ss} /><//>
            <${g} title="Delete my account" label="delete-title"><${ns} /><//>
          </div>
        </div>
      `}
    <//>
  `:i`<${F} title="Your profile" /><${W}>to see your profile<//>`}function Hs(){return i`
    <${F} title="Page not found" subtitle="There is nothing at this address." />
    <p><a class="btn" href="#/bookclub">Go to the bookclub</a></p>
  `}function zr({spans:e}){let t=new Set(e.map(l=>l.span_id)),o=new Map;for(let l of e){let c=t.has(l.parent_id)?l.parent_id:null;o.has(c)||o.set(c,[]),o.get(c).push(l)}let s=Math.min(...e.map(l=>l.start_ns)),r=Math.max(Math.max(...e.map(l=>l.end_ns))-s,1),n=[],a=(l,c)=>{n.push({span:l,depth:c});for(let d of o.get(l.span_id)||[])a(d,c+1)};for(let l of o.get(null)||[])a(l,0);return i`
    <ol class="waterfall" aria-label="Spans of the trace">
      ${n.map(({span:l,depth:c})=>{let d=(l.start_ns-s)/r*100,u=Math.max((l.end_ns-l.start_ns)/r*100,.5),p=((l.end_ns-l.start_ns)/1e6).toFixed(1);return i`
          <li class=${`waterfall-row${l.status==="error"?" is-error":""}`}>
            <span class="waterfall-name" style=${`padding-left: ${c*1.1}rem`}>
              ${l.name} <span class="muted">${l.instance||l.service}</span>
            </span>
            <span class="waterfall-track" aria-hidden="true">
              <span class="waterfall-bar" style=${`left: ${d}%; width: ${u}%`}></span>
            </span>
            <span class="waterfall-ms">${p} ms</span>
          </li>
        `})}
    </ol>
  `}function Vr({traceId:e}){let t=y(()=>ge(`/admin/traces/${e}`,{base:""}),[e]);return t.error?i`<${me} error=${t.error} retry=${t.reload} />`:t.data===void 0?i`<${de} text="Loading the trace…" />`:i`<${zr} spans=${t.data.spans} />`}function Kr({request:e}){let[t,o]=$(!1),s=e.status>=500;return i`
    <li class="request-row" data-testid="slow-request">
      <div class="request-line">
        <${V} kind=${s?"danger":"warning"}>${e.status}<//>
        <code>${e.method} ${e.path}</code>
        <span>${e.duration_ms} ms</span>
        <span class="muted">${e.instance||e.service}</span>
        <span class="muted"><${L} iso=${e.at} /></span>
        ${e.traced?i`<button class="link-btn" type="button" aria-expanded=${t?"true":"false"}
              onClick=${()=>o(!t)}>${t?"Hide trace":"Show trace"}</button>`:i`<span class="muted">${e.trace_id?"trace not sampled":"no trace"}</span>`}
      </div>
      <p class="muted request-ids">request ${e.request_id}${e.trace_id?` \xB7 trace ${e.trace_id}`:""}</p>
      ${t&&i`<${Vr} traceId=${e.trace_id} />`}
    </li>
  `}function Us({query:e}){let{user:t}=C(S),o=J(t),s=e.get("slow"),r=`/admin/requests${s?`?slow=${encodeURIComponent(s)}`:""}`,n=y(()=>o?ge(r,{base:""}):Promise.resolve(null),[o,r]);return t?o?i`
    <${F}
      title="Slow and failed requests"
      subtitle="The latest requests that failed (5xx) or were slow, with their traces."
    >
      <button class="btn btn-secondary" type="button" onClick=${n.reload}>Refresh</button>
    <//>
    <${T} resource=${n}>
      ${a=>i`
        <${g} title=${`Slower than ${a.slow_ms} ms, or failed`}>
          ${a.requests.length===0?i`<${R}>None lately.<//>`:i`<ul class="request-list">${a.requests.map(l=>i`<${Kr} key=${l.request_id+l.at} request=${l} />`)}</ul>`}
        <//>
      `}
    <//>
  `:i`<${F} title="Slow and failed requests" /><${R}>Only admins see this page.<//>`:i`<${F} title="Slow and failed requests" /><${W}>as an admin<//>`}var Jr=[{path:"/",page:Kt},{path:"/bookclub",page:Kt},{path:"/bookclub/threads/:id",page:ps},{path:"/login",page:ls},{path:"/signup",page:cs},{path:"/competitions",page:fs},{path:"/competitions/:id",page:ys},{path:"/music",page:vs},{path:"/music/albums/:id",page:xs},{path:"/music/genres/:genre",page:Cs},{path:"/timeline",page:Rs},{path:"/users/:id",page:Fs},{path:"/sports",page:Ns},{path:"/sports/games/:id",page:Is},{path:"/insights",page:Ds},{path:"/notifications",page:Os},{path:"/profile",page:Bs},{path:"/admin/requests",page:Us}];function Xr(){let e=C(ce),{status:t,user:o}=C(S),s=o==null?void 0:o.user_id;D(()=>{s?qo():Wt()},[s]),D(()=>{window.scrollTo(0,0)},[e.path]);let r=Ro(Jr,e.path),n=r?r.entry.page:Hs;return i`
    <${Jo} />
    <${Vo} />
    <main id="main" class="page" tabindex="-1">
      ${t==="loading"?i`<${de} />`:i`<${n} key=${e.path} params=${r?r.params:{}} query=${e.query} />`}
    </main>
    <${Ko} />
  `}var Ys=document.getElementById("app");Ys.textContent="";Ct(i`<${Xr} />`,Ys);Uo();
