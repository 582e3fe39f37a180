var Je,I,uo,Le,mo,Xt,Ms,Ve={},po=[],Os=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i;function ce(e,t){for(var o in t)e[o]=t[o];return e}function fo(e){var t=e.parentNode;t&&t.removeChild(e)}function $o(e,t,o){var s,i,n,a={};for(n in t)n=="key"?s=t[n]:n=="ref"?i=t[n]:a[n]=t[n];if(arguments.length>2&&(a.children=arguments.length>3?Je.call(arguments,2):o),typeof e=="function"&&e.defaultProps!=null)for(n in e.defaultProps)a[n]===void 0&&(a[n]=e.defaultProps[n]);return je(e,a,s,i,null)}function je(e,t,o,s,i){var n={type:e,props:t,key:o,ref:s,__k:null,__:null,__b:0,__e:null,__d:void 0,__c:null,__h:null,constructor:void 0,__v:i??++uo};return I.vnode!=null&&I.vnode(n),n}function Xe(e){return e.children}function Ge(e,t){this.props=e,this.context=t}function _e(e,t){if(t==null)return e.__?_e(e.__,e.__.__k.indexOf(e)+1):null;for(var o;t<e.__k.length;t++)if((o=e.__k[t])!=null&&o.__e!=null)return o.__e;return typeof e.type=="function"?_e(e):null}function ho(e){var t,o;if((e=e.__)!=null&&e.__c!=null){for(e.__e=e.__c.base=null,t=0;t<e.__k.length;t++)if((o=e.__k[t])!=null&&o.__e!=null){e.__e=e.__c.base=o.__e;break}return ho(e)}}function Zt(e){(!e.__d&&(e.__d=!0)&&Le.push(e)&&!Ke.__r++||Xt!==I.debounceRendering)&&((Xt=I.debounceRendering)||mo)(Ke)}function Ke(){for(var e;Ke.__r=Le.length;)e=Le.sort(function(t,o){return t.__v.__b-o.__v.__b}),Le=[],e.some(function(t){var o,s,i,n,a,l;t.__d&&(a=(n=(o=t).__v).__e,(l=o.__P)&&(s=[],(i=ce({},n)).__v=n.__v+1,_t(l,n,i,o.__n,l.ownerSVGElement!==void 0,n.__h!=null?[a]:null,s,a??_e(n),n.__h),vo(s,n),n.__e!=a&&ho(n)))})}function go(e,t,o,s,i,n,a,l,c,d){var u,p,m,f,h,L,T,D=s&&s.__k||po,Y=D.length;for(o.__k=[],u=0;u<t.length;u++)if((f=o.__k[u]=(f=t[u])==null||typeof f=="boolean"?null:typeof f=="string"||typeof f=="number"||typeof f=="bigint"?je(null,f,null,null,f):Array.isArray(f)?je(Xe,{children:f},null,null,null):f.__b>0?je(f.type,f.props,f.key,null,f.__v):f)!=null){if(f.__=o,f.__b=o.__b+1,(m=D[u])===null||m&&f.key==m.key&&f.type===m.type)D[u]=void 0;else for(p=0;p<Y;p++){if((m=D[p])&&f.key==m.key&&f.type===m.type){D[p]=void 0;break}m=null}_t(e,f,m=m||Ve,i,n,a,l,c,d),h=f.__e,(p=f.ref)&&m.ref!=p&&(T||(T=[]),m.ref&&T.push(m.ref,null,f),T.push(p,f.__c||h,f)),h!=null?(L==null&&(L=h),typeof f.type=="function"&&f.__k!=null&&f.__k===m.__k?f.__d=c=bo(f,c,e):c=yo(e,f,m,D,h,c),d||o.type!=="option"?typeof o.type=="function"&&(o.__d=c):e.value=""):c&&m.__e==c&&c.parentNode!=e&&(c=_e(m))}for(o.__e=L,u=Y;u--;)D[u]!=null&&(typeof o.type=="function"&&D[u].__e!=null&&D[u].__e==o.__d&&(o.__d=_e(s,u+1)),wo(D[u],D[u]));if(T)for(u=0;u<T.length;u++)_o(T[u],T[++u],T[++u])}function bo(e,t,o){var s,i;for(s=0;s<e.__k.length;s++)(i=e.__k[s])&&(i.__=e,t=typeof i.type=="function"?bo(i,t,o):yo(o,i,i,e.__k,i.__e,t));return t}function yo(e,t,o,s,i,n){var a,l,c;if(t.__d!==void 0)a=t.__d,t.__d=void 0;else if(o==null||i!=n||i.parentNode==null)e:if(n==null||n.parentNode!==e)e.appendChild(i),a=null;else{for(l=n,c=0;(l=l.nextSibling)&&c<s.length;c+=2)if(l==i)break e;e.insertBefore(i,n),a=n}return a!==void 0?a:i.nextSibling}function Qt(e,t,o){t[0]==="-"?e.setProperty(t,o):e[t]=o==null?"":typeof o!="number"||Os.test(t)?o:o+"px"}function We(e,t,o,s,i){var n;e:if(t==="style")if(typeof o=="string")e.style.cssText=o;else{if(typeof s=="string"&&(e.style.cssText=s=""),s)for(t in s)o&&t in o||Qt(e.style,t,"");if(o)for(t in o)s&&o[t]===s[t]||Qt(e.style,t,o[t])}else if(t[0]==="o"&&t[1]==="n")n=t!==(t=t.replace(/Capture$/,"")),t=t.toLowerCase()in e?t.toLowerCase().slice(2):t.slice(2),e.l||(e.l={}),e.l[t+n]=o,o?s||e.addEventListener(t,n?to:eo,n):e.removeEventListener(t,n?to:eo,n);else if(t!=="dangerouslySetInnerHTML"){if(i)t=t.replace(/xlink[H:h]/,"h").replace(/sName$/,"s");else if(t!=="href"&&t!=="list"&&t!=="form"&&t!=="tabIndex"&&t!=="download"&&t in e)try{e[t]=o??"";break e}catch{}typeof o=="function"||(o!=null&&(o!==!1||t[0]==="a"&&t[1]==="r")?e.setAttribute(t,o):e.removeAttribute(t))}}function eo(e){this.l[e.type+!1](I.event?I.event(e):e)}function to(e){this.l[e.type+!0](I.event?I.event(e):e)}function _t(e,t,o,s,i,n,a,l,c){var d,u,p,m,f,h,L,T,D,Y,q,A=t.type;if(t.constructor!==void 0)return null;o.__h!=null&&(c=o.__h,l=t.__e=o.__e,t.__h=null,n=[l]),(d=I.__b)&&d(t);try{e:if(typeof A=="function"){if(T=t.props,D=(d=A.contextType)&&s[d.__c],Y=d?D?D.props.value:d.__:s,o.__c?L=(u=t.__c=o.__c).__=u.__E:("prototype"in A&&A.prototype.render?t.__c=u=new A(T,Y):(t.__c=u=new Ge(T,Y),u.constructor=A,u.render=Hs),D&&D.sub(u),u.props=T,u.state||(u.state={}),u.context=Y,u.__n=s,p=u.__d=!0,u.__h=[]),u.__s==null&&(u.__s=u.state),A.getDerivedStateFromProps!=null&&(u.__s==u.state&&(u.__s=ce({},u.__s)),ce(u.__s,A.getDerivedStateFromProps(T,u.__s))),m=u.props,f=u.state,p)A.getDerivedStateFromProps==null&&u.componentWillMount!=null&&u.componentWillMount(),u.componentDidMount!=null&&u.__h.push(u.componentDidMount);else{if(A.getDerivedStateFromProps==null&&T!==m&&u.componentWillReceiveProps!=null&&u.componentWillReceiveProps(T,Y),!u.__e&&u.shouldComponentUpdate!=null&&u.shouldComponentUpdate(T,u.__s,Y)===!1||t.__v===o.__v){u.props=T,u.state=u.__s,t.__v!==o.__v&&(u.__d=!1),u.__v=t,t.__e=o.__e,t.__k=o.__k,t.__k.forEach(function(G){G&&(G.__=t)}),u.__h.length&&a.push(u);break e}u.componentWillUpdate!=null&&u.componentWillUpdate(T,u.__s,Y),u.componentDidUpdate!=null&&u.__h.push(function(){u.componentDidUpdate(m,f,h)})}u.context=Y,u.props=T,u.state=u.__s,(d=I.__r)&&d(t),u.__d=!1,u.__v=t,u.__P=e,d=u.render(u.props,u.state,u.context),u.state=u.__s,u.getChildContext!=null&&(s=ce(ce({},s),u.getChildContext())),p||u.getSnapshotBeforeUpdate==null||(h=u.getSnapshotBeforeUpdate(m,f)),q=d!=null&&d.type===Xe&&d.key==null?d.props.children:d,go(e,Array.isArray(q)?q:[q],t,o,s,i,n,a,l,c),u.base=t.__e,t.__h=null,u.__h.length&&a.push(u),L&&(u.__E=u.__=null),u.__e=!1}else n==null&&t.__v===o.__v?(t.__k=o.__k,t.__e=o.__e):t.__e=Bs(o.__e,t,o,s,i,n,a,c);(d=I.diffed)&&d(t)}catch(G){t.__v=null,(c||n!=null)&&(t.__e=l,t.__h=!!c,n[n.indexOf(l)]=null),I.__e(G,t,o)}}function vo(e,t){I.__c&&I.__c(t,e),e.some(function(o){try{e=o.__h,o.__h=[],e.some(function(s){s.call(o)})}catch(s){I.__e(s,o.__v)}})}function Bs(e,t,o,s,i,n,a,l){var c,d,u,p=o.props,m=t.props,f=t.type,h=0;if(f==="svg"&&(i=!0),n!=null){for(;h<n.length;h++)if((c=n[h])&&(c===e||(f?c.localName==f:c.nodeType==3))){e=c,n[h]=null;break}}if(e==null){if(f===null)return document.createTextNode(m);e=i?document.createElementNS("http://www.w3.org/2000/svg",f):document.createElement(f,m.is&&m),n=null,l=!1}if(f===null)p===m||l&&e.data===m||(e.data=m);else{if(n=n&&Je.call(e.childNodes),d=(p=o.props||Ve).dangerouslySetInnerHTML,u=m.dangerouslySetInnerHTML,!l){if(n!=null)for(p={},h=0;h<e.attributes.length;h++)p[e.attributes[h].name]=e.attributes[h].value;(u||d)&&(u&&(d&&u.__html==d.__html||u.__html===e.innerHTML)||(e.innerHTML=u&&u.__html||""))}if((function(L,T,D,Y,q){var A;for(A in D)A==="children"||A==="key"||A in T||We(L,A,null,D[A],Y);for(A in T)q&&typeof T[A]!="function"||A==="children"||A==="key"||A==="value"||A==="checked"||D[A]===T[A]||We(L,A,T[A],D[A],Y)})(e,m,p,i,l),u)t.__k=[];else if(h=t.props.children,go(e,Array.isArray(h)?h:[h],t,o,s,i&&f!=="foreignObject",n,a,n?n[0]:o.__k&&_e(o,0),l),n!=null)for(h=n.length;h--;)n[h]!=null&&fo(n[h]);l||("value"in m&&(h=m.value)!==void 0&&(h!==e.value||f==="progress"&&!h)&&We(e,"value",h,p.value,!1),"checked"in m&&(h=m.checked)!==void 0&&h!==e.checked&&We(e,"checked",h,p.checked,!1))}return e}function _o(e,t,o){try{typeof e=="function"?e(t):e.current=t}catch(s){I.__e(s,o)}}function wo(e,t,o){var s,i;if(I.unmount&&I.unmount(e),(s=e.ref)&&(s.current&&s.current!==e.__e||_o(s,null,t)),(s=e.__c)!=null){if(s.componentWillUnmount)try{s.componentWillUnmount()}catch(n){I.__e(n,t)}s.base=s.__P=null}if(s=e.__k)for(i=0;i<s.length;i++)s[i]&&wo(s[i],t,typeof e.type!="function");o||e.__e==null||fo(e.__e),e.__e=e.__d=void 0}function Hs(e,t,o){return this.constructor(e,o)}function wt(e,t,o){var s,i,n;I.__&&I.__(e,t),i=(s=typeof o=="function")?null:o&&o.__k||t.__k,n=[],_t(t,e=(!s&&o||t).__k=$o(Xe,null,[e]),i||Ve,Ve,t.ownerSVGElement!==void 0,!s&&o?[o]:i?null:t.firstChild?Je.call(t.childNodes):null,n,!s&&o?o:i?i.__e:t.firstChild,s),vo(n,e)}Je=po.slice,I={__e:function(e,t){for(var o,s,i;t=t.__;)if((o=t.__c)&&!o.__)try{if((s=o.constructor)&&s.getDerivedStateFromError!=null&&(o.setState(s.getDerivedStateFromError(e)),i=o.__d),o.componentDidCatch!=null&&(o.componentDidCatch(e),i=o.__d),i)return o.__E=o}catch(n){e=n}throw e}},uo=0,Ge.prototype.setState=function(e,t){var o;o=this.__s!=null&&this.__s!==this.state?this.__s:this.__s=ce({},this.state),typeof e=="function"&&(e=e(ce({},o),this.props)),e&&ce(o,e),e!=null&&this.__v&&(t&&this.__h.push(t),Zt(this))},Ge.prototype.forceUpdate=function(e){this.__v&&(this.__e=!0,e&&this.__h.push(e),Zt(this))},Ge.prototype.render=Xe,Le=[],mo=typeof Promise=="function"?Promise.prototype.then.bind(Promise.resolve()):setTimeout,Ke.__r=0,Ms=0;var Ie,Q,oo,Ae=0,yt=[],so=I.__b,no=I.__r,ro=I.diffed,io=I.__c,ao=I.unmount;function Ze(e,t){I.__h&&I.__h(Q,e,Ae||t),Ae=0;var o=Q.__H||(Q.__H={__:[],__h:[]});return e>=o.__.length&&o.__.push({}),o.__[e]}function $(e){return Ae=1,Us(ko,e)}function Us(e,t,o){var s=Ze(Ie++,2);return s.t=e,s.__c||(s.__=[o?o(t):ko(void 0,t),function(i){var n=s.t(s.__[0],i);s.__[0]!==n&&(s.__=[n,s.__[1]],s.__c.setState({}))}],s.__c=Q),s.__}function N(e,t){var o=Ze(Ie++,3);!I.__s&&St(o.__H,t)&&(o.__=e,o.__H=t,Q.__H.__h.push(o))}function kt(e,t){var o=Ze(Ie++,4);!I.__s&&St(o.__H,t)&&(o.__=e,o.__H=t,Q.__h.push(o))}function W(e){return Ae=5,xt(function(){return{current:e}},[])}function xt(e,t){var o=Ze(Ie++,7);return St(o.__H,t)&&(o.__=e(),o.__H=t,o.__h=e),o.__}function Qe(e,t){return Ae=8,xt(function(){return e},t)}function qs(){yt.forEach(function(e){if(e.__P)try{e.__H.__h.forEach(ze),e.__H.__h.forEach(vt),e.__H.__h=[]}catch(t){e.__H.__h=[],I.__e(t,e.__v)}}),yt=[]}I.__b=function(e){Q=null,so&&so(e)},I.__r=function(e){no&&no(e),Ie=0;var t=(Q=e.__c).__H;t&&(t.__h.forEach(ze),t.__h.forEach(vt),t.__h=[])},I.diffed=function(e){ro&&ro(e);var t=e.__c;t&&t.__H&&t.__H.__h.length&&(yt.push(t)!==1&&oo===I.requestAnimationFrame||((oo=I.requestAnimationFrame)||function(o){var s,i=function(){clearTimeout(n),lo&&cancelAnimationFrame(s),setTimeout(o)},n=setTimeout(i,100);lo&&(s=requestAnimationFrame(i))})(qs)),Q=void 0},I.__c=function(e,t){t.some(function(o){try{o.__h.forEach(ze),o.__h=o.__h.filter(function(s){return!s.__||vt(s)})}catch(s){t.some(function(i){i.__h&&(i.__h=[])}),t=[],I.__e(s,o.__v)}}),io&&io(e,t)},I.unmount=function(e){ao&&ao(e);var t=e.__c;if(t&&t.__H)try{t.__H.__.forEach(ze)}catch(o){I.__e(o,t.__v)}};var lo=typeof requestAnimationFrame=="function";function ze(e){var t=Q;typeof e.__c=="function"&&e.__c(),Q=t}function vt(e){var t=Q;e.__c=e.__(),Q=t}function St(e,t){return!e||e.length!==t.length||t.some(function(o,s){return o!==e[s]})}function ko(e,t){return typeof t=="function"?t(e):t}var xo=function(e,t,o,s){var i;t[0]=0;for(var n=1;n<t.length;n++){var a=t[n++],l=t[n]?(t[0]|=a?1:2,o[t[n++]]):t[++n];a===3?s[0]=l:a===4?s[1]=Object.assign(s[1]||{},l):a===5?(s[1]=s[1]||{})[t[++n]]=l:a===6?s[1][t[++n]]+=l+"":a?(i=e.apply(l,xo(e,l,o,["",null])),s.push(i),l[0]?t[0]|=2:(t[n-2]=0,t[n]=i)):s.push(l)}return s},co=new Map,r=(function(e){var t=co.get(this);return t||(t=new Map,co.set(this,t)),(t=xo(this,t.get(e)||(t.set(e,t=(function(o){for(var s,i,n=1,a="",l="",c=[0],d=function(m){n===1&&(m||(a=a.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?c.push(0,m,a):n===3&&(m||a)?(c.push(3,m,a),n=2):n===2&&a==="..."&&m?c.push(4,m,0):n===2&&a&&!m?c.push(5,0,!0,a):n>=5&&((a||!m&&n===5)&&(c.push(n,0,a,i),n=6),m&&(c.push(n,m,0,i),n=6)),a=""},u=0;u<o.length;u++){u&&(n===1&&d(),d(u));for(var p=0;p<o[u].length;p++)s=o[u][p],n===1?s==="<"?(d(),c=[c],n=3):a+=s:n===4?a==="--"&&s===">"?(n=1,a=""):a=s+a[0]:l?s===l?l="":a+=s:s==='"'||s==="'"?l=s:s===">"?(d(),n=1):n&&(s==="="?(n=5,i=a,a=""):s==="/"&&(n<5||o[u][p+1]===">")?(d(),n===3&&(c=c[0]),n=c,(c=c[0]).push(2,0,n),n=0):s===" "||s==="	"||s===`
`||s==="\r"?(d(),n=2):a+=s),n===3&&a==="!--"&&(n=4,c=c[0])}return d(),c})(e)),t),arguments,[])).length>1?t:t[0]}).bind($o);function ee(e){let t=e,o=new Set;return{get:()=>t,set(s){t=typeof s=="function"?s(t):{...t,...s};for(let i of[...o])i(t)},subscribe(s){return o.add(s),()=>o.delete(s)}}}function S(e){let[t,o]=$(e.get());return N(()=>(o(e.get()),e.subscribe(o)),[e]),t}function Tt(e){let t=decodeURI(e.replace(/^#/,""))||"/",[o,s=""]=t.split("?");return{path:o.startsWith("/")?o:`/${o}`,query:new URLSearchParams(s)}}var ne=ee(Tt(location.hash));window.addEventListener("hashchange",()=>ne.set(Tt(location.hash)));function z(e){location.hash===`#${e}`?ne.set(Tt(location.hash)):location.hash=e}function So(e,t){let o=t.split("/").filter(Boolean);for(let s of e){let i=s.path.split("/").filter(Boolean);if(i.length!==o.length)continue;let n={};if(i.every((l,c)=>l.startsWith(":")?(n[l.slice(1)]=decodeURIComponent(o[c]),!0):l===o[c]))return{entry:s,params:n}}return null}var Ys=new Date().getFullYear();function ue(e,{time:t=!0}={}){if(!e)return"";let o=new Date(e);if(Number.isNaN(o.getTime()))return"";let s={day:"numeric",month:"short"};return o.getFullYear()!==Ys&&(s.year="numeric"),t&&Object.assign(s,{hour:"2-digit",minute:"2-digit"}),new Intl.DateTimeFormat(void 0,s).format(o)}function Rt(e){if(!e)return"";let t=new Date(e);return Number.isNaN(t.getTime())?"":new Intl.DateTimeFormat(void 0,{dateStyle:"full",timeStyle:"short"}).format(t)}var we=6e4,Ct=60*we;function Et(e){return new Date(e.getFullYear(),e.getMonth(),e.getDate()).getTime()}function To(e,t=Date.now()){if(!e)return"";let o=new Date(e),s=o.getTime();if(Number.isNaN(s))return"";let i=t-s;if(i<-we)return ue(e);if(i<we)return"just now";if(i<Ct)return`${Math.floor(i/we)} min ago`;let n=Et(new Date(t)),a=Math.floor(i/Ct);return s>=n||a<6?a===1?"1 hour ago":`${a} hours ago`:Et(o)===Et(new Date(n-12*Ct))?"yesterday":ue(e,{time:!1})}var Lt=ee({now:Date.now()});function Co(){Lt.set({now:Date.now()})}function Eo(){setTimeout(()=>{Co(),Eo()},we-Date.now()%we+50)}typeof window<"u"&&(Eo(),document.addEventListener("visibilitychange",()=>{document.visibilityState==="visible"&&Co()}));function re(e){let[t,o]=String(e||"").split("-").map(Number);if(!t||!o)return e||"";let s=new Date(Date.UTC(t,o-1,1));return new Intl.DateTimeFormat(void 0,{month:"long",year:"numeric",timeZone:"UTC"}).format(s)}function H(e,t,o=`${t}s`){return`${e} ${e===1?t:o}`}function Ro(e){return(e||"?").replace(/[^a-z0-9]/gi,"").slice(0,2)||"?"}function Lo(e){let t=String(e).replace(/([a-z])([A-Z])/g,"$1 $2").replace(/[_.]+/g," ").trim().toLowerCase();return t.charAt(0).toUpperCase()+t.slice(1)}function Fe(e){let t=String(e||"");return t.charAt(0).toUpperCase()+t.slice(1)}function Ne(e){let t=o=>String(o).padStart(2,"0");return`${e.getFullYear()}-${t(e.getMonth()+1)}-${t(e.getDate())}T${t(e.getHours())}:${t(e.getMinutes())}`}function Pe(e){if(!e)return e;let t=new Date(e);return Number.isNaN(t.getTime())?e:t.toISOString()}function At(e){let t=2166136261;for(let o of String(e))t^=o.codePointAt(0),t=Math.imul(t,16777619);return t>>>0}var Ws=[[/^Field required$/i,()=>"This field is required"],[/^String should have at least 1 character$/i,()=>"This field is required"],[/^String should have at least (\d+) characters?$/i,e=>`Use at least ${e[1]} characters`],[/^String should have at most (\d+) characters?$/i,e=>`Use at most ${e[1]} characters`],[/^List should have at most (\d+) items?.*$/i,e=>`Choose at most ${e[1]}`],[/^Input should be a valid integer.*$/i,()=>"Enter a whole number"],[/^Input should be a valid number.*$/i,()=>"Enter a number"],[/^Input should be greater than or equal to (\S+)$/i,e=>`Must be at least ${e[1]}`],[/^Input should be less than or equal to (\S+)$/i,e=>`Must be at most ${e[1]}`],[/^Input should be a valid (datetime|date).*$/i,()=>"Enter a date and time"],[/^Input should be a valid boolean.*$/i,()=>"Choose yes or no"],[/^value is not a valid email address.*$/i,()=>"Enter a valid email address"],[/^is (.*)$/i,e=>Fe(e[1])]];function Ao(e){let t=String(e||"").trim();for(let[o,s]of Ws){let i=t.match(o);if(i)return s(i)}return Fe(t)}function js(e){let t=String(e||"").split(".");return["body","query","path"].includes(t[0])&&t.shift(),t.join(".")}var P=class extends Error{constructor(t,o={},s=null){super(o.message||`Request failed (${t})`),this.name="ApiError",this.status=t,this.code=o.code||"error",this.details=Array.isArray(o.details)?o.details:[],this.retryAfter=s&&Number(s.get("Retry-After"))||null,this.fields={},this.rawFields={};for(let i of this.details){let n=js(i.field);n in this.fields||(this.fields[n]=Ao(i.message),this.rawFields[n]=String(i.message||""))}}get summary(){return this.status===0?"Can't reach Agora right now. Check your connection and try again.":this.status===429?`You're doing that too often. Try again${this.retryAfter?` in ${this.retryAfter} seconds`:" in a moment"}.`:this.code==="session_ended"?"Your session has ended. Please log in again.":this.status===401&&["unauthorized","invalid_token","token_expired"].includes(this.code)?"Please log in to do that.":this.status>=500&&this.status!==503?"Something went wrong on our side. Please try again.":this.status===422&&this.details.length?"Please correct the highlighted fields.":Fe(this.message)}};function et(){return new P(0,{code:"network",message:"network error"})}function Io(e,t=[],o={}){if(!(e instanceof P))return{fields:{},summary:`Something went wrong: ${(e==null?void 0:e.message)||e}`};let s={},i=[],n=l=>Ao(l.replace(/^Value error, /,"").replace(/\w+/g,c=>o[c]||c));for(let[l,c]of Object.entries(e.fields))if(t.includes(l)&&o[l]){let d=n(e.rawFields[l]);s[l]=/^Must /.test(d)?Fe(`${o[l]} ${d[0].toLowerCase()}${d.slice(1)}`):d}else t.includes(l)?s[l]=c:l===""?i.push(n(e.rawFields[l])):i.push(`${o[l]||Lo(l)}: ${c}`);let a=null;return i.length?a=i.join(". "):Object.keys(s).length?a=Object.keys(s).length>1?"Please correct the highlighted fields.":null:a=e.summary,{fields:s,summary:a}}var Nt="agora.session",Gs="agora-token-refresh",Fo=6e4,It=new Set,tt=null,Ft=null;function J(){try{let e=JSON.parse(localStorage.getItem(Nt));return e&&e.token&&e.refresh_token?e:null}catch{return null}}function Pt(e){let t={token:e.token,refresh_token:e.refresh_token,expires_at:Date.now()+Number(e.expires_in||900)*1e3,user_id:String(e.user_id),username:e.username};return localStorage.setItem(Nt,JSON.stringify(t)),De(),t}function ot(){localStorage.removeItem(Nt),clearTimeout(Ft)}function No(e){return It.add(e),()=>It.delete(e)}function zs(){ot();for(let e of[...It])e()}function Vs(e){return navigator.locks&&navigator.locks.request?navigator.locks.request(Gs,e):e()}async function Ks(e){let t=J();if(!t)throw new P(401,{code:"session_ended",message:"Session ended"});if(e&&t.token!==e)return t;let o;try{o=await fetch("/api/users/refresh",{method:"POST",headers:{"Content-Type":"application/json",Accept:"application/json"},body:JSON.stringify({refresh_token:t.refresh_token})})}catch{throw et()}let s=await o.json().catch(()=>({}));if(o.status===401||o.status===403)throw zs(),new P(401,{code:"session_ended",message:"Session ended"});if(!o.ok)throw new P(o.status,s.error,o.headers);return Pt(s)}function ke(e){return tt||(tt=Vs(()=>Ks(e)).finally(()=>{tt=null})),tt}async function st(){let e=J();if(!e)return null;if(e.expires_at-Date.now()>15e3)return e;try{return await ke(e.token)}catch(t){return t.code==="session_ended"?null:e}}function De(){clearTimeout(Ft);let e=J();if(!e)return;let t=Math.max(e.expires_at-Date.now()-Fo,5e3);Ft=setTimeout(async()=>{let o=J();o&&(o.expires_at-Date.now()<=Fo&&await ke(o.token).catch(()=>null),De())},t)}function Po(e,{method:t,body:o,token:s,signal:i,base:n}){let a={Accept:"application/json"};return o!==void 0&&(a["Content-Type"]="application/json"),s&&(a.Authorization=`Bearer ${s}`),fetch(`${n}${e}`,{method:t,headers:a,body:o===void 0?void 0:JSON.stringify(o),signal:i,cache:"no-cache"})}async function de(e,{method:t="GET",body:o,auth:s=!0,signal:i,base:n="/api"}={}){let a=s?await st():null,l;try{l=await Po(e,{method:t,body:o,token:a==null?void 0:a.token,signal:i,base:n}),l.status===401&&a&&(a=await ke(a.token),l=await Po(e,{method:t,body:o,token:a.token,signal:i,base:n}))}catch(d){throw d instanceof P||d.name==="AbortError"?d:et()}if(l.status===204)return null;let c=await l.json().catch(()=>null);if(!l.ok)throw new P(l.status,(c==null?void 0:c.error)||{message:l.statusText},l.headers);return c}var b=(e,t)=>de(e,t),w=(e,t,o)=>de(e,{...o,method:"POST",body:t}),nt=(e,t,o)=>de(e,{...o,method:"PUT",body:t}),rt=(e,t,o)=>de(e,{...o,method:"PATCH",body:t}),te=(e,t,o)=>de(e,{...o,method:"DELETE",body:t});var it=ee({items:[]}),Js=1;function Dt(e){it.set(t=>({items:t.items.filter(o=>o.id!==e)}))}function v(e,{kind:t="info",ms:o=3500}={}){let s=Js++;it.set(i=>({items:[...i.items,{id:s,text:e,kind:t}].slice(-4)})),setTimeout(()=>Dt(s),o)}var Xs="agora.session",k=ee({status:"loading",user:null}),V=e=>(e==null?void 0:e.role)==="admin",at=e=>(e==null?void 0:e.role)==="admin"||(e==null?void 0:e.role)==="feeder";async function Mt(){if(!J())return k.set({status:"anonymous",user:null}),null;try{let e=await b("/users/profile");return k.set({status:"ready",user:e}),e}catch(e){if(e instanceof P&&e.status===401)return ot(),k.set({status:"anonymous",user:null}),null;let t=J();return k.set({status:"ready",user:{user_id:t.user_id,userId:t.user_id,username:t.username}}),null}}async function Ot(e,t){let o=e.includes("@")?"email":"username",s=await w("/users/login",{[o]:e,password:t},{auth:!1});return Pt(s),Mt()}async function Do({username:e,email:t,password:o}){let s={username:e,password:o};return t&&(s.email=t),await w("/users/register",s,{auth:!1}),Ot(e,o)}async function lt(){let e=J();ot(),k.set({status:"anonymous",user:null}),e&&await w("/users/logout",{refresh_token:e.refresh_token},{auth:!1}).catch(()=>null)}function Bt(e){k.set(t=>({...t,user:{...t.user,...e}}))}function Mo(){return No(()=>{k.set({status:"anonymous",user:null}),v("Your session has ended. Please log in again.")}),window.addEventListener("storage",e=>{if(e.key!==Xs&&e.key!==null)return;let t=J(),o=k.get().user;t?!o||String(o.user_id)!==String(t.user_id)?Mt():De():o&&k.set({status:"anonymous",user:null})}),De(),Mt()}var Te=ee({channels:{},recoveries:0}),Zs=new Set([1008,4400,4403,4404,4410]),Qs=4401,en=25e3,tn=600,on=15e3,sn=1;function me(e,t){Te.set(o=>{let s={...o.channels};return t===null?delete s[e]:s[e]=t,{...o,channels:s}})}function ct(e){let t=Object.values(e);return t.length?t.includes("reconnecting")?"reconnecting":t.includes("connecting")?"connecting":"live":"idle"}var Se=class{constructor({path:t,params:o=()=>({}),auth:s="required",onFrame:i,onFinal:n,onOpen:a}){this.id=sn++,this.path=t,this.params=o,this.auth=s,this.onFrame=i,this.onFinal=n,this.onOpen=a,this.ws=null,this.position=null,this.attempt=0,this.unauthorizedInARow=0,this.wasLive=!1,this.stopped=!0,this.retryTimer=null,this.pingTimer=null,this.sentToken=null,this.handleOnline=()=>this.retryNow()}start(){this.stopped=!1,window.addEventListener("online",this.handleOnline),this.connect()}stop(){this.stopped=!0,window.removeEventListener("online",this.handleOnline),clearTimeout(this.retryTimer),clearInterval(this.pingTimer);let t=this.ws;this.ws=null,t&&t.readyState<=WebSocket.OPEN&&t.close(1e3,"leaving"),me(this.id,null)}resetPosition(){this.position=null}send(t){return this.ws&&this.ws.readyState===WebSocket.OPEN?(this.ws.send(JSON.stringify(t)),!0):!1}async connect(){var n;if(this.stopped)return;me(this.id,this.wasLive?"reconnecting":"connecting");let t=new URLSearchParams;for(let[a,l]of Object.entries(this.params()||{}))l!=null&&l!==""&&t.set(a,String(l));let o=this.auth==="none"?null:await st();if(this.stopped)return;if(o){let a;try{({ticket:a}=await w("/users/socket-ticket"))}catch(l){if(this.stopped)return;if(l.code==="session_ended"){me(this.id,null);return}this.closed(1006,"no ticket");return}if(this.stopped)return;t.set("ticket",a)}else if(this.auth==="required"){me(this.id,null);return}this.sentToken=((n=J())==null?void 0:n.token)||null,this.position&&(t.set("since",String(this.position.offset)),t.set("epoch",this.position.epoch));let s=location.protocol==="https:"?"wss:":"ws:",i=new WebSocket(`${s}//${location.host}/api${this.path}?${t}`);this.ws=i,i.onopen=()=>{if(this.ws!==i)return;let a=this.wasLive&&this.attempt>0&&this.unauthorizedInARow===0;this.wasLive=!0,this.attempt=0,me(this.id,"live"),clearInterval(this.pingTimer),this.pingTimer=setInterval(()=>this.send({type:"ping"}),en),a&&Te.set(l=>({...l,recoveries:l.recoveries+1})),this.onOpen&&this.onOpen({recovered:a})},i.onmessage=a=>{if(this.ws!==i)return;let l;try{l=JSON.parse(a.data)}catch{return}typeof l.offset=="number"&&typeof l.epoch=="string"&&(this.position={offset:l.offset,epoch:l.epoch}),this.unauthorizedInARow=0,l.type!=="pong"&&this.onFrame(l)},i.onclose=a=>{this.ws===i&&(this.ws=null,clearInterval(this.pingTimer),this.stopped||this.closed(a.code,a.reason))}}async closed(t,o){if(Zs.has(t)){me(this.id,null),this.onFinal&&this.onFinal(t,o);return}if(me(this.id,"reconnecting"),this.wasLive=!0,t===Qs&&this.unauthorizedInARow===0&&J()){this.unauthorizedInARow+=1;try{await ke(this.sentToken)}catch(n){if(n.code==="session_ended"){me(this.id,null);return}}this.attempt+=1,this.connect();return}let i=Math.min(tn*2**this.attempt,on)*(.75+Math.random()*.5);this.attempt+=1,clearTimeout(this.retryTimer),this.retryTimer=setTimeout(()=>this.connect(),i)}retryNow(){this.stopped||this.ws||(clearTimeout(this.retryTimer),this.connect())}},nn=1500,xe=null,he=null;function rn(){he=null;let e=Te.get();if(!xe||ct(e.channels)!=="live")return;let t=e.recoveries>xe.recoveriesBefore;xe=null,t&&v("Reconnected \u2014 you are live again.",{kind:"success"})}Te.subscribe(e=>{let t=ct(e.channels);if(t==="reconnecting"){xe||(xe={recoveriesBefore:e.recoveries}),clearTimeout(he),he=null;return}if(xe){if(t!=="live"){clearTimeout(he),he=null;return}he||(he=setTimeout(rn,nn))}});var se=ee({unread:0,items:[],loaded:!1,rings:0}),Me=null,Ce=null,ut=[];async function an(){return Ce||(Ce=(async()=>{try{let e=await b("/notifications?limit=50");se.set({unread:e.unread_count,items:e.data,loaded:!0});let t=new Set(e.data.map(s=>s.notification_id)),o=ut.filter(s=>!t.has(s.notification.notification_id));ut=[],o.forEach(Oo)}catch{se.set({loaded:!0})}finally{Ce=null}})(),Ce)}function Oo(e){let t=e.notification;se.set(o=>{if(o.items.some(n=>n.notification_id===t.notification_id))return o;let s=[t,...o.items.filter(n=>n.notification_id!==e.replaces)],i=o.unread+(t.read||e.replaces?0:1);return{...o,items:s,unread:i,rings:o.rings+1}}),v(t.message)}function ln(e){e.type==="notification"&&e.notification?Ce?ut.push(e):Oo(e):(e.type==="ready"||e.type==="reload")&&(!se.get().loaded||e.type==="reload")&&an()}function Bo(){Ht(),Me=new Se({path:"/notifications/ws",auth:"required",onFrame:ln}),Me.start()}function Ht(){Me&&Me.stop(),Me=null,ut=[],se.set({unread:0,items:[],loaded:!1,rings:0})}async function Ho(e){let t=await w(`/notifications/${e}/read`);se.set(o=>({...o,unread:t.unread_count,items:o.items.map(s=>s.notification_id===e?t.data:s)}))}async function Uo(){await w("/notifications/read-all"),se.set(e=>({...e,unread:0,items:e.items.map(t=>({...t,read:!0}))}))}var Ut=!1;ne.subscribe(()=>{Ut=!0});function qo(e){Ut&&e&&(Ut=!1,e.focus({preventScroll:!0}))}function E({title:e,subtitle:t,crumbs:o,children:s}){let i=W(null);return N(()=>{document.title=typeof e=="string"?`${e} \xB7 Agora`:"Agora"},[e]),N(()=>qo(i.current),[]),r`
    <header class="page-head">
      <div>
        ${o&&r`<nav class="crumbs" aria-label="Breadcrumb">${o}</nav>`}
        <h1 tabindex="-1" data-page-title ref=${i}>${e}</h1>
        ${t&&r`<p>${t}</p>`}
      </div>
      ${s&&r`<div class="row">${s}</div>`}
    </header>
  `}function g({title:e,level:t=2,actions:o,children:s,class:i="",label:n}){let a=`h${t}`,l=n||void 0;return r`
    <section class=${`card ${i}`} aria-labelledby=${l}>
      ${e&&r`<div class="card-head">
        <${a} id=${l}>${e}<//>
        ${o&&r`<div class="row">${o}</div>`}
      </div>`}
      ${s}
    </section>
  `}function ie({text:e="Loading\u2026"}){return r`<p class="loading" role="status">${e}</p>`}function C({children:e}){return r`<p class="empty">${e}</p>`}function ae({error:e,retry:t}){let o=e instanceof P?e.summary:"Something went wrong.";return r`
    <div class="form-error" role="alert">
      ${o} ${t&&r`<button class="link-btn" type="button" onClick=${t}>Try again</button>`}
    </div>
  `}function x({resource:e,children:t,loadingText:o}){return e.data===void 0?e.error?r`<${ae} error=${e.error} retry=${e.reload} />`:r`<${ie} text=${o} />`:t(e.data)}function j({kind:e="",children:t}){return r`<span class=${`badge ${e?`badge-${e}`:""}`}>${t}</span>`}function R({iso:e,time:t=!0,relative:o=!0}){return!t||!o?r`<time datetime=${e} title=${Rt(e)}>${ue(e,{time:t})}</time>`:r`<${cn} iso=${e} />`}function cn({iso:e}){S(Lt);let t=Date.now();return r`<time datetime=${e} title=${Rt(e)} data-relative>${To(e,t)}</time>`}function le({name:e,src:t,large:o=!1}){return r`
    <span class=${`avatar ${o?"avatar-lg":""}`} aria-hidden="true">
      ${t?r`<img src=${t} alt="" />`:Ro(e)}
    </span>
  `}function oe({id:e,name:t,src:o,children:s}){return r`
    <span class="person">
      <${le} name=${t} src=${o} />
      <span>
        ${e?r`<a href=${`#/users/${e}`}>${t}</a>`:r`<strong>${t}</strong>`}
        ${s}
      </span>
    </span>
  `}function pe({value:e,label:t}){let o=Number(e||0),s=t||(e==null?"Not rated yet":`${o.toFixed(1)} out of 5`),i=n=>o>=n-.25?"":o>=n-.75?"half":"off";return r`
    <span class="stars" role="img" aria-label=${s}>
      ${[1,2,3,4,5].map(n=>r`<span class=${i(n)}>★</span>`)}
    </span>
  `}function U({children:e="to take part"}){let t=encodeURIComponent(location.hash.replace(/^#/,"")||"/");return r`
    <p class="empty">
      <a href=${`#/login?next=${t}`}>Log in</a> or <a href=${`#/signup?next=${t}`}>sign up</a>
      ${" "}${e}.
    </p>
  `}function dt({label:e,question:t,onConfirm:o,busy:s=!1}){let[i,n]=$(!1),a=W(null),l=W(null),c=W(!0);return N(()=>{var d;if(c.current){c.current=!1;return}(d=(i?a:l).current)==null||d.focus()},[i]),i?r`
    <span class="confirm-delete small" role="group" aria-label=${t}>
      <span>${t}</span>
      <button class="link-btn small danger" type="button" ref=${a}
        onClick=${()=>{n(!1),o()}}>Yes, delete</button>
      <button class="link-btn small" type="button" onClick=${()=>n(!1)}>Keep it</button>
    </span>
  `:r`<button class="link-btn small" type="button" ref=${l} aria-label=${e} disabled=${s}
      onClick=${()=>n(!0)}>Delete</button>`}var un=[.5,1,1.5,2,2.5,3,3.5,4,4.5,5];function dn(e){return e===.5?"Half a star":e===1?"1 star":`${e} stars`}function mn(){return r`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
    <path d="M12 1.8l3.1 6.6 7.2.9-5.3 5 1.4 7.1L12 17.9l-6.4 3.5L7 14.3l-5.3-5 7.2-.9z" />
  </svg>`}function Yo({id:e,name:t="rating",label:o,value:s,onChange:i,error:n,hint:a}){let[l,c]=$(null),d=Number(s)||0,u=l??d,p=[a&&`${e}-hint`,n&&`${e}-error`].filter(Boolean).join(" ")||void 0;return r`
    <fieldset class="field star-rating" id=${e} aria-describedby=${p} data-testid="star-rating">
      <legend>${o}</legend>
      <div class="star-rating-row">
        <div class="star-options" onMouseLeave=${()=>c(null)}>
          ${un.map(m=>{let f=`${e}-${m*2}`,h=m%1?"left":"right";return r`
              <span class=${`star-option ${h} ${u>=m?"on":""}`} key=${m}
                onMouseEnter=${()=>c(m)}>
                <input type="radio" id=${f} name=${t} value=${String(m)} checked=${d===m}
                  aria-invalid=${n?"true":void 0}
                  onChange=${()=>i(String(m))} />
                <label for=${f}><span class="visually-hidden">${dn(m)}</span><${mn} /></label>
              </span>
            `})}
        </div>
        <span class="star-rating-value" aria-hidden="true" data-testid="rating-value">
          ${d?`${d.toFixed(1)} / 5`:"Not rated yet"}
        </span>
      </div>
      ${a&&r`<span class="hint" id=${`${e}-hint`}>${a}</span>`}
      ${n&&r`<span class="field-error" id=${`${e}-error`}>${n}</span>`}
    </fieldset>
  `}var pn=[["/bookclub","Bookclub"],["/competitions","Competitions"],["/music","Music"],["/timeline","Timeline"],["/sports","Sports"]],fn={idle:"",connecting:"Connecting\u2026",live:"Live",reconnecting:"Reconnecting\u2026"};function $n(){let{channels:e}=S(Te),t=ct(e);return r`
    <span class="conn" data-state=${t} role="status" aria-live="polite" data-testid="connection">
      ${fn[t]}
    </span>
  `}function hn(){return r`
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"
      stroke-linejoin="round" aria-hidden="true">
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  `}function gn(){let{unread:e,rings:t}=S(se),[o,s]=$(!1),i=W(!0);N(()=>{if(i.current){i.current=!1;return}s(!0);let a=setTimeout(()=>s(!1),900);return()=>clearTimeout(a)},[t]);let n=e?`Notifications, ${e} unread`:"Notifications, none unread";return r`
    <a
      href="#/notifications"
      class=${`icon-btn bell ${o?"ringing":""}`}
      data-unread=${e>0?"true":"false"}
      aria-label=${n}
      title=${n}
      data-testid="bell"
    >
      <${hn} />
      ${e>0&&r`<span class="count" data-testid="unread-count" aria-hidden="true">${e>99?"99+":e}</span>`}
    </a>
  `}function bn({user:e}){let[t,o]=$(!1),s=W(null);N(()=>{if(!t)return;let a=l=>{s.current&&!s.current.contains(l.target)&&o(!1)};return document.addEventListener("pointerdown",a),()=>document.removeEventListener("pointerdown",a)},[t]);let i=a=>{var l,c;t&&a.key==="Escape"&&(o(!1),(c=(l=s.current)==null?void 0:l.querySelector(".menu-button"))==null||c.focus())};N(()=>ne.subscribe(()=>o(!1)),[]);let n=()=>{o(!1);let a=lt();return v("You are logged out."),z("/bookclub"),a};return r`
    <div class="menu" ref=${s} onKeyDown=${i}>
      <button
        class="menu-button"
        type="button"
        aria-expanded=${t?"true":"false"}
        aria-controls="user-menu-list"
        onClick=${()=>o(!t)}
        data-testid="user-menu"
      >
        <${le} name=${e.username} src=${e.profile_picture} />
        <span class="name">${e.username}</span>
      </button>
      ${t&&r`<ul class="menu-list" id="user-menu-list">
        <li class="menu-head">Signed in as <strong>${e.username}</strong>${e.role==="admin"?" (admin)":""}</li>
        <li><a href="#/profile">Your profile</a></li>
        <li><a href=${`#/users/${e.user_id}`}>Your posts</a></li>
        <li><a href="#/notifications">Notifications</a></li>
        ${e.role==="admin"&&r`<li><a href="#/admin/requests">Slow and failed requests</a></li>`}
        <li><button type="button" onClick=${n}>Log out</button></li>
      </ul>`}
    </div>
  `}function Wo(){let{user:e,status:t}=S(k),{path:o}=S(ne);return r`
    <header class="topbar">
      <div class="topbar-inner">
        <a class="brand" href="#/bookclub"><img src="/img/logo.svg" alt="" />Agora</a>
        <nav class="nav" aria-label="Sections">
          ${pn.map(([s,i])=>r`
              <a href=${`#${s}`} aria-current=${o.startsWith(s)?"page":void 0}>${i}</a>
            `)}
          ${V(e)&&r`<a href="#/insights" aria-current=${o.startsWith("/insights")?"page":void 0}>Insights</a>`}
        </nav>
        <div class="topbar-tools">
          <${$n} />
          ${e&&r`<${gn} />`}
          ${e&&r`<${bn} user=${e} />`}
          ${!e&&t!=="loading"&&r`
            <a class="btn btn-ghost btn-sm" href="#/login">Log in</a>
            <a class="btn btn-sm" href="#/signup">Sign up</a>
          `}
        </div>
      </div>
    </header>
  `}function jo(){let{items:e}=S(it);return r`
    <div class="toasts" role="status" aria-live="polite" data-testid="toasts">
      ${e.map(t=>r`<div class=${`toast toast-${t.kind}`} key=${t.id}>
          <span>${t.text}</span>
          <button class="toast-close" type="button" aria-label="Dismiss" onClick=${()=>Dt(t.id)}>×</button>
        </div>`)}
    </div>
  `}function Go(){return r`<button class="skip-link" type="button" onClick=${()=>{let t=document.querySelector("[data-page-title]")||document.getElementById("main");t&&t.focus()}}>Skip to content</button>`}function y(e,t){let[o,s]=$({loading:!0,data:void 0,error:null}),i=W(0),n=Qe(async()=>{let l=++i.current;s(c=>({...c,loading:!0}));try{let c=await e();l===i.current&&s({loading:!1,data:c,error:null})}catch(c){l===i.current&&s(d=>({...d,loading:!1,error:c}))}},t);N(()=>{n()},[n]);let a=Qe(l=>{s(c=>({...c,data:typeof l=="function"?l(c.data):l}))},[]);return{...o,reload:n,setData:a}}function X({enabled:e=!0,onFrame:t,...o},s){let i=W(t);i.current=t;let n=W(o.onFinal);n.current=o.onFinal;let a=W(null);return N(()=>{if(!e)return;let l=new Se({...o,onFrame:c=>i.current(c),onFinal:(c,d)=>n.current&&n.current(c,d)});return a.current=l,l.start(),()=>{l.stop(),a.current===l&&(a.current=null)}},[e,...s]),a}function M(e,t,{labels:o={}}={}){let[s,i]=$(e),[n,a]=$({}),[l,c]=$(null),[d,u]=$(null),[p,m]=$(!1),f=W(null),h=W(!1);N(()=>{if(!h.current||!f.current)return;h.current=!1;let q=f.current.querySelector('[aria-invalid="true"]');q&&q.focus()},[n]);let L=(q,A)=>{i(G=>({...G,[q]:A})),a(G=>{if(!(q in G))return G;let F={...G};return delete F[q],F})},T=q=>({name:q,value:s[q],error:n[q],onInput:A=>{let G=A.currentTarget;L(q,G.type==="checkbox"?G.checked:G.value)}}),D=(q=e)=>{i(q),a({}),c(null)};return{values:s,set:L,setValues:i,errors:n,formError:l,notice:d,busy:p,bind:T,submit:async q=>{if(q&&q.preventDefault(),!p){m(!0),a({}),c(null),u(null);try{let A=await t(s,{reset:D,setValues:i});typeof A=="string"&&u(A)}catch(A){let{fields:G,summary:F}=Io(A,Object.keys(e),o);h.current=!0,a(G),c(F)}finally{m(!1)}}},reset:D,ref:f}}var yn=1,qt=new WeakMap;function Yt(e){if(e.id)return e.id;let t=e.form.ref;return qt.has(t)||qt.set(t,`f${yn++}`),`${qt.get(t)}-${e.name}`}function zo(e,t,o){let s=[];return t&&s.push(`${e}-hint`),o&&s.push(`${e}-error`),s.join(" ")||void 0}function Vo({id:e,hint:t,error:o}){return r`
    ${t&&r`<span class="hint" id=${`${e}-hint`}>${t}</span>`}
    ${o&&r`<span class="field-error" id=${`${e}-error`}>${o}</span>`}
  `}function _({form:e,name:t,label:o,hint:s,type:i="text",multiline:n=!1,...a}){let l=Yt({form:e,name:t,id:a.id}),c=e.bind(t),d={id:l,name:t,value:c.value??"",onInput:c.onInput,"aria-invalid":c.error?"true":void 0,"aria-describedby":zo(l,s,c.error),...a};return r`
    <div class="field">
      <label for=${l}>${o}</label>
      ${n?r`<textarea ...${d} />`:r`<input type=${i} ...${d} />`}
      <${Vo} id=${l} hint=${s} error=${c.error} />
    </div>
  `}function Oe({form:e,name:t,label:o,hint:s,options:i,...n}){let a=Yt({form:e,name:t,id:n.id}),l=e.bind(t);return r`
    <div class="field">
      <label for=${a}>${o}</label>
      <select
        id=${a}
        name=${t}
        value=${l.value??""}
        onChange=${l.onInput}
        aria-invalid=${l.error?"true":void 0}
        aria-describedby=${zo(a,s,l.error)}
        ...${n}
      >
        ${i.map(([c,d])=>r`<option value=${c} selected=${String(c)===String(l.value)}>${d}</option>`)}
      </select>
      <${Vo} id=${a} hint=${s} error=${l.error} />
    </div>
  `}function ge({form:e,name:t,label:o}){let s=Yt({form:e,name:t}),i=e.bind(t);return r`
    <div class="field">
      <label class="check" for=${s}>
        <input id=${s} type="checkbox" name=${t} checked=${!!i.value} onChange=${i.onInput} />
        ${o}
      </label>
      ${i.error&&r`<span class="field-error">${i.error}</span>`}
    </div>
  `}function O({form:e}){return r`
    ${e.formError&&r`<p class="form-error" role="alert">${e.formError}</p>`}
    ${e.notice&&r`<p class="form-note" role="status">${e.notice}</p>`}
  `}function B({form:e,children:t,busyText:o="Saving\u2026",kind:s=""}){return r`
    <button class=${`btn ${s}`} type="submit" disabled=${e.busy}>
      ${e.busy?o:t}
    </button>
  `}var Ko="agora.export",vn=1500,_n=[["Tweets, reviews, chat messages, votes and likes","hidden at once (they stop counting); deleted when the grace period ends"],["Threads and comments others answered","kept as \u201C[deleted]\u201D, without your name, so the replies still make sense"],["Entries that placed in a finished competition","keep their place, shown as by \u201Cdeleted user\u201D"],["Follows, followed teams, notifications, preferences","hidden at once; deleted at the end"],["Your account and username","deleted at the end; the username can be taken again after 30 days"]],wn={done:"success",running:"primary",waiting:"warning",failed:"danger"};function Xo({steps:e}){return!e||e.length===0?null:r`
    <ol class="list" aria-label="Steps">
      ${e.map(t=>r`<li key=${t.step}>
        <strong>${t.action}</strong> ${t.service}
        <${j} kind=${wn[t.state]||""}>${t.state}<//>
        <span class="small muted"> <${R} iso=${t.at} /></span>
        ${t.detail&&r`<div class="small muted">${t.detail}</div>`}
      </li>`)}
    </ol>
  `}function Zo(e,t,o){let[s,i]=$(null);return N(()=>{if(!t)return;let n=!1,a=null,l=async()=>{try{let c=await e();if(n||(i(c),c&&c.keepPolling===!1))return}catch{}n||(a=setTimeout(l,vn))};return l(),()=>{n=!0,clearTimeout(a)}},o),s}async function kn(e,t){let o=J(),s=await fetch(e,{headers:{Authorization:`Bearer ${(o==null?void 0:o.token)||""}`}});if(!s.ok)throw new Error(`The download failed (${s.status})`);let i=await s.blob(),n=document.createElement("a");n.href=URL.createObjectURL(i),n.download=t,document.body.append(n),n.click(),n.remove(),setTimeout(()=>URL.revokeObjectURL(n.href),1e4)}function Qo(){let[e,t]=$(()=>localStorage.getItem(Ko)),[o,s]=$(!1),[i,n]=$(null),a=Zo(async()=>{let d=await b(`/users/profile/export/${e}`);return{...d,keepPolling:d.state==="collecting"}},!!e,[e]),l=async()=>{s(!0),n(null);try{let d=await w("/users/profile/export");localStorage.setItem(Ko,d.export_id),t(d.export_id)}catch(d){n(d instanceof P?d.summary:String(d))}finally{s(!1)}},c=()=>kn(a.download_url,`agora-data-${a.export_id}.zip`).catch(d=>n(String(d.message)));return r`
    <div class="stack" aria-label="Download my data">
      <p>Get a ZIP archive of everything Agora keeps about you: your profile, follows, votes,
        threads and replies, chat messages, entries, likes, comments, reviews, tweets,
        notifications and preferences, as JSON files with a README.</p>
      ${a&&r`<p role="status">Export <${j} kind=${a.state==="ready"?"success":""}>${a.state}<//>
        ${a.expires_at&&r` · the link works until <${R} iso=${a.expires_at} />`}</p>`}
      ${(a==null?void 0:a.state)==="collecting"&&r`<${Xo} steps=${a.steps} />`}
      ${i&&r`<p class="form-error" role="alert">${i}</p>`}
      <div class="form-actions">
        ${(a==null?void 0:a.state)==="ready"&&r`<button class="btn" type="button" onClick=${c}>Download the archive</button>`}
        <button class="btn btn-secondary" type="button" disabled=${o||(a==null?void 0:a.state)==="collecting"} onClick=${l}>
          ${(a==null?void 0:a.state)==="collecting"?"Collecting your data\u2026":"Download my data"}
        </button>
      </div>
    </div>
  `}function es(){let e=M({password:"",grace_days:"14",understood:!1},async t=>{if(!t.understood)throw new P(422,{message:"Tick the box to confirm",details:[{field:"body.understood",message:"Tick the box to confirm"}]});let o=Number.parseInt(t.grace_days,10),s=await w("/users/profile/deletion",{password:t.password,grace_days:Number.isNaN(o)?14:o});await lt(),v(`Your account is scheduled for deletion on ${ue(s.erase_at)}. Log in before then to restore it.`,{ms:15e3}),z("/login")});return r`
    <div class="stack" aria-label="Delete my account">
      <p>Deleting your account signs you out everywhere at once and hides your content. Until the
        end of the grace period you can log in and restore everything exactly as it was.</p>
      <table class="plain-table small">
        <thead><tr><th scope="col">Your…</th><th scope="col">What happens</th></tr></thead>
        <tbody>${_n.map(([t,o])=>r`<tr key=${t}><td>${t}</td><td>${o}</td></tr>`)}</tbody>
      </table>
      <form class="form" onSubmit=${e.submit} ref=${e.ref} novalidate aria-label="Delete my account">
        <${_} form=${e} name="password" label="Your password" type="password" autocomplete="current-password" required />
        <${_} form=${e} name="grace_days" label="Grace period (days)" type="number" min="0" max="30"
          hint="0 to 30 days; 0 deletes at once, with no way back." />
        <${ge} form=${e} name="understood" label="I understand what will be deleted" />
        <${O} form=${e} />
        <div class="form-actions"><${B} form=${e} kind="btn-danger-solid" busyText="Scheduling…">Delete my account<//></div>
      </form>
    </div>
  `}async function Jo(e,t){let o=await fetch("/api/users/profile/deletion",{method:e,headers:{Accept:"application/json","X-Restore-Token":t}}),s=await o.json().catch(()=>null);if(!o.ok)throw new P(o.status,(s==null?void 0:s.error)||{});return s}function ts({pending:e,onRestored:t}){let{restore_token:o,erase_at:s}=e,[i,n]=$(!1),[a,l]=$(null),c=Zo(async()=>{let u=await Jo("GET",o);return{...u,keepPolling:!["restored","erased"].includes(u.state)}},!0,[o]);N(()=>{(c==null?void 0:c.state)==="restored"&&t()},[c==null?void 0:c.state]);let d=async()=>{n(!0),l(null);try{await Jo("DELETE",o)}catch(u){l(u instanceof P?u.message:String(u)),n(!1)}};return r`
    <div class="card" role="region" aria-label="Account scheduled for deletion">
      <p>This account is scheduled for deletion on <strong><${R} iso=${s} /></strong>.
        Restore it to log in: everything that was hidden comes back as it was.</p>
      ${c&&r`<p>State: <${j}>${c.state}<//></p><${Xo} steps=${c.steps} />`}
      ${a&&r`<p class="form-error" role="alert">${a}</p>`}
      <div class="form-actions">
        <button class="btn" type="button" disabled=${i} onClick=${d}>
          ${i?"Restoring your account\u2026":"Restore my account"}
        </button>
      </div>
    </div>
  `}function os(e){return!(e instanceof P)||e.code!=="account_pending_deletion"?null:e.details[0]||null}function ss(e){let t=e.get("next");return t&&t.startsWith("/")&&!t.startsWith("/login")&&!t.startsWith("/signup")?t:"/bookclub"}function ns({query:e}){let[t,o]=$(null),s=async a=>{let l=await Ot(a.login.trim(),a.password);v(`Welcome back, ${(l==null?void 0:l.username)||a.login}!`),z(ss(e))},i=M({login:"",password:""},async a=>{try{await s(a)}catch(l){let c=os(l);if(!c)throw l;o(c)}});if(t)return r`
      <div class="auth-card">
        <${E} title="Restore your account" subtitle="Your account is scheduled for deletion." />
        <${ts} pending=${t} onRestored=${()=>s(i.values).catch(()=>o(null))} />
      </div>
    `;let n=`#/signup${e.get("next")?`?next=${encodeURIComponent(e.get("next"))}`:""}`;return r`
    <div class="card auth-card">
      <${E} title="Log in" subtitle="Welcome back to Agora." />
      <form class="form" onSubmit=${i.submit} ref=${i.ref} novalidate>
        <${_} form=${i} name="login" label="Username or email" autocomplete="username" required />
        <${_} form=${i} name="password" label="Password" type="password"
          autocomplete="current-password" required />
        <${O} form=${i} />
        <div class="form-actions">
          <${B} form=${i} busyText="Logging in…">Log in<//>
          <span class="muted">New here? <a href=${n}>Create an account</a></span>
        </div>
      </form>
    </div>
  `}function rs({query:e}){let t=M({username:"",email:"",password:""},async o=>{let s=await Do({username:o.username.trim(),email:o.email.trim(),password:o.password});v(`Welcome to Agora, ${(s==null?void 0:s.username)||o.username}!`,{kind:"success"}),z(ss(e))});return r`
    <div class="card auth-card">
      <${E} title="Sign up" subtitle="Join the book club, competitions, music reviews and more." />
      <form class="form" onSubmit=${t.submit} ref=${t.ref} novalidate>
        <${_} form=${t} name="username" label="Username" autocomplete="username"
          hint="3 to 32 lowercase letters, digits or underscores." required />
        <${_} form=${t} name="email" label="Email" type="email" autocomplete="email"
          hint="You can log in with it too." />
        <${_} form=${t} name="password" label="Password" type="password"
          autocomplete="new-password" hint="At least 12 characters." required />
        <${O} form=${t} />
        <div class="form-actions">
          <${B} form=${t} busyText="Creating your account…">Create account<//>
          <span class="muted">Have an account? <a href="#/login">Log in</a></span>
        </div>
      </form>
    </div>
  `}var Wt=4e3,is=1;function xn(e){return{message_id:String(e.message_id),userId:String(e.userId),username:e.username,message:e.message,created_at:e.created_at,edited_at:e.edited_at}}function Sn(e,t){let o=e.findIndex(i=>i.message_id===t.message_id);if(o===-1)return[...e,t].sort((i,n)=>Number(i.message_id)-Number(n.message_id));let s=[...e];return s[o]={...s[o],...t},s}function Tn({present:e,count:t}){if(!t)return r`<p class="presence">Nobody else is here yet.</p>`;let o=e.map(i=>i.username).join(", "),s=t>e.length?` and ${t-e.length} more`:"";return r`<p class="presence">${t} here now: ${o}${s}</p>`}function fe({roomId:e,label:t="Live chat"}){let{user:o}=S(k),[s,i]=$(null),[n,a]=$({present:[],count:0}),[l,c]=$(""),[d,u]=$(null),[p,m]=$(null),f=W(null),h=W(!0),L=`chat-${e}`,T=async()=>{try{let F=await b(`/forums/rooms/${e}/messages?limit=50`,{auth:!1});i(F.messages.map(K=>({...K,message_id:String(K.message_id),userId:String(K.userId)})).reverse())}catch{i(F=>F||[])}};N(()=>{i(null),m(null),T()},[e]);let Y=X({enabled:!!o,path:"/forums/connect",params:()=>({roomId:e}),auth:"required",onFrame:F=>{var K;switch(F.type){case"welcome":case"presence":a({present:F.present||[],count:F.present_count||0});break;case"message":case"edited":i($e=>Sn($e||[],xn(F)));break;case"deleted":i($e=>($e||[]).filter(ye=>ye.message_id!==String(F.message_id)));break;case"error":u(((K=F.error)==null?void 0:K.message)||"That message could not be sent.");break;case"room_closed":m("This room has been closed.");break;case"reload":T();break;default:break}},onFinal:()=>m("This room is closed.")},[e,o==null?void 0:o.user_id]);kt(()=>{let F=f.current;F&&h.current&&(F.scrollTop=F.scrollHeight)},[s]);let q=()=>{let F=f.current;h.current=F.scrollHeight-F.scrollTop-F.clientHeight<40},A=F=>{var ye;F.preventDefault();let K=l.trim();if(!K)return;if(K.length>Wt){u(`Messages can be at most ${Wt} characters.`);return}if(!((ye=Y.current)==null?void 0:ye.send({type:"message",message:K,client_id:`c${is++}`}))){u("Not connected right now; your message was not sent. Try again in a moment.");return}u(null),c(""),h.current=!0},G=F=>{var K;(K=Y.current)==null||K.send({type:"delete",message_id:F,client_id:`c${is++}`})};return r`
    <div class="chat" data-testid="chat">
      ${o&&!p&&r`<${Tn} ...${n} />`}
      ${s===null?r`<${ie} text="Loading messages…" />`:r`
            <div role="log" aria-live="polite" aria-relevant="additions" aria-label=${t}>
            <ol class="chat-log" ref=${f} onScroll=${q} aria-label=${t} tabindex="0">
              ${s.length===0&&r`<li class="muted small">No messages yet. Say hello!</li>`}
              ${s.map(F=>r`
                  <li key=${F.message_id} class=${`chat-msg ${o&&F.userId===String(o.user_id)?"mine":""}`}>
                    <div class="who">
                      <span>${F.username}</span><${R} iso=${F.created_at} />
                      ${o&&F.userId===String(o.user_id)&&r`<${dt} label="Delete this message" question="Delete it?"
                        onConfirm=${()=>G(F.message_id)} />`}
                    </div>
                    <div class="text">${F.message}</div>
                  </li>
                `)}
            </ol>
            </div>
          `}
      ${p&&r`<p class="form-error" role="alert">${p}</p>`}
      ${!o&&r`<${U}>to chat<//>`}
      ${o&&!p&&r`
        <form class="chat-send" onSubmit=${A} novalidate>
          <label class="visually-hidden" for=${L}>Message</label>
          <input id=${L} type="text" value=${l} maxlength=${Wt}
            placeholder="Write a message…" autocomplete="off"
            aria-invalid=${d?"true":void 0}
            aria-describedby=${d?`${L}-error`:void 0}
            onInput=${F=>{c(F.currentTarget.value),u(null)}} />
          <button class="btn" type="submit">Send</button>
        </form>
        ${d&&r`<p class="field-error" id=${`${L}-error`} role="alert">${d}</p>`}
      `}
    </div>
  `}var Cn=15,En=1e3;function Rn({onCreated:e}){let[t,o]=$(!1),s=M({title:"",content:""},async i=>{let n=await w("/discussion",i);e(n.thread_id)});return t?r`
    <form class="form" onSubmit=${s.submit} ref=${s.ref} novalidate aria-label="Start a thread">
      <${_} form=${s} name="title" label="Thread title" required />
      <${_} form=${s} name="content" label="What do you want to say?" multiline rows="4" required />
      <${O} form=${s} />
      <div class="form-actions">
        <${B} form=${s} busyText="Posting…">Post thread<//>
        <button class="btn btn-ghost" type="button" onClick=${()=>o(!1)}>Cancel</button>
      </div>
    </form>
  `:r`<button class="btn btn-secondary btn-sm" type="button" onClick=${()=>o(!0)}>Start a thread</button>`}function as({threads:e}){return r`<ul class="list" data-testid="threads">
    ${e.map(t=>r`
        <li key=${t.thread_id}>
          <a href=${`#/bookclub/threads/${t.thread_id}`}><strong>${t.title}</strong></a>
          <div class="small muted">
            by ${t.author} · ${H(t.replies,"reply","replies")} · last activity
            ${" "}<${R} iso=${t.last_activity_at} />
          </div>
        </li>
      `)}
  </ul>`}function Ln({poll:e}){let[t,o]=$(!1),s=y(()=>t?b(`/discussions?book_id=${e.winner.book_id}&limit=50`,{auth:!1}):Promise.resolve(null),[t,e.winner.book_id]);return r`
    <li>
      <details data-testid="past-lobby" onToggle=${i=>o(i.currentTarget.open)}>
        <summary><strong>${re(e.month)}</strong>: ${e.winner.title} <span class="muted">by ${e.winner.author}</span></summary>
        ${t&&r`<${x} resource=${s} loadingText="Loading its threads…">
          ${i=>!i||i.discussions.length===0?r`<${C}>Nobody started a thread that month.<//>`:r`<${as} threads=${i.discussions} />`}
        <//>`}
      </details>
    </li>
  `}function An({currentBookId:e,version:t}){var i;let s=(((i=y(()=>b("/polls?limit=24",{auth:!1}),[t]).data)==null?void 0:i.polls)||[]).filter(n=>n.status==="closed"&&n.winner&&n.winner.book_id!==e);return s.length===0?null:r`
    <${g} title="Earlier months" label="past-lobbies-title">
      <ul class="list">${s.map(n=>r`<${Ln} key=${n.poll_id} poll=${n} />`)}</ul>
    <//>
  `}function ls({version:e,expectBookId:t}){var c;let{user:o}=S(k),s=y(()=>b("/discussions?limit=30",{auth:!1}),[e]),[i,n]=$(0),a=(c=s.data)==null?void 0:c.book,l=s.data&&(t&&(a==null?void 0:a.book_id)!==t||a&&!a.roomId);return N(()=>{if(!l||i>=Cn)return;let d=setTimeout(()=>{n(u=>u+1),s.reload()},En);return()=>clearTimeout(d)},[l,i]),r`
    <${x} resource=${s} loadingText="Loading the lobby…">
      ${d=>d.book?r`
              <div class="grid">
                <${g}
                  title=${`Lobby: ${d.book.title}`}
                  label="lobby-title"
                  actions=${o&&r`<${Rn} onCreated=${u=>z(`/bookclub/threads/${u}`)} />`}
                >
                  ${d.discussions.length===0?r`<${C}>No threads yet. Start the first one!<//>`:r`<${as} threads=${d.discussions} />`}
                  ${!o&&r`<div style="margin-top:12px"><${U}>to start a thread<//></div>`}
                <//>
                <${g} title="Lobby chat" label="lobby-chat-title">
                  ${d.book.roomId?r`<${fe} roomId=${d.book.roomId} label="Lobby chat messages" />`:r`<p class="loading">Opening the chat room…</p>`}
                <//>
              </div>
              <div style="margin-top:24px"><${An} currentBookId=${d.book.book_id} version=${e} /></div>
            `:r`<${g} title="The lobby"><${C}>The lobby opens when the first book of the month is chosen.<//><//>`}
    <//>
  `}async function In(){let t=(await b("/polls?limit=12",{auth:!1})).polls.find(o=>o.status==="closed"&&o.winner);return t?{...t.winner,month:t.month}:null}function Fn({book:e,total:t,mine:o,canVote:s,onVote:i,busy:n}){let a=t?Math.round(100*e.votes/t):0;return r`
    <li class=${`candidate ${o?"mine":""}`} data-testid="candidate" data-book-id=${e.book_id}>
      <div>
        <h3>${e.title} ${o&&r`<${j} kind="primary">Your vote<//>`}</h3>
        <div class="meta">by ${e.author}</div>
        ${e.description&&r`<p class="small muted" style="margin:4px 0 0">${e.description}</p>`}
      </div>
      <div class="row" style="justify-content:flex-end">
        <span class="votes" data-testid=${`votes-${e.book_id}`}>${H(e.votes,"vote")}</span>
        ${s&&r`<button
          class=${`btn btn-sm ${o?"":"btn-secondary"}`}
          type="button"
          aria-pressed=${o?"true":"false"}
          aria-disabled=${n||o?"true":"false"}
          onClick=${()=>{!n&&!o&&i(e)}}
          aria-label=${o?`You vote for ${e.title}`:`Vote for ${e.title}`}
        >${o?"Voted":"Vote"}</button>`}
      </div>
      <div class="bar" aria-hidden="true"><span style=${`width:${a}%`}></span></div>
    </li>
  `}function Nn({onAdded:e}){let[t,o]=$(!1),s=M({title:"",author:"",description:""},async(i,{reset:n})=>{let a=await w("/books",i);return n(),e(),`"${a.title}" is on the ballot.`});return t?r`
    <form class="form" onSubmit=${s.submit} ref=${s.ref} novalidate aria-label="Add a book">
      <h3>Add a book to the ballot</h3>
      <div class="form-row">
        <${_} form=${s} name="title" label="Title" required />
        <${_} form=${s} name="author" label="Author" required />
      </div>
      <${_} form=${s} name="description" label="Description" multiline rows="3" />
      <${O} form=${s} />
      <div class="form-actions">
        <${B} form=${s} busyText="Adding…">Add book<//>
        <button class="btn btn-ghost" type="button" onClick=${()=>o(!1)}>Done</button>
      </div>
    </form>
  `:r`<button class="btn btn-secondary" type="button" onClick=${()=>o(!0)}>Add a book</button>`}function Pn({poll:e,onClosed:t}){let[o,s]=$(!1),[i,n]=$(!1),[a,l]=$(null),c=async()=>{n(!0),l(null);try{let d=await w("/polls/current/close",{poll_id:e.poll_id});v(d.message,{kind:"success"}),s(!1),t(d)}catch(d){l(d instanceof P?d.summary:String(d))}finally{n(!1)}};return r`
    <div class="stack" style="gap:8px">
      ${!o&&r`<button class="btn btn-danger" type="button" onClick=${()=>s(!0)}>Close the poll</button>`}
      ${o&&r`
        <p role="alert">Close the ${re(e.month)} poll now and choose the book of the month?</p>
        <div class="form-actions">
          <button class="btn btn-danger-solid btn" type="button" disabled=${i} onClick=${c}>
            ${i?"Closing\u2026":"Yes, close the poll"}
          </button>
          <button class="btn btn-ghost" type="button" onClick=${()=>s(!1)}>Cancel</button>
        </div>
      `}
      ${a&&r`<p class="form-error" role="alert">${a}</p>`}
    </div>
  `}function Dn({poll:e,setPoll:t,user:o,reload:s}){let[i,n]=$(!1),[a,l]=$(null),c=async u=>{n(!0),l(null);try{let p=await w("/vote",{book_id:u.book_id,poll_id:e.poll_id});t(m=>({...m,my_vote:p.book_id})),p.outcome==="moved"?v(`Your vote moved to "${u.title}".`):p.outcome==="created"&&v(`You voted for "${u.title}".`)}catch(p){l(p instanceof P?p.summary:String(p)),s()}finally{n(!1)}},d=[...e.candidates].sort((u,p)=>u.book_id-p.book_id);return r`
    <${g}
      title=${`Vote for ${re(e.month)}`}
      label="ballot-title"
      actions=${r`<${j} kind=${e.status==="open"?"success":""}>${e.status==="open"?`Open until ${ue(e.closes_at)}`:"Closed"}<//>`}
    >
      <p class="muted small" aria-live="polite" data-testid="total-votes">
        ${H(e.total_votes,"vote")} so far${e.my_vote?"":o?" \u2014 pick the book you want to read next.":"."}
      </p>
      ${d.length===0?r`<${C}>No candidates yet.${V(o)?" Add the first book below.":" An admin adds them soon."}<//>`:r`<ul class="list">
            ${d.map(u=>r`<${Fn}
                key=${u.book_id}
                book=${u}
                total=${e.total_votes}
                mine=${e.my_vote===u.book_id}
                canVote=${!!o&&e.status==="open"}
                busy=${i}
                onVote=${c}
              />`)}
          </ul>`}
      ${a&&r`<p class="form-error" role="alert" style="margin-top:12px">${a}</p>`}
      ${!o&&r`<div style="margin-top:14px"><${U}>to vote<//></div>`}
    <//>
  `}function Mn({book:e}){return e?r`
    <${g} title="Book of the month" actions=${r`<${j} kind="primary">${re(e.month)}<//>`}>
      <div class="book-hero" data-testid="book-of-the-month">
        <div class="book-cover" aria-hidden="true">${e.title.charAt(0)}</div>
        <div>
          <h3 style="margin-bottom:2px">${e.title}</h3>
          <p class="muted" style="margin-bottom:6px">by ${e.author}</p>
          ${e.description&&r`<p class="small">${e.description}</p>`}
          <p class="small muted">Chosen with ${H(e.votes,"vote")}.</p>
        </div>
      </div>
    <//>
  `:r`<${g} title="Book of the month"><${C}>No book has been chosen yet. The first poll decides.<//><//>`}function On({poll:e}){var n,a,l;let t=y(()=>b("/competitions",{auth:!1}),[]),o=y(()=>b("/sports/ongoing-events?limit=12",{auth:!1}),[]),s=(n=t.data)==null?void 0:n.length,i=(l=(a=o.data)==null?void 0:a.data)==null?void 0:l.length;return r`
    <section class="card welcome" aria-labelledby="welcome-title" data-testid="welcome">
      <h2 id="welcome-title">Welcome to Agora</h2>
      <p>
        A community for people who read, write, listen and watch. Each month we vote on a book and
        talk it over in its lobby; writers enter competitions that readers' likes decide; music
        lovers review albums and chat in their rooms; sports fans follow games as they are scored.
      </p>
      <ul class="welcome-now" aria-label="Happening now">
        ${e&&r`<li><strong>${H(e.total_votes,"vote")}</strong> cast for ${re(e.month)}'s book</li>`}
        ${s!==void 0&&r`<li><a href="#/competitions"><strong>${H(s,"competition")}</strong> open</a></li>`}
        ${i!==void 0&&r`<li><a href="#/sports"><strong>${H(i,"game")}</strong> live now</a></li>`}
      </ul>
      <div class="row">
        <a class="btn" href="#/signup">Join Agora</a>
        <a class="btn btn-ghost" href="#/login">Log in</a>
      </div>
    </section>
  `}function jt(){var u,p;let{user:e,status:t}=S(k),o=y(()=>b("/polls/current"),[e==null?void 0:e.user_id]),s=y(In,[]),[i,n]=$(0),a=()=>{o.reload(),s.reload(),n(m=>m+1)},l=W(null),c=W(null);N(()=>{let m=c.current;c.current=null,m&&o.data&&m.poll_id===o.data.poll_id&&d(m)},[(u=o.data)==null?void 0:u.poll_id]);let d=m=>{let f=new Map(m.counts.map(h=>[h.book_id,h.votes]));o.setData(h=>({...h,total_votes:m.total_votes,my_vote:m.type==="snapshot"&&m.my_vote!==void 0?m.my_vote:h.my_vote,candidates:h.candidates.map(L=>({...L,votes:f.get(L.book_id)??L.votes}))}))};return X({path:"/vote/live",auth:"optional",params:()=>l.current?{poll_id:l.current}:{},onFrame:m=>{m.poll_id&&(l.current=m.poll_id);let f=o.data;if(m.type==="snapshot"||m.type==="votes"){if(!f){c.current=m;return}let h=new Set(f.candidates.map(L=>L.book_id));m.poll_id!==f.poll_id?a():m.counts.some(L=>!h.has(L.book_id))?o.reload():d(m)}else m.type==="closed"?(l.current=m.next_poll_id,a()):m.type==="reload"&&o.reload()}},[e==null?void 0:e.user_id]),r`
    <${E}
      title="Bookclub"
      subtitle="Vote for the book we all read next month, then talk about it in the lobby."
    />
    ${!e&&t!=="loading"&&r`<div style="margin-bottom:24px"><${On} poll=${o.data} /></div>`}
    <div class="grid">
      <div class="stack">
        <${x} resource=${o} loadingText="Loading this month's vote…">
          ${m=>r`<${Dn} poll=${m} setPoll=${o.setData} user=${e} reload=${o.reload} />`}
        <//>
      </div>
      <div class="stack">
        <${x} resource=${s}>${m=>r`<${Mn} book=${m} />`}<//>
        ${V(e)&&o.data&&r`
          <${g} title="Admin" label="admin-title">
            <div class="stack" style="gap:14px">
              <${Nn} onAdded=${o.reload} />
              ${o.data.status==="open"&&r`<${Pn} poll=${o.data} onClosed=${a} />`}
            </div>
          <//>
        `}
      </div>
    </div>
    <div style="margin-top:24px">
      <${ls} version=${i} expectBookId=${(p=s.data)==null?void 0:p.book_id} />
    </div>
  `}function Bn({threadId:e,onReplied:t}){let o=M({content:""},async(s,{reset:i})=>{await w(`/discussions/${e}/reply`,s),i(),t()});return r`
    <form class="form" onSubmit=${o.submit} ref=${o.ref} novalidate aria-label="Reply">
      <${_} form=${o} name="content" label="Your reply" multiline rows="3" required />
      <${O} form=${o} />
      <div class="form-actions"><${B} form=${o} busyText="Posting…">Post reply<//></div>
    </form>
  `}function cs({params:e}){let{user:t}=S(k),o=y(()=>b(`/discussions/${e.id}?limit=200`),[e.id]);X({path:`/discussions/${e.id}/live`,auth:"none",onFrame:i=>{i.type==="reload"&&o.reload(),i.type==="reply"&&o.setData(n=>{if(!n||n.replies.some(p=>p.reply_id===i.reply_id))return n;let{type:a,offset:l,epoch:c,reply_count:d,...u}=i;return{...n,reply_count:d,replies:[...n.replies,u]}})}},[e.id]);let s=r`<a href="#/bookclub">Bookclub</a> › Lobby`;return r`
    <${x} resource=${o}>
      ${i=>r`
        <${E} title=${i.title} crumbs=${s}
          subtitle=${r`Started by ${i.author} · <${R} iso=${i.created_at} />`} />
        <div class="stack">
          <${g}><p class="prose" style="margin:0">${i.content}</p><//>
          <${g} title=${H(i.reply_count,"reply","replies")} label="replies-title">
            ${i.replies.length===0?r`<${C}>No replies yet.<//>`:r`<ul class="list" data-testid="replies">
                  ${i.replies.map(n=>r`
                      <li key=${n.reply_id}>
                        <${oe} id=${n.author_id} name=${n.author}>
                          <span class="small muted"> · <${R} iso=${n.created_at} /></span>
                        <//>
                        <p class="prose" style="margin:6px 0 0">${n.content}</p>
                      </li>
                    `)}
                </ul>`}
          <//>
          <${g} title="Reply" level="2" label="reply-title">
            ${t?r`<${Bn} threadId=${i.thread_id} onReplied=${o.reload} />`:r`<${U}>to reply<//>`}
          <//>
        </div>
      `}
    <//>
  `}function Hn({onCancel:e}){let t=new Date;t.setSeconds(0,0);let o=new Date(t.getTime()+14*864e5),s=M({title:"",description:"",start_date:Ne(t),end_date:Ne(o),allow_multiple_entries:!1},async i=>{let n=await w("/competitions",{...i,start_date:Pe(i.start_date),end_date:Pe(i.end_date)});v(`"${n.title}" was created.`,{kind:"success"}),z(`/competitions/${n.competition_id}`)},{labels:{start_date:"Opens",end_date:"Closes"}});return r`
    <${g} title="New competition" label="new-competition-title">
      <form class="form" onSubmit=${s.submit} ref=${s.ref} novalidate aria-label="New competition">
        <${_} form=${s} name="title" label="Title" required />
        <${_} form=${s} name="description" label="Description" multiline rows="3"
          hint="What should entrants write? Any rules?" />
        <div class="form-row">
          <${_} form=${s} name="start_date" label="Opens" type="datetime-local" required />
          <${_} form=${s} name="end_date" label="Closes" type="datetime-local" required />
        </div>
        <${ge} form=${s} name="allow_multiple_entries" label="Allow more than one entry per person" />
        <${O} form=${s} />
        <div class="form-actions">
          <${B} form=${s} busyText="Creating…">Create competition<//>
          <button class="btn btn-ghost" type="button" onClick=${e}>Cancel</button>
        </div>
      </form>
    <//>
  `}function us(){let{user:e}=S(k),t=y(()=>b("/competitions",{auth:!1}),[]),[o,s]=$(!1);return r`
    <${E} title="Competitions" subtitle="Write, enter, like and comment. The most liked entries win.">
      ${V(e)&&!o&&r`<button class="btn" type="button" onClick=${()=>s(!0)}>New competition</button>`}
    <//>
    ${o&&r`<div style="margin-bottom:24px"><${Hn} onCancel=${()=>s(!1)} /></div>`}
    <${x} resource=${t} loadingText="Loading competitions…">
      ${i=>i.length===0?r`<${C}>No competition is open right now. Check back soon!<//>`:r`<div class="cards" data-testid="competitions">
              ${i.map(n=>r`
                  <a class="card card-link" href=${`#/competitions/${n.competition_id}`} key=${n.competition_id}>
                    <div class="row-between" style="margin-bottom:6px">
                      <${j} kind="success">Open<//>
                      <span class="small muted">until <${R} iso=${n.end_date} time=${!1} /></span>
                    </div>
                    <h3>${n.title}</h3>
                    ${n.description&&r`<p class="small muted clamp" style="margin:0">${n.description}</p>`}
                  </a>
                `)}
            </div>`}
    <//>
  `}function ds({path:e,parentId:t,onPosted:o,onCancel:s,label:i}){let n=M({content:""},async(a,{reset:l})=>{let c={content:a.content};t&&(c.parent_comment_id=Number(t)),await w(e,c),l(),o()});return r`
    <form class="form" onSubmit=${n.submit} ref=${n.ref} novalidate style="margin-top:8px">
      <${_} form=${n} name="content" label=${i} multiline rows="2" required />
      <${O} form=${n} />
      <div class="form-actions">
        <${B} form=${n} kind="btn-sm" busyText="Posting…">${t?"Reply":"Comment"}<//>
        ${s&&r`<button class="btn btn-ghost btn-sm" type="button" onClick=${s}>Cancel</button>`}
      </div>
    </form>
  `}function ms({comment:e,path:t,user:o,open:s,onPosted:i}){let[n,a]=$(!1);return r`
    <li class="comment" data-testid="comment">
      <div class="who">
        ${e.deleted?r`<span class="muted">[deleted]</span>`:e.username}
        <${R} iso=${e.created_at} />${e.edited?r` <span class="muted small">(edited)</span>`:""}
      </div>
      <p class="prose" style="margin:2px 0 0">${e.deleted?r`<em class="muted">This comment was deleted.</em>`:e.content}</p>
      ${o&&s&&!e.deleted&&!n&&r`<button class="link-btn small" type="button" onClick=${()=>a(!0)}
        aria-label=${`Reply to ${e.username}`}>Reply</button>`}
      ${n&&r`<${ds}
        path=${t}
        parentId=${e.comment_id}
        label=${`Reply to ${e.username}`}
        onCancel=${()=>a(!1)}
        onPosted=${()=>{a(!1),i()}}
      />`}
      ${e.replies.length>0&&r`<ul class="comment-tree">
        ${e.replies.map(l=>r`<${ms} key=${l.comment_id} comment=${l} path=${t}
            user=${o} open=${s} onPosted=${i} />`)}
      </ul>`}
    </li>
  `}function Un({competition:e,entry:t,user:o,onCount:s}){let i=`/competitions/${e.competition_id}`,n=y(()=>b(`${i}/submissions/${t.submission_id}/comments?limit=100`),[t.submission_id]),a=`${i}/comment/${t.submission_id}`,l=e.status!=="upcoming",c=()=>{n.reload(),s()};return r`
    <div class="comments">
      <${x} resource=${n} loadingText="Loading comments…">
        ${d=>d.comments.length===0?r`<p class="muted small">No comments yet.</p>`:r`<ul class="comment-tree">
                ${d.comments.map(u=>r`<${ms} key=${u.comment_id} comment=${u} path=${a}
                    user=${o} open=${l} onPosted=${c} />`)}
              </ul>`}
      <//>
      ${o&&l&&r`<${ds} path=${a} label="Add a comment" onPosted=${c} />`}
    </div>
  `}function qn({competition:e,entry:t,onDone:o,onCancel:s}){let i=M({title:t.title,content:t.content},async n=>{await rt(`/competitions/${e.competition_id}/submissions/${t.submission_id}`,n),v("Your entry is updated.",{kind:"success"}),o()});return r`
    <form class="form" onSubmit=${i.submit} ref=${i.ref} novalidate aria-label="Edit your entry" style="margin-top:12px">
      <${_} form=${i} name="title" label="Entry title" required />
      <${_} form=${i} name="content" label="Your entry" multiline rows="8" required />
      <${O} form=${i} />
      <div class="form-actions">
        <${B} form=${i}>Save changes<//>
        <button class="btn btn-ghost" type="button" onClick=${s}>Cancel</button>
      </div>
    </form>
  `}function ps({entry:e,competition:t,user:o,onChanged:s}){let i=o&&e.user_id===String(o.user_id),[n,a]=$(e.likes),[l,c]=$(e.liked_by_me===!0);N(()=>{a(e.likes),c(e.liked_by_me===!0)},[e.likes,e.liked_by_me]);let[d,u]=$(!1),[p,m]=$(!1),[f,h]=$(e.comments);N(()=>h(e.comments),[e.comments]);let L=()=>b(`/competitions/${t.competition_id}/submissions/${e.submission_id}`).then(Ye=>h(Ye.comments)).catch(()=>{}),[T,D]=$(!1),[Y,q]=$(!1),[A,G]=$(null),F=e.content.length>360,K=o&&!i&&t.status==="active",$e=`comments-${e.submission_id}`,ye=async()=>{u(!0),G(null);let Ye=`/competitions/${t.competition_id}/like/${e.submission_id}`;try{let ve=l?await te(Ye):await w(Ye);a(ve.likes),c(ve.liked)}catch(ve){G(ve instanceof P?ve.summary:String(ve))}finally{u(!1)}};return r`
    <article class="card entry" data-testid="entry" data-entry-id=${e.submission_id}>
      <div class="row-between">
        <h3 style="margin:0">${e.title}</h3>
        ${e.place&&r`<${j} kind=${e.place===1?"warning":"primary"}>Place ${e.place}<//>`}
      </div>
      <div style="margin:6px 0 10px">
        <${oe} id=${e.user_id} name=${e.username}>
          <span class="small muted"> · <${R} iso=${e.created_at} /></span>
        <//>
      </div>
      ${!T&&r`<p class=${`prose ${F&&!Y?"clamp":""}`} style="margin:0">${e.content}</p>`}
      ${!T&&F&&r`<button class="link-btn small" type="button" aria-expanded=${Y?"true":"false"}
        onClick=${()=>q(!Y)}>${Y?"Show less":"Read more"}</button>`}
      ${T&&r`<${qn} competition=${t} entry=${e}
        onCancel=${()=>D(!1)} onDone=${()=>{D(!1),s()}} />`}
      <div class="entry-actions">
        ${K?r`<button class="btn btn-secondary btn-sm" type="button" aria-pressed=${l?"true":"false"}
              disabled=${d} onClick=${ye} data-testid="like"
              aria-label=${`${l?"Unlike":"Like"} "${e.title}", ${H(n,"like")}`}>
              ${l?"\u2665 Liked":"\u2661 Like"} · <span data-testid="likes">${n}</span>
            </button>`:r`<span class="badge" data-testid="likes-count">♥ ${H(n,"like")}</span>`}
        <button class="btn btn-ghost btn-sm" type="button" aria-expanded=${p?"true":"false"}
          aria-controls=${$e} onClick=${()=>m(!p)}>
          ${p?"Hide comments":`Comments (${f})`}
        </button>
        ${i&&t.status==="active"&&!T&&r`<button class="btn btn-ghost btn-sm" type="button" onClick=${()=>D(!0)}>Edit entry</button>`}
      </div>
      ${A&&r`<p class="form-error" role="alert" style="margin-top:10px">${A}</p>`}
      <div id=${$e}>
        ${p&&r`<${Un} competition=${t} entry=${e} user=${o}
          onCount=${L} />`}
      </div>
    </article>
  `}var fs={upcoming:["warning","Opens soon"],active:["success","Open for entries"],closed:["","Closed"]};function Yn({competitionId:e,onDone:t}){let o=M({title:"",content:""},async(s,{reset:i})=>{await w(`/competitions/${e}/submit`,s),i(),v("Your entry is in. Good luck!",{kind:"success"}),t()});return r`
    <form class="form" onSubmit=${o.submit} ref=${o.ref} novalidate aria-label="Submit your entry">
      <${_} form=${o} name="title" label="Entry title" required />
      <${_} form=${o} name="content" label="Your entry" multiline rows="8" required />
      <${O} form=${o} />
      <div class="form-actions"><${B} form=${o} busyText="Submitting…">Submit entry<//></div>
    </form>
  `}function Wn({competitionId:e}){let t=y(()=>b(`/competitions/${e}/results`),[e]);return r`
    <${g} title="Results" label="results-title">
      <${x} resource=${t} loadingText="Loading the results…">
        ${o=>o.results.length===0?r`<${C}>Nobody entered this competition.<//>`:r`<ol class="list results" data-testid="results">
                ${o.results.map(s=>r`
                    <li key=${s.submission_id}>
                      <span class=${`place place-${s.place}`} aria-label=${`Place ${s.place}`}>${s.place}</span>
                      <div style="flex:1;min-width:0">
                        <strong>${s.title}</strong>
                        <div class="small muted">by <a href=${`#/users/${s.user_id}`}>${s.username}</a></div>
                      </div>
                      <span class="nowrap">${H(s.likes,"like")}</span>
                    </li>
                  `)}
              </ol>`}
      <//>
    <//>
  `}function jn({competitionId:e}){let t=y(()=>b("/users/profile/subscriptions?limit=200"),[]),[o,s]=$(!1);if(!t.data)return null;let i=t.data.some(a=>a.competition_id===String(e));return r`
    <button class="btn btn-secondary" type="button" aria-pressed=${i?"true":"false"}
      disabled=${o} onClick=${async()=>{s(!0);try{i?await te(`/users/subscribe/${e}`):await w(`/users/subscribe/${e}`),v(i?"You will no longer hear about new entries.":"You will hear about new entries."),await t.reload()}catch(a){v(a instanceof P?a.summary:String(a))}finally{s(!1)}}}>
      ${i?"Subscribed":"Subscribe to new entries"}
    </button>
  `}function $s({params:e}){let{user:t}=S(k),o=e.id,s=y(()=>b(`/competitions/${o}`),[o]),i=y(()=>b(`/competitions/${o}/submissions?limit=100`),[o]);X({path:`/competitions/${o}/live`,auth:"none",onFrame:a=>{a.type==="reload"&&i.reload(),a.type==="counts"&&i.setData(l=>l&&{...l,submissions:l.submissions.map(c=>c.submission_id===a.submission_id?{...c,likes:a.likes,comments:a.comments}:c)})}},[o]);let n=r`<a href="#/competitions">Competitions</a> › Entries`;return r`
    <${x} resource=${s} loadingText="Loading the competition…">
      ${a=>{var p;let[l,c]=fs[a.status]||fs.closed,d=(((p=i.data)==null?void 0:p.submissions)||[]).filter(m=>t&&m.user_id===String(t.user_id)),u=t&&a.status==="active"&&(a.allow_multiple_entries||d.length===0);return r`
          <${E}
            title=${a.title}
            crumbs=${n}
            subtitle=${r`<${j} kind=${l}>${c}<//> ${" "}
              <${R} iso=${a.start_date} relative=${!1} /> – <${R} iso=${a.end_date} relative=${!1} /> · ${H(a.submission_count,"entry","entries")}`}
          >
            ${t&&a.status!=="closed"&&r`<${jn} competitionId=${o} />`}
          <//>
          <div class="grid">
            <div class="stack">
              ${a.description&&r`<${g}><p class="prose" style="margin:0">${a.description}</p><//>`}
              ${a.status==="closed"&&r`<${Wn} competitionId=${o} />`}
              <${x} resource=${i} loadingText="Loading entries…">
                ${m=>r`
                  <section aria-labelledby="entries-title" class="stack" style="gap:14px">
                    <h2 id="entries-title">${H(m.submissions.length,"entry","entries")}</h2>
                    ${m.submissions.length===0?r`<${C}>No entries yet.${a.status==="active"?" Be the first!":""}<//>`:m.submissions.map(f=>r`<${ps}
                            key=${f.submission_id}
                            entry=${f}
                            competition=${a}
                            user=${t}
                            onChanged=${i.reload}
                          />`)}
                  </section>
                `}
              <//>
            </div>
            <div class="stack">
              ${u&&r`<${g} title="Submit your entry" label="submit-title">
                <${Yn} competitionId=${o} onDone=${()=>{i.reload(),s.reload()}} />
              <//>`}
              ${!t&&a.status==="active"&&r`<${U}>to enter, like and comment<//>`}
              ${a.status==="upcoming"&&r`<${g} title="Not open yet"><p class="muted" style="margin:0">Entries open <${R} iso=${a.start_date} relative=${!1} />.</p><//>`}
              <${g} title="How it works" label="how-title">
                <p class="small" style="margin:0">
                  Entries are accepted from <${R} iso=${a.start_date} relative=${!1} /> until <${R} iso=${a.end_date} relative=${!1} />.
                  When it closes, the most liked entries win; a tie goes to the earlier entry, and every
                  entrant hears their place.
                </p>
              <//>
              ${d.length>0&&r`<${g} title="Your entries" label="yours-title">
                <ul class="list">
                  ${d.map(m=>r`<li key=${m.submission_id}>
                      <strong>${m.title}</strong>
                      <div class="small muted">${H(m.likes,"like")} · ${H(m.comments,"comment")}${m.place?` \xB7 place ${m.place}`:""}</div>
                    </li>`)}
                </ul>
              <//>`}
            </div>
          </div>
        `}}
    <//>
  `}var hs=[(e,t)=>[0,1,2].map(o=>r`<circle key=${o} cx=${10+e()*80} cy=${10+e()*80}
      r=${14+e()*26} fill=${t} opacity=${.22+.12*o} />`),(e,t)=>{let o=8+e()*10,s=e()*30;return[0,1,2,3].map(i=>r`<rect key=${i} x=${-60+s+i*o*2.4} y="-20"
      width=${o} height="160" fill=${t} opacity="0.35" transform="rotate(35 50 50)" />`)},(e,t)=>{let o=25+e()*50,s=25+e()*50;return[46,34,22,10].map((i,n)=>r`<circle key=${n} cx=${o} cy=${s} r=${i} fill="none"
      stroke=${t} stroke-width=${3+e()*4} opacity="0.4" />`)},(e,t)=>{let o=[];for(let s=0;s<4;s+=1)for(let i=0;i<4;i+=1)e()<.45&&o.push(r`<rect key=${`${s}-${i}`} x=${i*25+3} y=${s*25+3} width="19"
            height="19" rx="3" fill=${t} opacity="0.3" />`);return o},(e,t)=>[0,1].map(o=>{let s=e()*60,i=30+e()*50;return r`<polygon key=${o} points=${`${s},${i+60} ${s+45},${i-30} ${s+100},${i+60}`}
        fill=${t} opacity=${.25+.15*o} />`})],Gn=new Set(["a","an","the","of","and","in","on","to","for","at","by","&"]);function zn(e){let t=String(e||"").split(/\s+/).filter(i=>/[\p{L}\p{N}]/u.test(i)),o=t.filter(i=>!Gn.has(i.toLowerCase()));return(o.length?o:t).slice(0,2).map(i=>i.match(/[\p{L}\p{N}]/u)[0].toUpperCase()).join("")||"\u266A"}function Vn(e){let t=At(`${e.albumId??""}|${e.title??""}|${e.artist??""}`),o=()=>{t=t+1831565813|0;let a=t;return a=Math.imul(a^a>>>15,a|1),a^=a+Math.imul(a^a>>>7,a|61),((a^a>>>14)>>>0)/4294967296},s=Math.floor(o()*360),i=(s+40+Math.floor(o()*140))%360,n=Math.floor(o()*hs.length);return{hue:s,second:i,pattern:n,next:o}}function mt({album:e,class:t=""}){let{hue:o,second:s,pattern:i,next:n}=Vn(e),a=`cover-${At(`${e.albumId}|${e.title}`).toString(36)}`;return r`
    <svg class=${`album-cover ${t}`} viewBox="0 0 100 100" aria-hidden="true" focusable="false"
      data-testid="album-cover" data-design=${`${o}-${s}-${i}`}>
      <defs>
        <linearGradient id=${a} x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stop-color=${`hsl(${o} 45% 34%)`} />
          <stop offset="1" stop-color=${`hsl(${s} 50% 52%)`} />
        </linearGradient>
      </defs>
      <rect width="100" height="100" fill=${`url(#${a})`} />
      ${hs[i](n,`hsl(${(s+180)%360} 60% 85%)`)}
      <text x="8" y="92" font-size="26" font-weight="750" fill="#fff" fill-opacity="0.92"
        font-family="system-ui, sans-serif" letter-spacing="1">${zn(e.title)}</text>
    </svg>
  `}function be(e){return String(e).trim().toLowerCase().replace(/[^a-z0-9]+/g,"-").replace(/^-+|-+$/g,"").slice(0,40)}function Kn({onCancel:e}){let t=M({title:"",artist:"",year:"",genre:""},async o=>{let s={title:o.title,artist:o.artist,genre:o.genre};String(o.year).trim()&&(s.year=Number(o.year));let i=await w("/users-reviews/albums",s);v(`"${i.title}" is in the catalog.`,{kind:"success"}),z(`/music/albums/${i.albumId}`)});return r`
    <${g} title="Add an album" label="add-album-title">
      <form class="form" onSubmit=${t.submit} ref=${t.ref} novalidate aria-label="Add an album">
        <div class="form-row">
          <${_} form=${t} name="title" label="Title" required />
          <${_} form=${t} name="artist" label="Artist" required />
        </div>
        <div class="form-row">
          <${_} form=${t} name="genre" label="Genre" required hint="For example: jazz, rock, hip-hop" />
          <${_} form=${t} name="year" label="Year" type="number" inputmode="numeric" />
        </div>
        <${O} form=${t} />
        <div class="form-actions">
          <${B} form=${t} busyText="Adding…">Add album<//>
          <button class="btn btn-ghost" type="button" onClick=${e}>Cancel</button>
        </div>
      </form>
    <//>
  `}function gs({query:e}){var u;let{user:t}=S(k),[o,s]=$(e.get("q")||""),[i,n]=$(o),[a,l]=$(!1);N(()=>{let p=setTimeout(()=>n(o.trim()),300);return()=>clearTimeout(p)},[o]);let c=y(()=>b(`/users-reviews/albums?limit=60${i?`&q=${encodeURIComponent(i)}`:""}`,{auth:!1}),[i]),d=[...new Set((((u=c.data)==null?void 0:u.albums)||[]).map(p=>p.genre))].sort();return r`
    <${E} title="Music" subtitle="Find albums, read what others think, and write your own review.">
      ${V(t)&&!a&&r`<button class="btn" type="button" onClick=${()=>l(!0)}>Add an album</button>`}
    <//>
    ${a&&r`<div style="margin-bottom:24px"><${Kn} onCancel=${()=>l(!1)} /></div>`}
    <form class="search" role="search" onSubmit=${p=>{p.preventDefault(),n(o.trim())}}>
      <label class="visually-hidden" for="album-search">Search albums</label>
      <input id="album-search" type="search" placeholder="Search by title or artist" value=${o}
        onInput=${p=>s(p.currentTarget.value)} />
      <button class="btn btn-secondary" type="submit">Search</button>
    </form>
    ${d.length>0&&r`<div class="chips" style="margin:16px 0 4px" aria-label="Genre rooms">
      <span class="muted small" style="align-self:center">Genre rooms:</span>
      ${d.map(p=>r`<a class="chip" href=${`#/music/genres/${be(p)}`} key=${p}>${p}</a>`)}
    </div>`}
    <div style="margin-top:18px" aria-live="polite">
      <${x} resource=${c} loadingText="Loading albums…">
        ${p=>p.albums.length===0?r`<${C}>${i?`No album matches "${i}".`:"The catalog is empty so far."}<//>`:r`<div class="cards" data-testid="albums">
                ${p.albums.map(m=>r`
                    <a class="card card-link album-card" href=${`#/music/albums/${m.albumId}`} key=${m.albumId}>
                      <${mt} album=${m} />
                      <h3 style="margin-bottom:2px">${m.title}</h3>
                      <p class="muted small" style="margin-bottom:6px">${m.artist}${m.year?` \xB7 ${m.year}`:""} · ${m.genre}</p>
                      <div class="row">
                        <${pe} value=${m.averageRating} />
                        <span class="small muted">${m.averageRating==null?"No reviews yet":`${m.averageRating.toFixed(1)} \xB7 ${H(m.reviewCount,"review")}`}</span>
                      </div>
                    </a>
                  `)}
              </div>`}
      <//>
    </div>
  `}var Jn=12,Xn=1e3;async function Zn(e,t,o){return(await b(`/forums/rooms?roomType=${e}&limit=200`,{auth:!1})).rooms.find(i=>String(i[t])===String(o))||null}function Ee({kind:e,ref:t,canOpen:o}){let[s,i]=$({room:null,error:null,waiting:!0});return N(()=>{let n=!1,a=null,l={album:"albumId",genre:"genreId",game:"gameId"}[e],c=async d=>{try{let u=null;if(o&&e!=="game"?u=await w("/forums/rooms",e==="album"?{roomType:"album",albumId:t}:{roomType:"genre",genreId:t}):u=await Zn(e,l,t),n)return;if(u){i({room:u,error:null,waiting:!1});return}}catch(u){if(n)return;if(!(u instanceof P&&(u.status===404||u.status===409))){i({room:null,error:u,waiting:!1});return}}if(d+1>=Jn){i({room:null,error:null,waiting:!1});return}a=setTimeout(()=>c(d+1),Xn)};return i({room:null,error:null,waiting:!0}),c(0),()=>{n=!0,clearTimeout(a)}},[e,t,o]),s}var bs=["5.0","4.5","4.0","3.5","3.0","2.5","2.0","1.5","1.0","0.5"];function Qn(e){let t=String(e??"").trim();if(t==="")return;let o=Number(t);return Number.isNaN(o)?t:o}function er({album:e}){let t=Math.max(...bs.map(o=>e.ratingDistribution[o]||0),1);return r`
    <${g} title="Ratings" label="ratings-title">
      <table class="dist" aria-label="How many reviews gave each rating">
        <tbody>
          ${bs.map(o=>{let s=e.ratingDistribution[o]||0;return r`
              <tr key=${o}>
                <th scope="row">${o}★</th>
                <td aria-hidden="true"><div class="bar"><span style=${`width:${100*s/t}%`}></span></div></td>
                <td style="text-align:right">${s}</td>
              </tr>
            `})}
        </tbody>
      </table>
    <//>
  `}function ys({albumId:e,review:t,onSaved:o,onCancel:s}){let i=t?{rating:String(t.rating),reviewText:t.reviewText}:{rating:"",reviewText:""},n=M(i,async(l,{reset:c})=>{let d={reviewText:l.reviewText},u=Qn(l.rating);u!==void 0&&(d.rating=u),t?(await nt(`/users-reviews/reviews/${t.reviewId}`,d),v("Your review is updated.",{kind:"success"})):(await w("/users-reviews/reviews",{albumId:Number(e),...d}),c(),v("Thanks for your review!",{kind:"success"})),o()}),a=n.bind("rating");return r`
    <form class="form" onSubmit=${n.submit} ref=${n.ref} novalidate aria-label=${t?"Edit your review":"Write a review"}>
      <${Yo} id=${t?"edit-rating":"new-rating"} name=${t?"edit-rating":"new-rating"} label="Your rating" value=${a.value}
        error=${a.error} onChange=${l=>n.set("rating",l)} />
      <${_} form=${n} name="reviewText" label="Your review" multiline rows="5"
        hint="What did you think? Up to 5000 characters." />
      <${O} form=${n} />
      <div class="form-actions">
        <${B} form=${n}>${t?"Save review":"Post review"}<//>
        ${s&&r`<button class="btn btn-ghost" type="button" onClick=${s}>Cancel</button>`}
      </div>
    </form>
  `}function tr({review:e,albumId:t,onChanged:o}){let[s,i]=$(!1),[n,a]=$(!1),[l,c]=$(null),d=async()=>{c(null);try{await te(`/users-reviews/reviews/${e.reviewId}`),v("Your review is deleted."),o()}catch(u){c(u instanceof P?u.summary:String(u))}};return s?r`<${ys} albumId=${t} review=${e} onCancel=${()=>i(!1)}
      onSaved=${()=>{i(!1),o()}} />`:r`
    <div data-testid="my-review">
      <div class="row"><${pe} value=${e.rating} /> <strong>${e.rating.toFixed(1)}</strong></div>
      ${e.reviewText&&r`<p class="prose" style="margin:8px 0 0">${e.reviewText}</p>`}
      <div class="form-actions" style="margin-top:12px">
        <button class="btn btn-secondary btn-sm" type="button" onClick=${()=>i(!0)}>Edit review</button>
        ${!n&&r`<button class="btn btn-danger btn-sm" type="button" onClick=${()=>a(!0)}>Delete review</button>`}
        ${n&&r`
          <span role="alert">Delete your review?</span>
          <button class="btn btn-danger-solid btn-sm" type="button" onClick=${d}>Yes, delete it</button>
          <button class="btn btn-ghost btn-sm" type="button" onClick=${()=>a(!1)}>Keep it</button>
        `}
      </div>
      ${l&&r`<p class="form-error" role="alert" style="margin-top:10px">${l}</p>`}
    </div>
  `}function or({albumId:e,user:t}){let{room:o,error:s,waiting:i}=Ee({kind:"album",ref:e,canOpen:!!t});return o?r`<${fe} roomId=${o.roomId} label="Album room messages" />`:s?r`<${ae} error=${s} />`:i?r`<p class="loading">Opening the album's room…</p>`:t?r`<${C}>The room is not open yet. Try again in a moment.<//>`:r`<${U}>to join the album's room<//>`}function vs({params:e}){var c;let{user:t}=S(k),o=e.id,s=y(()=>b(`/users-reviews/albums/${o}`,{auth:!1}),[o]),i=y(()=>b(`/users-reviews/reviews/album/${o}?limit=100`,{auth:!!t}),[o,t==null?void 0:t.user_id]),n=()=>{s.reload(),i.reload()},a=r`<a href="#/music">Music</a> › Album`,l=t&&((c=i.data)==null?void 0:c.my_review);return r`
    <${x} resource=${s} loadingText="Loading the album…">
      ${d=>r`
        <div class="card hero">
          <div class="hero-art"><${mt} album=${d} /></div>
          <div class="hero-main">
            <${E} title=${d.title} crumbs=${a}
              subtitle=${r`${d.artist}${d.year?` \xB7 ${d.year}`:""} · <a href=${`#/music/genres/${be(d.genre)}`}>${d.genre}</a>`} />
          </div>
          <div class="hero-rating">
            <span class="rating-big" data-testid="average">${d.averageRating==null?"\u2013":d.averageRating.toFixed(1)}</span>
            <div>
              <${pe} value=${d.averageRating} />
              <div class="small muted" data-testid="review-count">${d.reviewCount?H(d.reviewCount,"review"):"No reviews yet"}</div>
            </div>
          </div>
        </div>
        <div class="grid">
          <div class="stack">
            <${g} title=${l?"Your review":"Write a review"} label="my-review-title">
              ${!t&&r`<${U}>to review this album<//>`}
              ${t&&i.data&&(l?r`<${tr} review=${l} albumId=${o} onChanged=${n} />`:r`<${ys} albumId=${o} onSaved=${n} />`)}
            <//>
            <${g} title="Reviews" label="reviews-title">
              <${x} resource=${i} loadingText="Loading reviews…">
                ${u=>u.reviews.length===0?r`<${C}>No reviews yet. Be the first to write one.<//>`:r`<ul class="list" data-testid="reviews">
                        ${u.reviews.map(p=>r`
                            <li class="review" key=${p.reviewId}>
                              <div class="who">
                                <${oe} id=${p.userId} name=${p.username} />
                                <${pe} value=${p.rating} />
                                <span class="small muted"><${R} iso=${p.updatedAt} /></span>
                              </div>
                              ${p.reviewText&&r`<p class="prose" style="margin:8px 0 0">${p.reviewText}</p>`}
                            </li>
                          `)}
                      </ul>`}
              <//>
            <//>
          </div>
          <div class="stack">
            <${er} album=${d} />
            <${g} title="Album room" label="album-room-title"><${or} albumId=${o} user=${t} /><//>
          </div>
        </div>
      `}
    <//>
  `}var Z=["#2f5d62","#b8692e","#6d8fb3","#8a9a5b"];function Gt(e){return Number.isInteger(e)?String(e):Number(e).toFixed(2).replace(/0+$/,"")}function Re({items:e,title:t,unit:o=""}){if(!e.length)return r`<p class="empty">No data yet.</p>`;let s=560,i=30,n=150,a=e.length*i+8,l=Math.max(...e.map(d=>d.value),1),c=`${t}: ${e.map(d=>`${d.label} ${Gt(d.value)}${o}`).join(", ")}`;return r`
    <svg class="chart" viewBox=${`0 0 ${s} ${a}`} role="img" aria-label=${c}>
      ${e.map((d,u)=>{let p=u*i+4,m=Math.max((s-n-60)*d.value/l,2),f=d.label.length>20?`${d.label.slice(0,19)}\u2026`:d.label;return r`
          <g key=${d.label}>
            <text class="label" x="0" y=${p+16}>${f}</text>
            <rect x=${n} y=${p+2} width=${m} height="18" rx="4" fill=${Z[0]} />
            <text class="value" x=${n+m+8} y=${p+16}>${Gt(d.value)}${o}</text>
          </g>
        `})}
    </svg>
  `}function pt({groups:e,series:t,title:o}){if(!e.length)return r`<p class="empty">No data yet.</p>`;let s=560,i=220,n=28,a=18,l=Math.max(...e.flatMap(m=>m.values),1),c=s/e.length,d=Math.min(28,(c-24)/t.length),u=m=>(i-n-a)*m/l,p=`${o}: ${e.map(m=>`${m.label}: ${t.map((f,h)=>`${m.values[h]} ${f}`).join(", ")}`).join("; ")}`;return r`
    <div>
      <svg class="chart" viewBox=${`0 0 ${s} ${i}`} role="img" aria-label=${p}>
        <line x1="0" x2=${s} y1=${i-n} y2=${i-n} stroke="#e2ddd5" />
        ${e.map((m,f)=>{let h=f*c+(c-d*t.length)/2;return r`
            <g key=${m.label}>
              ${m.values.map((L,T)=>{let D=Math.max(u(L),L?2:0),Y=h+T*d;return r`
                  <rect x=${Y+2} y=${i-n-D} width=${d-4} height=${D} rx="3"
                    fill=${Z[T%Z.length]} />
                  <text x=${Y+d/2} y=${i-n-D-4} text-anchor="middle">${Gt(L)}</text>
                `})}
              <text class="label" x=${f*c+c/2} y=${i-8} text-anchor="middle">${m.label}</text>
            </g>
          `})}
      </svg>
      <p class="legend" aria-hidden="true">
        ${t.map((m,f)=>r`<span><i style=${`background:${Z[f%Z.length]}`}></i>${m}</span>`)}
      </p>
    </div>
  `}function _s({events:e,team1:t,team2:o}){let s=[{a:0,b:0},...e.map(f=>({a:f.score_team_1,b:f.score_team_2}))];if(s.length<2)return r`<p class="empty">The chart fills in as the game is scored.</p>`;let i=560,n=180,a=24,l=Math.max(...s.flatMap(f=>[f.a,f.b]),1),c=f=>a+(i-2*a)*f/(s.length-1),d=f=>n-a-(n-2*a)*f/l,u=f=>s.map((h,L)=>`${L?"L":"M"}${c(L)},${d(h[f])}`).join(" "),p=s[s.length-1],m=`Score over the game: ${t} ${p.a}, ${o} ${p.b}`;return r`
    <div>
      <svg class="chart" viewBox=${`0 0 ${i} ${n}`} role="img" aria-label=${m}>
        <line x1=${a} x2=${i-a} y1=${n-a} y2=${n-a} stroke="#e2ddd5" />
        <path d=${u("a")} fill="none" stroke=${Z[0]} stroke-width="3" stroke-linejoin="round" />
        <path d=${u("b")} fill="none" stroke=${Z[1]} stroke-width="3" stroke-linejoin="round" />
        <text x=${i-a} y=${d(p.a)-6} text-anchor="end" class="value">${p.a}</text>
        <text x=${i-a} y=${d(p.b)+16} text-anchor="end" class="value">${p.b}</text>
      </svg>
      <p class="legend" aria-hidden="true">
        <span><i style=${`background:${Z[0]}`}></i>${t}</span>
        <span><i style=${`background:${Z[1]}`}></i>${o}</span>
      </p>
    </div>
  `}function zt({days:e,series:t,title:o}){if(!e.length)return r`<p class="empty">No data yet.</p>`;let s=560,i=220,n={left:34,right:12,top:14,bottom:28},a=Math.max(...t.flatMap(h=>h.values),1),l=e.length>1?(s-n.left-n.right)/(e.length-1):0,c=h=>n.left+l*h,d=h=>i-n.bottom-(i-n.top-n.bottom)*h/a,u=h=>h.map((L,T)=>`${T?"L":"M"}${c(T).toFixed(1)},${d(L).toFixed(1)}`).join(" "),p=[...new Set([0,Math.floor((e.length-1)/2),e.length-1])],m=t.map(h=>`${h.name} ${h.values.reduce((L,T)=>L+T,0)}`).join(", "),f=`${o}, ${e[0]} to ${e[e.length-1]}: in total ${m}`;return r`
    <div>
      <svg class="chart" viewBox=${`0 0 ${s} ${i}`} role="img" aria-label=${f}>
        <line x1=${n.left} x2=${s-n.right} y1=${i-n.bottom} y2=${i-n.bottom} stroke="#e2ddd5" />
        <text class="label" x=${n.left-6} y=${n.top+4} text-anchor="end">${a}</text>
        <text class="label" x=${n.left-6} y=${i-n.bottom} text-anchor="end">0</text>
        ${p.map(h=>r`<text class="label" key=${h} x=${c(h)} y=${i-8}
            text-anchor=${h===0?"start":h===e.length-1?"end":"middle"}>${e[h].slice(5)}</text>`)}
        ${t.map((h,L)=>r`<path key=${h.name} d=${u(h.values)} fill="none" stroke=${Z[L%Z.length]}
            stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round" />`)}
      </svg>
      <p class="legend" aria-hidden="true">
        ${t.map((h,L)=>r`<span key=${h.name}><i style=${`background:${Z[L%Z.length]}`}></i>${h.name}</span>`)}
      </p>
    </div>
  `}function ft({buckets:e,title:t}){if(!e.reduce((u,p)=>u+p.value,0))return r`<p class="empty">No data yet.</p>`;let s=560,i=170,n=24,a=16,l=Math.max(...e.map(u=>u.value),1),c=s/e.length,d=`${t}: ${e.map(u=>`${u.label} ${u.value}`).join(", ")}`;return r`
    <svg class="chart" viewBox=${`0 0 ${s} ${i}`} role="img" aria-label=${d}>
      <line x1="0" x2=${s} y1=${i-n} y2=${i-n} stroke="#e2ddd5" />
      ${e.map((u,p)=>{let m=(i-n-a)*u.value/l;return r`<g key=${u.label}>
          <rect x=${p*c+4} y=${i-n-m} width=${c-8} height=${m} rx="3" fill=${Z[2]} />
          ${u.value?r`<text x=${p*c+c/2} y=${i-n-m-4} text-anchor="middle">${u.value}</text>`:""}
          <text class="label" x=${p*c+c/2} y=${i-6} text-anchor="middle">${u.label}</text>
        </g>`})}
    </svg>
  `}function ws({params:e}){let{user:t}=S(k),o=be(e.genre),{room:s,error:i,waiting:n}=Ee({kind:"genre",ref:o,canOpen:!!t}),a=y(()=>b("/users-reviews/albums?limit=200",{auth:!1}),[]),l=y(()=>b("/analytics/reviews",{auth:!1}),[]),c=r`<a href="#/music">Music</a> › Genre`;return r`
    <${E} title=${`#${o}`} crumbs=${c} subtitle=${`Talk about ${o} music with everyone here now.`} />
    <div class="grid">
      <${g} title="Genre room" label="genre-room-title">
        ${s&&r`<${fe} roomId=${s.roomId} label="Genre room messages" />`}
        ${!s&&i&&r`<${ae} error=${i} />`}
        ${!s&&!i&&n&&r`<p class="loading">Opening the room…</p>`}
        ${!s&&!i&&!n&&(t?r`<${C}>This room is not open yet.<//>`:r`<${U}>to join the room<//>`)}
      <//>
      <${g} title="Albums" label="genre-albums-title">
        <${x} resource=${a}>
          ${d=>{let u=d.albums.filter(p=>be(p.genre)===o);return u.length===0?r`<${C}>No albums in this genre yet.<//>`:r`<ul class="list">
                  ${u.map(p=>r`<li key=${p.albumId}>
                      <a href=${`#/music/albums/${p.albumId}`}><strong>${p.title}</strong></a>
                      <div class="row small muted">${p.artist} <${pe} value=${p.averageRating} /></div>
                    </li>`)}
                </ul>`}}
        <//>
        <h3 style="margin-top:16px">Ratings</h3>
        <${x} resource=${l}>
          ${d=>{let u=d.data.genres.find(m=>be(m.genre)===o),p=Array.from({length:10},(m,f)=>String((f+1)/2));return u&&u.reviews?r`<${ft} title=${`Reviews of ${o} albums by stars`}
                  buckets=${p.map((m,f)=>({label:m,value:u.distribution[f]}))} />
                <p class="muted small">Average ${u.average_rating}★ over ${u.reviews} reviews, as of the last refresh.</p>`:r`<${C}>No ratings counted yet.<//>`}}
        <//>
      <//>
    </div>
  `}function $t(e){return y(async()=>{if(!e)return new Set;let t=await b(`/users/${e.user_id}/followings?limit=200`);return new Set(t.followings.map(String))},[e==null?void 0:e.user_id])}function Be({user:e,target:t,followings:o,onChange:s,small:i=!1}){let[n,a]=$(!1);if(!e||!o.data||String(t.id)===String(e.user_id))return null;let l=o.data.has(String(t.id)),c=async()=>{a(!0);try{l?(await te(`/users/${e.user_id}/unfollow`,{unfollowUserId:Number(t.id)}),v(`You unfollowed ${t.name}.`)):(await w(`/users/${e.user_id}/follow`,{followUserId:Number(t.id)}),v(`You follow ${t.name} now.`)),o.setData(d=>{let u=new Set(d);return l?u.delete(String(t.id)):u.add(String(t.id)),u}),s&&s(!l)}catch(d){v(d instanceof P?d.summary:String(d))}finally{a(!1)}};return r`
    <button
      class=${`btn ${l?"btn-secondary":""} ${i?"btn-sm":""}`}
      type="button"
      aria-pressed=${l?"true":"false"}
      aria-label=${l?`Unfollow ${t.name}`:`Follow ${t.name}`}
      disabled=${n}
      onClick=${c}
    >
      ${l?"Following":"Follow"}
    </button>
  `}function sr(e){let t=e.followed_by_followings;return t>0?`Followed by ${t===1?"1 person":`${t} people`} you follow`:e.followers_count>0?`${e.followers_count} ${e.followers_count===1?"follower":"followers"}`:"New to Agora"}function ks({user:e,followings:t,onFollowed:o,limit:s=5}){var d;let i=y(()=>e?b(`/users/suggestions?limit=${s}`):Promise.resolve({users:[]}),[e==null?void 0:e.user_id,s]),n=W(null),a=W(null),l=W(null),c=(((d=i.data)==null?void 0:d.users)||[]).filter(u=>!(t.data&&t.data.has(String(u.user_id))));return N(()=>{if(l.current===null)return;let u=n.current?n.current.querySelectorAll("button"):[],p=u[Math.min(l.current,u.length-1)]||a.current;l.current=null,p&&p.focus()}),e?r`
    <section class="card" aria-labelledby="who-to-follow-title" data-testid="who-to-follow">
      <div class="card-head"><h2 id="who-to-follow-title" tabindex="-1" ref=${a}>Who to follow</h2></div>
      ${i.data===void 0?r`<p class="loading" role="status">Finding people…</p>`:c.length===0?r`<p class="empty">No suggestions right now: you follow everyone we know of.</p>`:r`<ul class="list" ref=${n}>
              ${c.map((u,p)=>r`<li class="row-between suggestion" key=${u.user_id} data-testid="suggestion">
                  <${oe} id=${u.user_id} name=${u.username} src=${u.profile_picture||void 0}>
                    <span class="small muted suggestion-reason">${sr(u)}</span>
                  <//>
                  <${Be} user=${e} target=${{id:u.user_id,name:u.username}} followings=${t} small
                    onChange=${m=>{m&&(l.current=p,i.reload(),o&&o(u))}} />
                </li>`)}
            </ul>`}
    </section>
  `:null}function nr({tweet:e,user:t,onDeleted:o}){let[s,i]=$(!1),n=t&&e.userId===String(t.user_id),a=async()=>{i(!0);try{await te(`/tweets/${e.tweetId}`),o(e.tweetId),v("Your post is deleted.")}catch(l){v(l instanceof P?l.summary:String(l)),i(!1)}};return r`
    <li class=${`tweet ${e.fresh?"fresh":""}`} data-testid="tweet" data-tweet-id=${e.tweetId}>
      <${le} name=${e.username} />
      <div class="tweet-body">
        <div class="tweet-head">
          <a href=${`#/users/${e.userId}`}>${e.username}</a>
          <span class="small muted"><${R} iso=${e.timestamp} /></span>
          ${n&&r`<${dt} label="Delete this post" question="Delete this post?" busy=${s}
            onConfirm=${a} />`}
        </div>
        <p class="tweet-text">${e.content}</p>
      </div>
    </li>
  `}function ht({tweets:e,user:t,onDeleted:o,empty:s="Nothing here yet."}){return e.length?r`
    <ul class="list" data-testid="tweets" aria-live="polite" aria-relevant="additions">
      ${e.map(i=>r`<${nr} key=${i.tweetId} tweet=${i} user=${t} onDeleted=${o} />`)}
    </ul>
  `:r`<${C}>${s}<//>`}var rr=280;function ir({onPosted:e}){let t=M({content:""},async(i,{reset:n})=>{let a=await w("/tweets",{content:i.content});n(),e(a)}),o=rr-t.values.content.length,s=t.bind("content");return r`
    <form class="form" onSubmit=${t.submit} ref=${t.ref} novalidate aria-label="New post">
      <div class="field">
        <label for="compose">What's happening?</label>
        <textarea id="compose" name="content" rows="3" value=${s.value} onInput=${s.onInput}
          aria-invalid=${s.error?"true":void 0}
          aria-describedby=${s.error?"compose-count compose-error":"compose-count"} />
        <div class="row-between">
          <span id="compose-count" class=${`counter ${o<0?"over":""}`}>${o} characters left</span>
        </div>
        ${s.error&&r`<span class="field-error" id="compose-error">${s.error}</span>`}
      </div>
      <${O} form=${t} />
      <div class="form-actions"><${B} form=${t} busyText="Posting…">Post<//></div>
    </form>
  `}function ar({user:e,followings:t}){var c;let[o,s]=$(""),[i,n]=$(""),a=y(()=>i?b(`/users?q=${encodeURIComponent(i)}&limit=10`,{auth:!1}):Promise.resolve(null),[i]),l=(((c=a.data)==null?void 0:c.users)||[]).filter(d=>d.user_id!==String(e.user_id));return r`
    <${g} title="Find people" label="find-people-title">
      <form class="search" role="search" onSubmit=${d=>{d.preventDefault(),n(o.trim().toLowerCase())}}>
        <label class="visually-hidden" for="people-search">Username starts with</label>
        <input id="people-search" type="search" placeholder="Username" value=${o}
          onInput=${d=>s(d.currentTarget.value)} />
        <button class="btn btn-secondary" type="submit">Find</button>
      </form>
      ${a.data&&(l.length===0?r`<p class="muted small" style="margin-top:12px">Nobody found.</p>`:r`<ul class="list" style="margin-top:12px">
            ${l.map(d=>r`<li class="row-between" key=${d.user_id}>
                <${oe} id=${d.user_id} name=${d.username} />
                <${Be} user=${e} target=${{id:d.user_id,name:d.username}} followings=${t} small />
              </li>`)}
          </ul>`)}
    <//>
  `}function xs(){let{user:e}=S(k),t=$t(e),o=y(()=>e?b(`/tweets/homeTimeline/${e.user_id}?limit=30`):Promise.resolve(null),[e==null?void 0:e.user_id]),[s,i]=$(!1),n=(c,d=!0)=>o.setData(u=>{if(!u||u.tweets.some(m=>m.tweetId===c.tweetId))return u;let p=[{...c,fresh:d},...u.tweets].sort((m,f)=>Number(f.tweetId)-Number(m.tweetId));return{...u,tweets:p}}),a=c=>o.setData(d=>d&&{...d,tweets:d.tweets.filter(u=>u.tweetId!==String(c))});X({enabled:!!e,path:"/tweets/live",auth:"required",onFrame:c=>{c.type==="tweet"?n(c):c.type==="tweet_deleted"?a(c.tweetId):(c.type==="reload"||c.type==="follows_changed")&&o.reload()}},[e==null?void 0:e.user_id]);let l=async()=>{i(!0);try{let c=await b(`/tweets/homeTimeline/${e.user_id}?limit=30&before=${o.data.next_cursor}`);o.setData(d=>({tweets:[...d.tweets,...c.tweets],next_cursor:c.next_cursor}))}finally{i(!1)}};return e?r`
    <${E} title="Timeline" subtitle="Short posts from you and the people you follow, as they happen." />
    <div class="grid">
      <div class="stack">
        <${g}><${ir} onPosted=${c=>n(c,!1)} /><//>
        <${g} title="Home" label="home-title">
          <${x} resource=${o} loadingText="Loading your timeline…">
            ${c=>r`
              <${ht} tweets=${c.tweets} user=${e} onDeleted=${a}
                empty="Nothing here yet. Follow people to fill your timeline." />
              ${c.next_cursor&&r`<div style="margin-top:14px"><button class="btn btn-secondary" type="button" disabled=${s}
                onClick=${l}>${s?"Loading\u2026":"Load older posts"}</button></div>`}
            `}
          <//>
        <//>
      </div>
      <div class="stack">
        <${ks} user=${e} followings=${t} onFollowed=${()=>o.reload()} />
        <${ar} user=${e} followings=${t} />
        <${g} title="You follow" label="you-follow-title">
          ${t.data&&t.data.size===0?r`<${C}>You don't follow anyone yet.<//>`:r`<p class="muted small" style="margin:0">
                ${t.data?`${H(t.data.size,"person","people")}.`:""} <a href=${"#/profile"}>See them on your profile</a>.
              </p>`}
        <//>
      </div>
    </div>
  `:r`
      <${E} title="Timeline" subtitle="Short posts from the people you follow, as they happen." />
      <${U}>to see your timeline<//>
    `}function He({page:e,emptyText:t}){return e.users.length?r`
    <ul class="list">
      ${e.users.map(o=>r`<li key=${o.user_id}><${oe} id=${o.user_id} name=${o.username} /></li>`)}
    </ul>
  `:r`<${C}>${t}<//>`}function Ss({params:e}){let{user:t}=S(k),o=e.id,s=y(()=>b(`/users/profile/${o}`,{auth:!1}),[o]),i=y(()=>b(`/tweets/userTimeline/${o}?limit=50`,{auth:!1}),[o]),n=y(()=>b(`/users/${o}/followers?limit=20`,{auth:!1}),[o]),a=y(()=>b(`/users/${o}/followings?limit=20`,{auth:!1}),[o]),l=$t(t),c=()=>{s.reload(),n.reload()},d=u=>i.setData(p=>({...p,tweets:p.tweets.filter(m=>m.tweetId!==u)}));return r`
    <${x} resource=${s} loadingText="Loading the profile…">
      ${u=>r`
        <div class="card" style="margin-bottom:24px">
          <div class="row" style="gap:18px;align-items:flex-start">
            <${le} name=${u.username} src=${u.profile_picture} large />
            <div style="flex:1;min-width:200px">
              <${E} title=${u.username}
                subtitle=${r`Joined <${R} iso=${u.created_at} time=${!1} />${u.role==="admin"?r` · <${j} kind="primary">Admin<//>`:""}`}>
                <${Be} user=${t} target=${{id:u.userId,name:u.username}} followings=${l} onChange=${c} />
              <//>
              ${u.bio?r`<p class="prose">${u.bio}</p>`:r`<p class="muted">No bio yet.</p>`}
              <div class="stats">
                <div class="stat"><strong data-testid="followers-count">${u.followers_count}</strong><span>followers</span></div>
                <div class="stat"><strong>${u.followings_count}</strong><span>following</span></div>
                <div class="stat"><strong>${i.data?i.data.tweets.length:"\u2013"}</strong><span>recent posts</span></div>
              </div>
            </div>
          </div>
        </div>
        <div class="grid">
          <${g} title="Posts" label="posts-title">
            <${x} resource=${i}>
              ${p=>r`<${ht} tweets=${p.tweets} user=${t} onDeleted=${d}
                empty=${`${u.username} has not posted yet.`} />`}
            <//>
          <//>
          <div class="stack">
            <${g} title=${`Followers (${u.followers_count})`} label="followers-title">
              <${x} resource=${n}>${p=>r`<${He} page=${p} emptyText="No followers yet." />`}<//>
            <//>
            <${g} title=${`Following (${u.followings_count})`} label="following-title">
              <${x} resource=${a}>${p=>r`<${He} page=${p} emptyText="Follows nobody yet." />`}<//>
            <//>
          </div>
        </div>
      `}
    <//>
  `}var lr={live:["live","Live"],paused:["warning","Paused"],scheduled:["primary","Scheduled"],finished:["","Final"],postponed:["warning","Postponed"],cancelled:["danger","Cancelled"]};function Ue({game:e}){let[t,o]=lr[e.status]||["",e.status];return r`<${j} kind=${t}>${o}${e.status==="live"&&e.current_period?` \xB7 ${e.current_period}`:""}<//>`}function Vt(e,t){if(t.type==="snapshot")return{...t.game};if(!e)return e;if(t.type==="score"&&t.version>=(e.version||0))return{...e,version:t.version,score_team_1:t.score_team_1,score_team_2:t.score_team_2,status:t.status,current_period:t.current_period,period_running:t.period_running};if(t.type==="event"&&t.event){let o=e.event_details||[];return o.some(s=>s.event_id===t.event.event_id)?e:{...e,event_details:[...o,t.event]}}return e}function Ts({initial:e}){let[t,o]=$(e);return X({path:`/sports/games/${e.game_id}/live`,auth:"optional",onFrame:s=>o(i=>Vt(i,s))},[e.game_id]),r`
    <a class="card card-link score-card" href=${`#/sports/games/${t.game_id}`} data-testid="score-card"
      aria-label=${`${t.team_1} ${t.score_team_1}, ${t.team_2} ${t.score_team_2}, ${t.status}`}>
      <div class="row-between">
        <span class="small muted">${t.sport_category}</span>
        <${Ue} game=${t} />
      </div>
      <div class="scoreline">
        <span class="team">${t.team_1}</span>
        <span class="score" data-testid="score">${t.score_team_1} – ${t.score_team_2}</span>
        <span class="team">${t.team_2}</span>
      </div>
      <span class="small muted">Started <${R} iso=${t.started_at||t.start_time} /></span>
    </a>
  `}function gt(e){return y(async()=>e?(await b("/sports/teams/following?limit=200")).data:[],[e==null?void 0:e.user_id])}function qe({team:e,followed:t,small:o=!0,compact:s=!1}){let[i,n]=$(!1);if(!t.data)return null;let a=t.data.some(c=>c.team.toLowerCase()===e.toLowerCase());return r`
    <button class=${`btn btn-secondary ${o?"btn-sm":""}`} type="button" disabled=${i}
      aria-pressed=${a?"true":"false"} onClick=${async()=>{n(!0);try{a?await te("/sports/teams/follow",{team:e}):await w("/sports/teams/follow",{team:e}),v(a?`You unfollowed ${e}.`:`You follow ${e}: you will hear about its scores.`),await t.reload()}catch(c){v(c instanceof P?c.summary:String(c))}finally{n(!1)}}}
      aria-label=${a?`Unfollow ${e}`:`Follow ${e}`}>
      ${s?a?"Unfollow":"Follow":a?`Following ${e}`:`Follow ${e}`}
    </button>
  `}var cr=3e4,ur=[["all","All time"],["24h","Last 24 hours"],["7d","Last 7 days"],["4w","Last 4 weeks"]];function dr({onDone:e}){let t=M({category_name:""},async(o,{reset:s})=>{let i=await w("/sports/categories",o);return s(),e(),`"${i.data.category_name}" is added.`});return r`
    <form class="form" onSubmit=${t.submit} ref=${t.ref} novalidate aria-label="New category">
      <${_} form=${t} name="category_name" label="Category name" required hint="For example: Football" />
      <${O} form=${t} />
      <div class="form-actions"><${B} form=${t} busyText="Adding…">Add category<//></div>
    </form>
  `}function mr({categories:e}){var s;let t=new Date;t.setSeconds(0,0);let o=M({category_id:((s=e[0])==null?void 0:s.category_id)||"",team_1:"",team_2:"",start_time:Ne(t)},async i=>{let n=await w("/sports/games",{...i,start_time:Pe(i.start_time)});v(`${n.data.team_1} v ${n.data.team_2} is scheduled.`,{kind:"success"}),z(`/sports/games/${n.data.game_id}`)},{labels:{team_1:"the home team",team_2:"the away team",start_time:"the start"}});return e.length?r`
    <form class="form" onSubmit=${o.submit} ref=${o.ref} novalidate aria-label="New game">
      <${Oe} form=${o} name="category_id" label="Category"
        options=${e.map(i=>[i.category_id,i.category_name])} />
      <div class="form-row">
        <${_} form=${o} name="team_1" label="Home team" required />
        <${_} form=${o} name="team_2" label="Away team" required />
      </div>
      <${_} form=${o} name="start_time" label="Starts" type="datetime-local" required />
      <${O} form=${o} />
      <div class="form-actions"><${B} form=${o} busyText="Scheduling…">Create game<//></div>
    </form>
  `:r`<p class="muted">Add a category first.</p>`}function pr({category:e}){let[t,o]=$("all"),s=y(()=>b(`/sports/analytics?time_range=${t}${e?`&sport_category=${encodeURIComponent(e)}`:""}`,{auth:!1}),[t,e]);return r`
    <${g}
      title="Analytics"
      label="analytics-title"
      actions=${r`
        <label class="visually-hidden" for="range">Time range</label>
        <select id="range" value=${t} onChange=${i=>o(i.currentTarget.value)} style="min-height:34px;padding:4px 8px">
          ${ur.map(([i,n])=>r`<option value=${i} selected=${i===t}>${n}</option>`)}
        </select>
      `}
    >
      <${x} resource=${s} loadingText="Crunching numbers…">
        ${i=>{let n=i.data,a=(c,d)=>{var u;return((u=c.metrics.find(p=>p.metric_name===d))==null?void 0:u.value)||0},l=n.detailed_reports.map(c=>({label:c.report_name.replace(/ \(.*\)$/,""),values:[a(c,"games"),a(c,"events"),a(c,"scoring_events")]}));return r`
            <p class="muted small" data-testid="analytics-as-of">
              ${n.as_of?r`As of <${R} iso=${n.as_of} /> (the warehouse refreshes every few minutes)`:"Not computed yet: the warehouse has not been refreshed."}
            </p>
            <div class="stats" style="margin-bottom:16px">
              <div class="stat"><strong>${n.analytics_summary.total_events}</strong><span>games</span></div>
              <div class="stat"><strong>${n.analytics_summary.total_game_events}</strong><span>game events</span></div>
              <div class="stat"><strong>${n.analytics_summary.average_score}</strong><span>average score per team</span></div>
            </div>
            <h3>Top teams by average score</h3>
            <${Re} title="Top teams by average score"
              items=${n.analytics_summary.top_teams.map(c=>({label:c.team_name,value:c.average_score}))} />
            <h3 style="margin-top:18px">Activity per category</h3>
            <${pt} title="Activity per category" groups=${l} series=${["games","events","scoring events"]} />
          `}}
      <//>
    <//>
  `}function fr({user:e,followed:t}){var c;let[o,s]=$(""),[i,n]=$(null),a=y(()=>b("/sports/teams?limit=200",{auth:!1}),[]),l=async d=>{if(d.preventDefault(),n(null),!o.trim()){n("Type a team name.");return}try{await w("/sports/teams/follow",{team:o.trim()}),v(`You follow ${o.trim()}: you will hear about its scores.`),s(""),t.reload()}catch(u){n(u.summary||String(u))}};return e?r`
    <${g} title="Teams you follow" label="teams-title">
      <${x} resource=${t}>
        ${d=>d.length===0?r`<p class="muted small">You follow no team yet. Their score changes reach your bell.</p>`:r`<ul class="list" style="margin-bottom:12px">
                ${d.map(u=>r`<li class="row-between" key=${u.team_id}>
                  <strong>${u.team}</strong>
                  <${qe} team=${u.team} followed=${t} compact />
                </li>`)}
              </ul>`}
      <//>
      <form class="inline-form" onSubmit=${l} novalidate>
        <label class="visually-hidden" for="team-name">Team to follow</label>
        <input id="team-name" type="text" list="team-names" placeholder="Team name" value=${o}
          aria-invalid=${i?"true":void 0} aria-describedby=${i?"team-error":void 0}
          onInput=${d=>{s(d.currentTarget.value),n(null)}} />
        <datalist id="team-names">
          ${(((c=a.data)==null?void 0:c.data)||[]).map(d=>r`<option value=${d.team_name} />`)}
        </datalist>
        <button class="btn btn-secondary" type="submit">Follow</button>
      </form>
      ${i&&r`<p class="field-error" id="team-error" role="alert" style="margin-top:6px">${i}</p>`}
    <//>
  `:r`<${g} title="Teams you follow"><${U}>to follow teams<//><//>`}var $r=[["Live",e=>e.status==="live"||e.status==="paused",1],["Upcoming",e=>["scheduled","postponed","cancelled"].includes(e.status),1],["Final",e=>e.status==="finished",-1]];function hr({games:e}){return $r.map(([t,o,s])=>{let i=e.filter(o).sort((n,a)=>s*(Date.parse(n.start_time)-Date.parse(a.start_time))||n.game_id-a.game_id);return i.length===0?null:r`
      <section class="schedule-group" aria-label=${t} data-testid=${`schedule-${t.toLowerCase()}`}>
        <h3 class="small muted">${t}</h3>
        <ul class="list">
          ${i.map(n=>r`
            <li class="row-between" key=${n.game_id}>
              <div>
                <a href=${`#/sports/games/${n.game_id}`}><strong>${n.team_1} v ${n.team_2}</strong></a>
                <div class="small muted">${n.sport_category} · <${R} iso=${n.start_time} /></div>
              </div>
              <div class="row">
                ${n.status!=="scheduled"&&r`<span class="score" style="font-size:1.1rem">${n.score_team_1} – ${n.score_team_2}</span>`}
                <${Ue} game=${n} />
              </div>
            </li>`)}
        </ul>
      </section>
    `})}function Cs({query:e}){var p;let{user:t}=S(k),o=e.get("category")||"",s=y(()=>b("/sports/categories",{auth:!1}),[]),i=o?`sport_category=${encodeURIComponent(o)}`:"",n=y(()=>b(`/sports/ongoing-events?limit=12&${i}`,{auth:!1}),[o]),a=y(()=>b(`/sports/games?limit=15&${i}`,{auth:!1}),[o]),l=gt(t),[c,d]=$(null);N(()=>{let m=setInterval(()=>{n.reload(),a.reload()},cr);return()=>clearInterval(m)},[o]);let u=((p=s.data)==null?void 0:p.data)||[];return r`
    <${E} title="Sports" subtitle="Live scores, game chat and numbers from every game.">
      ${V(t)&&r`<button class="btn btn-secondary" type="button" aria-expanded=${c==="category"?"true":"false"}
        onClick=${()=>d(c==="category"?null:"category")}>New category</button>`}
      ${at(t)&&r`<button class="btn" type="button" aria-expanded=${c==="game"?"true":"false"}
        onClick=${()=>d(c==="game"?null:"game")}>New game</button>`}
    <//>
    ${c==="category"&&r`<div style="margin-bottom:24px"><${g} title="New category"><${dr} onDone=${s.reload} /><//></div>`}
    ${c==="game"&&r`<div style="margin-bottom:24px"><${g} title="New game"><${mr} categories=${u} /><//></div>`}
    ${u.length>0&&r`<nav class="chips" aria-label="Categories" style="margin-bottom:20px">
      <a class="chip" href="#/sports" aria-current=${o?void 0:"page"}>All</a>
      ${u.map(m=>r`<a class="chip" key=${m.category_id} href=${`#/sports?category=${encodeURIComponent(m.category_name)}`}
        aria-current=${o.toLowerCase()===m.category_name.toLowerCase()?"page":void 0}>${m.category_name}</a>`)}
    </nav>`}
    <div class="grid">
      <div class="stack">
        <section aria-labelledby="live-title">
          <h2 id="live-title">Live now</h2>
          <${x} resource=${n} loadingText="Loading live games…">
            ${m=>m.data.length===0?r`<${C}>No game is being played right now.<//>`:r`<div class="cards" data-testid="live-games">
                    ${m.data.map(f=>r`<${Ts} key=${f.game_id} initial=${f} />`)}
                  </div>`}
          <//>
        </section>
        <${pr} category=${o} />
      </div>
      <div class="stack">
        <${fr} user=${t} followed=${l} />
        <${g} title="Schedule and results" label="schedule-title">
          <${x} resource=${a}>
            ${m=>m.data.length===0?r`<${C}>No games yet.<//>`:r`<${hr} games=${m.data} />`}
          <//>
        <//>
      </div>
    </div>
  `}var gr=[["period_start","Start a period"],["goal","Goal"],["point","Points"],["card","Card"],["substitution","Substitution"],["note","Note"],["pause","Pause"],["resume","Resume"],["period_end","End the period"],["final","Final whistle"],["postpone","Postpone"],["cancel","Cancel"]],Kt=new Set(["goal","point"]);function br({game:e}){let t=e.status==="scheduled"?"period_start":"goal",o=M({event_type:t,team:"team_1",points:"",description:"",period:""},async(n,{setValues:a})=>{let l={event_type:n.event_type};n.team&&(l.team=n.team),String(n.points).trim()&&(l.points=Number(n.points)),n.description.trim()&&(l.description=n.description.trim()),n.period.trim()&&(l.period=n.period.trim());let c=await w(`/sports/games/${e.game_id}/events`,l);return a(d=>({...d,description:"",points:"",period:""})),`Recorded: ${c.data.event.description}`}),s=o.values.event_type,i=[["","No team"],["team_1",e.team_1],["team_2",e.team_2]];return r`
    <form class="form" onSubmit=${o.submit} ref=${o.ref} novalidate aria-label="Record an event">
      <div class="form-row">
        <${Oe} form=${o} name="event_type" label="What happened" options=${gr} />
        <${Oe} form=${o} name="team" label="Team" options=${i} />
      </div>
      <div class="form-row">
        ${Kt.has(s)&&r`<${_} form=${o} name="points" label="Points" type="number" min="1" hint="Default 1" />`}
        ${s==="period_start"&&r`<${_} form=${o} name="period" label="Period name" hint="Default: Period N" />`}
        <${_} form=${o} name="description" label="Description" hint="Optional" />
      </div>
      <${O} form=${o} />
      <div class="form-actions"><${B} form=${o} busyText="Recording…">Record event<//></div>
    </form>
  `}function yr({events:e}){if(!e.length)return r`<${C}>Nothing has happened yet.<//>`;let t=[...e].reverse();return r`
    <ol class="list events" data-testid="events" aria-live="polite">
      ${t.map(o=>r`
          <li key=${o.event_id}>
            <span class=${`kind ${Kt.has(o.event_type)?"scoring":""}`}>${o.event_type.replace("_"," ")}</span>
            <span>${o.description}<span class="small muted"> · ${o.period||""}</span></span>
            <span class="at">${o.score_team_1}–${o.score_team_2}</span>
          </li>
        `)}
    </ol>
  `}function vr({gameId:e}){let{room:t,error:o,waiting:s}=Ee({kind:"game",ref:e,canOpen:!1});return t?r`<${fe} roomId=${t.roomId} label="Game chat messages" />`:o?r`<${ae} error=${o} />`:s?r`<p class="loading">Opening the chatroom…</p>`:r`<${C}>The chatroom is not open yet.<//>`}function Es({params:e}){let{user:t}=S(k),o=e.id,s=y(async()=>(await b(`/sports/games/${o}`,{auth:!1})).data,[o]),i=gt(t);X({path:`/sports/games/${o}/live`,auth:"optional",onFrame:a=>{a.type==="reload"?s.reload():s.setData(l=>Vt(l,a))}},[o]);let n=r`<a href="#/sports">Sports</a> › Game`;return r`
    <${x} resource=${s} loadingText="Loading the game…">
      ${a=>r`
        <${E} title=${`${a.team_1} v ${a.team_2}`} crumbs=${n}
          subtitle=${r`${a.sport_category} · starts <${R} iso=${a.start_time} />`} />
        <div class="card scoreboard" style="margin-bottom:24px" data-testid="scoreboard">
          <div class="row-between" style="margin-bottom:10px">
            <${Ue} game=${a} />
            <span class="small muted">${a.period_running?`${a.current_period} in play`:a.current_period||"Not started"}</span>
          </div>
          <div class="scoreline" aria-live="polite">
            <span class="team">${a.team_1}</span>
            <span class="score" data-testid="score">${a.score_team_1} – ${a.score_team_2}</span>
            <span class="team">${a.team_2}</span>
          </div>
        </div>
        <div class="grid">
          <div class="stack">
            <${g} title="Events" label="events-title"><${yr} events=${a.event_details||[]} /><//>
            <${g} title="Score over the game" label="chart-title">
              <${_s} events=${(a.event_details||[]).filter(l=>Kt.has(l.event_type))}
                team1=${a.team_1} team2=${a.team_2} />
            <//>
            ${at(t)&&!["finished","cancelled"].includes(a.status)&&r`<${g} title="Record an event" label="record-title"><${br} game=${a} /><//>`}
          </div>
          <div class="stack">
            <${g} title="Follow the teams" label="follow-teams-title">
              ${t?r`<div class="row">
                    <${qe} team=${a.team_1} followed=${i} />
                    <${qe} team=${a.team_2} followed=${i} />
                  </div>
                  <p class="small muted" style="margin:10px 0 0">Score changes of the teams you follow reach your bell.</p>`:r`<${U}>to follow these teams<//>`}
            <//>
            <${g} title="Game chat" label="game-chat-title"><${vr} gameId=${o} /><//>
          </div>
        </div>
      `}
    <//>
  `}var _r=[[7,"Last 7 days"],[30,"Last 30 days"],[90,"Last 90 days"]],wr=[["active_users","active members"],["new_users","new members"]],Rs=[["posts","posts"],["reviews","reviews"],["votes","votes"],["entries","entries"],["likes","likes"],["chat_messages","chat messages"]],kr=Array.from({length:10},(e,t)=>String((t+1)/2));function xr(e){return e.toISOString().slice(0,10)}function Ls(e,t){return t.map(([o,s])=>({name:s,values:e[o]}))}function Sr({onDone:e}){let[t,o]=$(!1);return r`<button class="btn btn-sm" type="button" onClick=${async()=>{o(!0);try{let i=(await w("/analytics/refresh")).data;v(`Refreshed: ${i.rows_changed} rows changed in ${i.seconds.toFixed(2)} s.`,{kind:"success"}),e()}catch(i){v(i.summary||String(i),{kind:"error"})}finally{o(!1)}}} disabled=${t} data-testid="refresh">
    ${t?"Refreshing\u2026":"Refresh now"}
  </button>`}function Tr({data:e}){let t=e.daily,o=Rs.map(([n,a])=>[a,t[n].reduce((l,c)=>l+c,0)]),s=e.genres.map(n=>({label:n.genre,value:n.average_rating})),i=kr.map((n,a)=>({label:n,value:e.genres.reduce((l,c)=>l+c.distribution[a],0)}));return r`
    <div class="stats" style="margin-bottom:16px">
      ${o.map(([n,a])=>r`<div class="stat" key=${n}><strong>${a}</strong><span>${n}</span></div>`)}
    </div>
    <div class="grid insights">
      <${g} title="Members, day by day" label="members-title">
        <${zt} title="Members, day by day" days=${t.days} series=${Ls(t,wr)} />
      <//>
      <${g} title="Activity, day by day" label="activity-title">
        <${zt} title="Activity, day by day" days=${t.days} series=${Ls(t,Rs.slice(0,4))} />
      <//>
      <${g} title="Best-rated albums" label="albums-title">
        <${Re} title="Best-rated albums" unit="★"
          items=${e.top_albums.map(n=>({label:n.title,value:n.average_rating}))} />
      <//>
      <${g} title="Ratings" label="ratings-title">
        <h3>Average per genre</h3>
        <${Re} title="Average rating per genre" unit="★" items=${s} />
        <h3 style="margin-top:14px">All reviews by stars</h3>
        <${ft} title="Reviews by rating" buckets=${i} />
      <//>
      <${g} title="Most followed members" label="followed-title">
        <${Re} title="Most followed members"
          items=${e.most_followed.map(n=>({label:`member #${n.user_id}`,value:n.followers}))} />
      <//>
      <${g} title="Competitions" label="competitions-title">
        <${pt} title="Competition participation" series=${["entries","entrants","likes","comments"]}
          groups=${e.competitions.map(n=>({label:n.title.slice(0,18),values:[n.entries,n.entrants,n.likes,n.comments]}))} />
      <//>
      <${g} title="Books of the month" label="books-title">
        ${e.books_of_the_month.length===0?r`<${C}>No poll has closed yet.<//>`:r`<ul class="list">
              ${e.books_of_the_month.map(n=>r`<li class="row-between" key=${n.poll_id}>
                  <span><strong>${n.title}</strong> · ${n.author}</span>
                  <span class="muted small">${re(n.month)} · ${n.votes} of ${n.total_votes} votes</span>
                </li>`)}
            </ul>`}
      <//>
    </div>
  `}function As(){let{user:e}=S(k),[t,o]=$(30),[s,i]=$(null),n=y(async()=>{if(!V(e))return null;if(!s){let c=await b("/analytics/overview");if(i(c.data.to),t===30)return c}let a=s||(await b("/analytics/overview")).data.to,l=xr(new Date(Date.parse(`${a}T00:00:00Z`)-(t-1)*864e5));return b(`/analytics/overview?from=${l}&to=${a}`)},[t,e==null?void 0:e.user_id]);return e?V(e)?r`
    <${E} title="Insights" subtitle="How the community is doing, from the warehouse.">
      <label class="visually-hidden" for="span">Period</label>
      <select id="span" value=${t} onChange=${a=>o(Number(a.currentTarget.value))} style="min-height:34px;padding:4px 8px">
        ${_r.map(([a,l])=>r`<option value=${a} selected=${a===t}>${l}</option>`)}
      </select>
      <${Sr} onDone=${n.reload} />
    <//>
    <${x} resource=${n} loadingText="Reading the warehouse…">
      ${a=>r`
        <p class="muted small" data-testid="as-of">
          ${a.data.as_of?r`As of <${R} iso=${a.data.as_of} />`:"The warehouse has not been refreshed yet."}
        </p>
        <${Tr} data=${a.data} />
      `}
    <//>
  `:r`<${E} title="Insights" /><${C}>Insights are for admins.<//>`:r`<${E} title="Insights" /><${U}>as an admin to see insights<//>`}var Cr={like:"Like",comment:"Comment",reply:"Reply",placement:"Results",new_submission:"New entry",score_update:"Score",news:"News",follow:"Follower",book_of_the_month:"Bookclub",review:"Review"};function Jt(e){let t=e.data||{};return t.competition_id?`/competitions/${t.competition_id}`:t.thread_id?`/bookclub/threads/${t.thread_id}`:t.game_id?`/sports/games/${t.game_id}`:t.follower_id?`/users/${t.follower_id}`:t.album_id?`/music/albums/${t.album_id}`:e.type==="book_of_the_month"?"/bookclub":null}function Is(){let{user:e}=S(k),{items:t,unread:o,loaded:s}=S(se),[i,n]=$(!1),a=async c=>{c.read||await Ho(c.notification_id).catch(()=>null);let d=Jt(c);d&&z(d)},l=async()=>{n(!0);try{await Uo(),v("All caught up.")}finally{n(!1)}};return e?r`
    <${E} title="Notifications" subtitle=${o?`${H(o,"unread notification")}.`:"You are all caught up."}>
      <button class="btn btn-secondary" type="button" disabled=${i||!o} onClick=${l}>Mark all as read</button>
    <//>
    <${g}>
      ${s?t.length===0?r`<${C}>Nothing yet. Likes, comments, results and scores of the teams you follow show up here.<//>`:r`<ul class="list" data-testid="notifications" aria-live="polite" aria-relevant="additions">
              ${t.map(c=>r`
                  <li class=${`notice ${c.read?"":"unread"}`} key=${c.notification_id} data-testid="notification">
                    <span class="dot" aria-hidden="true"></span>
                    <div class="notice-body">
                      <div class="type-tag">${Cr[c.type]||c.type}${c.read?"":r`<span class="visually-hidden"> (unread)</span>`}</div>
                      <div class="notice-text">${c.message}</div>
                      <div class="small muted"><${R} iso=${c.created_at} /></div>
                    </div>
                    ${(Jt(c)||!c.read)&&r`<button class="btn btn-ghost btn-sm" type="button" onClick=${()=>a(c)}>
                      ${Jt(c)?"Open":"Mark read"}
                    </button>`}
                  </li>
                `)}
            </ul>`:r`<${ie} text="Loading notifications…" />`}
    <//>
  `:r`<${E} title="Notifications" /><${U}>to see your notifications<//>`}var bt=[["like","Likes on my entries"],["comment","Comments on my entries"],["reply","Replies to my comments and threads"],["placement","My places in results"],["new_submission","New entries where I subscribed"],["score_update","Scores of teams I follow"],["follow","New followers"],["news","News"]];function Er({user:e}){let t=M({bio:e.bio||"",profile_picture:e.profile_picture||""},async o=>{let s=await rt("/users/profile",o);return Bt(s),"Your profile is saved."});return r`
    <form class="form" onSubmit=${t.submit} ref=${t.ref} novalidate aria-label="About you">
      <${_} form=${t} name="bio" label="Bio" multiline rows="4" hint="Up to 500 characters." />
      <${_} form=${t} name="profile_picture" label="Picture URL" type="url"
        hint="An http(s) address of an image, or empty for your initials." />
      <${O} form=${t} />
      <div class="form-actions"><${B} form=${t}>Save profile<//></div>
    </form>
  `}function Rr({user:e}){var i;let t=((i=e.preferences)==null?void 0:i.notifications)||{enabled:!0,types:bt.map(([n])=>n)},o={enabled:t.enabled};for(let[n]of bt)o[n]=t.types.includes(n);let s=M(o,async n=>{let a=bt.map(([c])=>c).filter(c=>n[c]),l=await nt(`/users/${e.user_id}/preferences/notifications`,{enabled:n.enabled,types:a});return Bt({preferences:{notifications:l.data}}),"Your notification preferences are saved."});return r`
    <form class="form" onSubmit=${s.submit} ref=${s.ref} novalidate aria-label="Notification preferences">
      <${ge} form=${s} name="enabled" label="Send me notifications" />
      <fieldset class="checks" disabled=${!s.values.enabled}>
        <legend>Tell me about</legend>
        ${bt.map(([n,a])=>r`<${ge} form=${s} name=${n} label=${a} />`)}
      </fieldset>
      <${O} form=${s} />
      <div class="form-actions"><${B} form=${s}>Save preferences<//></div>
    </form>
  `}function Fs(){let{user:e}=S(k),t=y(()=>e?b("/users/profile"):Promise.resolve(null),[e==null?void 0:e.user_id]),o=y(()=>e?b(`/users/${e.user_id}/followers?limit=50`):Promise.resolve(null),[e==null?void 0:e.user_id]),s=y(()=>e?b(`/users/${e.user_id}/followings?limit=50`):Promise.resolve(null),[e==null?void 0:e.user_id]),i=y(()=>e?b("/users/profile/submissions?limit=20"):Promise.resolve(null),[e==null?void 0:e.user_id]);return e?r`
    <${x} resource=${t} loadingText="Loading your profile…">
      ${n=>r`
        <div class="card" style="margin-bottom:24px">
          <div class="row" style="gap:18px;align-items:flex-start">
            <${le} name=${n.username} src=${n.profile_picture} large />
            <div style="flex:1;min-width:200px">
              <${E} title=${n.username}
                subtitle=${r`${n.email||"No email"} · joined <${R} iso=${n.created_at} time=${!1} /> ·
                  <${j} kind=${n.role==="admin"?"primary":""}>${n.role}<//>`}>
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
            <${g} title="About you" label="about-title"><${Er} user=${n} /><//>
            <${g} title="Notifications" label="prefs-title"><${Rr} user=${n} /><//>
            <${g} title="Your competition entries" label="entries-title">
              <${x} resource=${i}>
                ${a=>!a||a.length===0?r`<${C}>You have not entered a competition yet. <a href="#/competitions">See what is open</a>.<//>`:r`<ul class="list">
                        ${a.map(l=>r`<li key=${l.submission_id}>
                          <a href=${`#/competitions/${l.competition_id}`}><strong>${l.title}</strong></a>
                          <div class="small muted">${H(l.likes,"like")} · ${H(l.comments,"comment")}${l.place?` \xB7 place ${l.place}`:""}</div>
                        </li>`)}
                      </ul>`}
              <//>
            <//>
          </div>
          <div class="stack">
            <${g} title=${`Followers (${n.followers_count})`} label="my-followers-title">
              <${x} resource=${o}>${a=>r`<${He} page=${a} emptyText="No followers yet." />`}<//>
            <//>
            <${g} title=${`Following (${n.followings_count})`} label="my-following-title">
              <${x} resource=${s}>${a=>r`<${He} page=${a} emptyText="You follow nobody yet. Find people on the timeline." />`}<//>
            <//>
            <${g} title="Download my data" label="export-title"><${Qo} /><//>
            <${g} title="Delete my account" label="delete-title"><${es} /><//>
          </div>
        </div>
      `}
    <//>
  `:r`<${E} title="Your profile" /><${U}>to see your profile<//>`}function Ns(){return r`
    <${E} title="Page not found" subtitle="There is nothing at this address." />
    <p><a class="btn" href="#/bookclub">Go to the bookclub</a></p>
  `}function Lr({spans:e}){let t=new Set(e.map(l=>l.span_id)),o=new Map;for(let l of e){let c=t.has(l.parent_id)?l.parent_id:null;o.has(c)||o.set(c,[]),o.get(c).push(l)}let s=Math.min(...e.map(l=>l.start_ns)),i=Math.max(Math.max(...e.map(l=>l.end_ns))-s,1),n=[],a=(l,c)=>{n.push({span:l,depth:c});for(let d of o.get(l.span_id)||[])a(d,c+1)};for(let l of o.get(null)||[])a(l,0);return r`
    <ol class="waterfall" aria-label="Spans of the trace">
      ${n.map(({span:l,depth:c})=>{let d=(l.start_ns-s)/i*100,u=Math.max((l.end_ns-l.start_ns)/i*100,.5),p=((l.end_ns-l.start_ns)/1e6).toFixed(1);return r`
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
  `}function Ar({traceId:e}){let t=y(()=>de(`/admin/traces/${e}`,{base:""}),[e]);return t.error?r`<${ae} error=${t.error} retry=${t.reload} />`:t.data===void 0?r`<${ie} text="Loading the trace…" />`:r`<${Lr} spans=${t.data.spans} />`}function Ir({request:e}){let[t,o]=$(!1),s=e.status>=500;return r`
    <li class="request-row" data-testid="slow-request">
      <div class="request-line">
        <${j} kind=${s?"danger":"warning"}>${e.status}<//>
        <code>${e.method} ${e.path}</code>
        <span>${e.duration_ms} ms</span>
        <span class="muted">${e.instance||e.service}</span>
        <span class="muted"><${R} iso=${e.at} /></span>
        ${e.traced?r`<button class="link-btn" type="button" aria-expanded=${t?"true":"false"}
              onClick=${()=>o(!t)}>${t?"Hide trace":"Show trace"}</button>`:r`<span class="muted">${e.trace_id?"trace not sampled":"no trace"}</span>`}
      </div>
      <p class="muted request-ids">request ${e.request_id}${e.trace_id?` \xB7 trace ${e.trace_id}`:""}</p>
      ${t&&r`<${Ar} traceId=${e.trace_id} />`}
    </li>
  `}function Ps({query:e}){let{user:t}=S(k),o=V(t),s=e.get("slow"),i=`/admin/requests${s?`?slow=${encodeURIComponent(s)}`:""}`,n=y(()=>o?de(i,{base:""}):Promise.resolve(null),[o,i]);return t?o?r`
    <${E}
      title="Slow and failed requests"
      subtitle="The latest requests that failed (5xx) or were slow, with their traces."
    >
      <button class="btn btn-secondary" type="button" onClick=${n.reload}>Refresh</button>
    <//>
    <${x} resource=${n}>
      ${a=>r`
        <${g} title=${`Slower than ${a.slow_ms} ms, or failed`}>
          ${a.requests.length===0?r`<${C}>None lately.<//>`:r`<ul class="request-list">${a.requests.map(l=>r`<${Ir} key=${l.request_id+l.at} request=${l} />`)}</ul>`}
        <//>
      `}
    <//>
  `:r`<${E} title="Slow and failed requests" /><${C}>Only admins see this page.<//>`:r`<${E} title="Slow and failed requests" /><${U}>as an admin<//>`}var Fr=[{path:"/",page:jt},{path:"/bookclub",page:jt},{path:"/bookclub/threads/:id",page:cs},{path:"/login",page:ns},{path:"/signup",page:rs},{path:"/competitions",page:us},{path:"/competitions/:id",page:$s},{path:"/music",page:gs},{path:"/music/albums/:id",page:vs},{path:"/music/genres/:genre",page:ws},{path:"/timeline",page:xs},{path:"/users/:id",page:Ss},{path:"/sports",page:Cs},{path:"/sports/games/:id",page:Es},{path:"/insights",page:As},{path:"/notifications",page:Is},{path:"/profile",page:Fs},{path:"/admin/requests",page:Ps}];function Nr(){let e=S(ne),{status:t,user:o}=S(k),s=o==null?void 0:o.user_id;N(()=>{s?Bo():Ht()},[s]),N(()=>{window.scrollTo(0,0)},[e.path]);let i=So(Fr,e.path),n=i?i.entry.page:Ns;return r`
    <${Go} />
    <${Wo} />
    <main id="main" class="page" tabindex="-1">
      ${t==="loading"?r`<${ie} />`:r`<${n} key=${e.path} params=${i?i.params:{}} query=${e.query} />`}
    </main>
    <${jo} />
  `}var Ds=document.getElementById("app");Ds.textContent="";wt(r`<${Nr} />`,Ds);Mo();
