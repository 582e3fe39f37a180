var Ge,I,oo,Te,so,Yt,Ss,We={},no=[],Ts=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i;function ue(e,t){for(var o in t)e[o]=t[o];return e}function ro(e){var t=e.parentNode;t&&t.removeChild(e)}function io(e,t,o){var s,i,n,a={};for(n in t)n=="key"?s=t[n]:n=="ref"?i=t[n]:a[n]=t[n];if(arguments.length>2&&(a.children=arguments.length>3?Ge.call(arguments,2):o),typeof e=="function"&&e.defaultProps!=null)for(n in e.defaultProps)a[n]===void 0&&(a[n]=e.defaultProps[n]);return qe(e,a,s,i,null)}function qe(e,t,o,s,i){var n={type:e,props:t,key:o,ref:s,__k:null,__:null,__b:0,__e:null,__d:void 0,__c:null,__h:null,constructor:void 0,__v:i??++oo};return I.vnode!=null&&I.vnode(n),n}function ze(e){return e.children}function Ue(e,t){this.props=e,this.context=t}function _e(e,t){if(t==null)return e.__?_e(e.__,e.__.__k.indexOf(e)+1):null;for(var o;t<e.__k.length;t++)if((o=e.__k[t])!=null&&o.__e!=null)return o.__e;return typeof e.type=="function"?_e(e):null}function ao(e){var t,o;if((e=e.__)!=null&&e.__c!=null){for(e.__e=e.__c.base=null,t=0;t<e.__k.length;t++)if((o=e.__k[t])!=null&&o.__e!=null){e.__e=e.__c.base=o.__e;break}return ao(e)}}function Wt(e){(!e.__d&&(e.__d=!0)&&Te.push(e)&&!je.__r++||Yt!==I.debounceRendering)&&((Yt=I.debounceRendering)||so)(je)}function je(){for(var e;je.__r=Te.length;)e=Te.sort(function(t,o){return t.__v.__b-o.__v.__b}),Te=[],e.some(function(t){var o,s,i,n,a,l;t.__d&&(a=(n=(o=t).__v).__e,(l=o.__P)&&(s=[],(i=ue({},n)).__v=n.__v+1,ht(l,n,i,o.__n,l.ownerSVGElement!==void 0,n.__h!=null?[a]:null,s,a??_e(n),n.__h),mo(s,n),n.__e!=a&&ao(n)))})}function lo(e,t,o,s,i,n,a,l,c,d){var u,p,m,$,h,R,S,D=s&&s.__k||no,Y=D.length;for(o.__k=[],u=0;u<t.length;u++)if(($=o.__k[u]=($=t[u])==null||typeof $=="boolean"?null:typeof $=="string"||typeof $=="number"||typeof $=="bigint"?qe(null,$,null,null,$):Array.isArray($)?qe(ze,{children:$},null,null,null):$.__b>0?qe($.type,$.props,$.key,null,$.__v):$)!=null){if($.__=o,$.__b=o.__b+1,(m=D[u])===null||m&&$.key==m.key&&$.type===m.type)D[u]=void 0;else for(p=0;p<Y;p++){if((m=D[p])&&$.key==m.key&&$.type===m.type){D[p]=void 0;break}m=null}ht(e,$,m=m||We,i,n,a,l,c,d),h=$.__e,(p=$.ref)&&m.ref!=p&&(S||(S=[]),m.ref&&S.push(m.ref,null,$),S.push(p,$.__c||h,$)),h!=null?(R==null&&(R=h),typeof $.type=="function"&&$.__k!=null&&$.__k===m.__k?$.__d=c=co($,c,e):c=uo(e,$,m,D,h,c),d||o.type!=="option"?typeof o.type=="function"&&(o.__d=c):e.value=""):c&&m.__e==c&&c.parentNode!=e&&(c=_e(m))}for(o.__e=R,u=Y;u--;)D[u]!=null&&(typeof o.type=="function"&&D[u].__e!=null&&D[u].__e==o.__d&&(o.__d=_e(s,u+1)),$o(D[u],D[u]));if(S)for(u=0;u<S.length;u++)po(S[u],S[++u],S[++u])}function co(e,t,o){var s,i;for(s=0;s<e.__k.length;s++)(i=e.__k[s])&&(i.__=e,t=typeof i.type=="function"?co(i,t,o):uo(o,i,i,e.__k,i.__e,t));return t}function uo(e,t,o,s,i,n){var a,l,c;if(t.__d!==void 0)a=t.__d,t.__d=void 0;else if(o==null||i!=n||i.parentNode==null)e:if(n==null||n.parentNode!==e)e.appendChild(i),a=null;else{for(l=n,c=0;(l=l.nextSibling)&&c<s.length;c+=2)if(l==i)break e;e.insertBefore(i,n),a=n}return a!==void 0?a:i.nextSibling}function jt(e,t,o){t[0]==="-"?e.setProperty(t,o):e[t]=o==null?"":typeof o!="number"||Ts.test(t)?o:o+"px"}function He(e,t,o,s,i){var n;e:if(t==="style")if(typeof o=="string")e.style.cssText=o;else{if(typeof s=="string"&&(e.style.cssText=s=""),s)for(t in s)o&&t in o||jt(e.style,t,"");if(o)for(t in o)s&&o[t]===s[t]||jt(e.style,t,o[t])}else if(t[0]==="o"&&t[1]==="n")n=t!==(t=t.replace(/Capture$/,"")),t=t.toLowerCase()in e?t.toLowerCase().slice(2):t.slice(2),e.l||(e.l={}),e.l[t+n]=o,o?s||e.addEventListener(t,n?zt:Gt,n):e.removeEventListener(t,n?zt:Gt,n);else if(t!=="dangerouslySetInnerHTML"){if(i)t=t.replace(/xlink[H:h]/,"h").replace(/sName$/,"s");else if(t!=="href"&&t!=="list"&&t!=="form"&&t!=="tabIndex"&&t!=="download"&&t in e)try{e[t]=o??"";break e}catch{}typeof o=="function"||(o!=null&&(o!==!1||t[0]==="a"&&t[1]==="r")?e.setAttribute(t,o):e.removeAttribute(t))}}function Gt(e){this.l[e.type+!1](I.event?I.event(e):e)}function zt(e){this.l[e.type+!0](I.event?I.event(e):e)}function ht(e,t,o,s,i,n,a,l,c){var d,u,p,m,$,h,R,S,D,Y,U,L=t.type;if(t.constructor!==void 0)return null;o.__h!=null&&(c=o.__h,l=t.__e=o.__e,t.__h=null,n=[l]),(d=I.__b)&&d(t);try{e:if(typeof L=="function"){if(S=t.props,D=(d=L.contextType)&&s[d.__c],Y=d?D?D.props.value:d.__:s,o.__c?R=(u=t.__c=o.__c).__=u.__E:("prototype"in L&&L.prototype.render?t.__c=u=new L(S,Y):(t.__c=u=new Ue(S,Y),u.constructor=L,u.render=Es),D&&D.sub(u),u.props=S,u.state||(u.state={}),u.context=Y,u.__n=s,p=u.__d=!0,u.__h=[]),u.__s==null&&(u.__s=u.state),L.getDerivedStateFromProps!=null&&(u.__s==u.state&&(u.__s=ue({},u.__s)),ue(u.__s,L.getDerivedStateFromProps(S,u.__s))),m=u.props,$=u.state,p)L.getDerivedStateFromProps==null&&u.componentWillMount!=null&&u.componentWillMount(),u.componentDidMount!=null&&u.__h.push(u.componentDidMount);else{if(L.getDerivedStateFromProps==null&&S!==m&&u.componentWillReceiveProps!=null&&u.componentWillReceiveProps(S,Y),!u.__e&&u.shouldComponentUpdate!=null&&u.shouldComponentUpdate(S,u.__s,Y)===!1||t.__v===o.__v){u.props=S,u.state=u.__s,t.__v!==o.__v&&(u.__d=!1),u.__v=t,t.__e=o.__e,t.__k=o.__k,t.__k.forEach(function(G){G&&(G.__=t)}),u.__h.length&&a.push(u);break e}u.componentWillUpdate!=null&&u.componentWillUpdate(S,u.__s,Y),u.componentDidUpdate!=null&&u.__h.push(function(){u.componentDidUpdate(m,$,h)})}u.context=Y,u.props=S,u.state=u.__s,(d=I.__r)&&d(t),u.__d=!1,u.__v=t,u.__P=e,d=u.render(u.props,u.state,u.context),u.state=u.__s,u.getChildContext!=null&&(s=ue(ue({},s),u.getChildContext())),p||u.getSnapshotBeforeUpdate==null||(h=u.getSnapshotBeforeUpdate(m,$)),U=d!=null&&d.type===ze&&d.key==null?d.props.children:d,lo(e,Array.isArray(U)?U:[U],t,o,s,i,n,a,l,c),u.base=t.__e,t.__h=null,u.__h.length&&a.push(u),R&&(u.__E=u.__=null),u.__e=!1}else n==null&&t.__v===o.__v?(t.__k=o.__k,t.__e=o.__e):t.__e=Cs(o.__e,t,o,s,i,n,a,c);(d=I.diffed)&&d(t)}catch(G){t.__v=null,(c||n!=null)&&(t.__e=l,t.__h=!!c,n[n.indexOf(l)]=null),I.__e(G,t,o)}}function mo(e,t){I.__c&&I.__c(t,e),e.some(function(o){try{e=o.__h,o.__h=[],e.some(function(s){s.call(o)})}catch(s){I.__e(s,o.__v)}})}function Cs(e,t,o,s,i,n,a,l){var c,d,u,p=o.props,m=t.props,$=t.type,h=0;if($==="svg"&&(i=!0),n!=null){for(;h<n.length;h++)if((c=n[h])&&(c===e||($?c.localName==$:c.nodeType==3))){e=c,n[h]=null;break}}if(e==null){if($===null)return document.createTextNode(m);e=i?document.createElementNS("http://www.w3.org/2000/svg",$):document.createElement($,m.is&&m),n=null,l=!1}if($===null)p===m||l&&e.data===m||(e.data=m);else{if(n=n&&Ge.call(e.childNodes),d=(p=o.props||We).dangerouslySetInnerHTML,u=m.dangerouslySetInnerHTML,!l){if(n!=null)for(p={},h=0;h<e.attributes.length;h++)p[e.attributes[h].name]=e.attributes[h].value;(u||d)&&(u&&(d&&u.__html==d.__html||u.__html===e.innerHTML)||(e.innerHTML=u&&u.__html||""))}if((function(R,S,D,Y,U){var L;for(L in D)L==="children"||L==="key"||L in S||He(R,L,null,D[L],Y);for(L in S)U&&typeof S[L]!="function"||L==="children"||L==="key"||L==="value"||L==="checked"||D[L]===S[L]||He(R,L,S[L],D[L],Y)})(e,m,p,i,l),u)t.__k=[];else if(h=t.props.children,lo(e,Array.isArray(h)?h:[h],t,o,s,i&&$!=="foreignObject",n,a,n?n[0]:o.__k&&_e(o,0),l),n!=null)for(h=n.length;h--;)n[h]!=null&&ro(n[h]);l||("value"in m&&(h=m.value)!==void 0&&(h!==e.value||$==="progress"&&!h)&&He(e,"value",h,p.value,!1),"checked"in m&&(h=m.checked)!==void 0&&h!==e.checked&&He(e,"checked",h,p.checked,!1))}return e}function po(e,t,o){try{typeof e=="function"?e(t):e.current=t}catch(s){I.__e(s,o)}}function $o(e,t,o){var s,i;if(I.unmount&&I.unmount(e),(s=e.ref)&&(s.current&&s.current!==e.__e||po(s,null,t)),(s=e.__c)!=null){if(s.componentWillUnmount)try{s.componentWillUnmount()}catch(n){I.__e(n,t)}s.base=s.__P=null}if(s=e.__k)for(i=0;i<s.length;i++)s[i]&&$o(s[i],t,typeof e.type!="function");o||e.__e==null||ro(e.__e),e.__e=e.__d=void 0}function Es(e,t,o){return this.constructor(e,o)}function gt(e,t,o){var s,i,n;I.__&&I.__(e,t),i=(s=typeof o=="function")?null:o&&o.__k||t.__k,n=[],ht(t,e=(!s&&o||t).__k=io(ze,null,[e]),i||We,We,t.ownerSVGElement!==void 0,!s&&o?[o]:i?null:t.firstChild?Ge.call(t.childNodes):null,n,!s&&o?o:i?i.__e:t.firstChild,s),mo(n,e)}Ge=no.slice,I={__e:function(e,t){for(var o,s,i;t=t.__;)if((o=t.__c)&&!o.__)try{if((s=o.constructor)&&s.getDerivedStateFromError!=null&&(o.setState(s.getDerivedStateFromError(e)),i=o.__d),o.componentDidCatch!=null&&(o.componentDidCatch(e),i=o.__d),i)return o.__E=o}catch(n){e=n}throw e}},oo=0,Ue.prototype.setState=function(e,t){var o;o=this.__s!=null&&this.__s!==this.state?this.__s:this.__s=ue({},this.state),typeof e=="function"&&(e=e(ue({},o),this.props)),e&&ue(o,e),e!=null&&this.__v&&(t&&this.__h.push(t),Wt(this))},Ue.prototype.forceUpdate=function(e){this.__v&&(this.__e=!0,e&&this.__h.push(e),Wt(this))},Ue.prototype.render=ze,Te=[],so=typeof Promise=="function"?Promise.prototype.then.bind(Promise.resolve()):setTimeout,je.__r=0,Ss=0;var Ee,Q,Vt,Ce=0,$t=[],Kt=I.__b,Jt=I.__r,Xt=I.diffed,Zt=I.__c,Qt=I.unmount;function Ve(e,t){I.__h&&I.__h(Q,e,Ce||t),Ce=0;var o=Q.__H||(Q.__H={__:[],__h:[]});return e>=o.__.length&&o.__.push({}),o.__[e]}function f(e){return Ce=1,Rs(fo,e)}function Rs(e,t,o){var s=Ve(Ee++,2);return s.t=e,s.__c||(s.__=[o?o(t):fo(void 0,t),function(i){var n=s.t(s.__[0],i);s.__[0]!==n&&(s.__=[n,s.__[1]],s.__c.setState({}))}],s.__c=Q),s.__}function N(e,t){var o=Ve(Ee++,3);!I.__s&&_t(o.__H,t)&&(o.__=e,o.__H=t,Q.__H.__h.push(o))}function bt(e,t){var o=Ve(Ee++,4);!I.__s&&_t(o.__H,t)&&(o.__=e,o.__H=t,Q.__h.push(o))}function W(e){return Ce=5,yt(function(){return{current:e}},[])}function yt(e,t){var o=Ve(Ee++,7);return _t(o.__H,t)&&(o.__=e(),o.__H=t,o.__h=e),o.__}function Ke(e,t){return Ce=8,yt(function(){return e},t)}function Ls(){$t.forEach(function(e){if(e.__P)try{e.__H.__h.forEach(Ye),e.__H.__h.forEach(ft),e.__H.__h=[]}catch(t){e.__H.__h=[],I.__e(t,e.__v)}}),$t=[]}I.__b=function(e){Q=null,Kt&&Kt(e)},I.__r=function(e){Jt&&Jt(e),Ee=0;var t=(Q=e.__c).__H;t&&(t.__h.forEach(Ye),t.__h.forEach(ft),t.__h=[])},I.diffed=function(e){Xt&&Xt(e);var t=e.__c;t&&t.__H&&t.__H.__h.length&&($t.push(t)!==1&&Vt===I.requestAnimationFrame||((Vt=I.requestAnimationFrame)||function(o){var s,i=function(){clearTimeout(n),eo&&cancelAnimationFrame(s),setTimeout(o)},n=setTimeout(i,100);eo&&(s=requestAnimationFrame(i))})(Ls)),Q=void 0},I.__c=function(e,t){t.some(function(o){try{o.__h.forEach(Ye),o.__h=o.__h.filter(function(s){return!s.__||ft(s)})}catch(s){t.some(function(i){i.__h&&(i.__h=[])}),t=[],I.__e(s,o.__v)}}),Zt&&Zt(e,t)},I.unmount=function(e){Qt&&Qt(e);var t=e.__c;if(t&&t.__H)try{t.__H.__.forEach(Ye)}catch(o){I.__e(o,t.__v)}};var eo=typeof requestAnimationFrame=="function";function Ye(e){var t=Q;typeof e.__c=="function"&&e.__c(),Q=t}function ft(e){var t=Q;e.__c=e.__(),Q=t}function _t(e,t){return!e||e.length!==t.length||t.some(function(o,s){return o!==e[s]})}function fo(e,t){return typeof t=="function"?t(e):t}var ho=function(e,t,o,s){var i;t[0]=0;for(var n=1;n<t.length;n++){var a=t[n++],l=t[n]?(t[0]|=a?1:2,o[t[n++]]):t[++n];a===3?s[0]=l:a===4?s[1]=Object.assign(s[1]||{},l):a===5?(s[1]=s[1]||{})[t[++n]]=l:a===6?s[1][t[++n]]+=l+"":a?(i=e.apply(l,ho(e,l,o,["",null])),s.push(i),l[0]?t[0]|=2:(t[n-2]=0,t[n]=i)):s.push(l)}return s},to=new Map,r=(function(e){var t=to.get(this);return t||(t=new Map,to.set(this,t)),(t=ho(this,t.get(e)||(t.set(e,t=(function(o){for(var s,i,n=1,a="",l="",c=[0],d=function(m){n===1&&(m||(a=a.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?c.push(0,m,a):n===3&&(m||a)?(c.push(3,m,a),n=2):n===2&&a==="..."&&m?c.push(4,m,0):n===2&&a&&!m?c.push(5,0,!0,a):n>=5&&((a||!m&&n===5)&&(c.push(n,0,a,i),n=6),m&&(c.push(n,m,0,i),n=6)),a=""},u=0;u<o.length;u++){u&&(n===1&&d(),d(u));for(var p=0;p<o[u].length;p++)s=o[u][p],n===1?s==="<"?(d(),c=[c],n=3):a+=s:n===4?a==="--"&&s===">"?(n=1,a=""):a=s+a[0]:l?s===l?l="":a+=s:s==='"'||s==="'"?l=s:s===">"?(d(),n=1):n&&(s==="="?(n=5,i=a,a=""):s==="/"&&(n<5||o[u][p+1]===">")?(d(),n===3&&(c=c[0]),n=c,(c=c[0]).push(2,0,n),n=0):s===" "||s==="	"||s===`
`||s==="\r"?(d(),n=2):a+=s),n===3&&a==="!--"&&(n=4,c=c[0])}return d(),c})(e)),t),arguments,[])).length>1?t:t[0]}).bind(io);function oe(e){let t=e,o=new Set;return{get:()=>t,set(s){t=typeof s=="function"?s(t):{...t,...s};for(let i of[...o])i(t)},subscribe(s){return o.add(s),()=>o.delete(s)}}}function C(e){let[t,o]=f(e.get());return N(()=>(o(e.get()),e.subscribe(o)),[e]),t}function vt(e){let t=decodeURI(e.replace(/^#/,""))||"/",[o,s=""]=t.split("?");return{path:o.startsWith("/")?o:`/${o}`,query:new URLSearchParams(s)}}var ne=oe(vt(location.hash));window.addEventListener("hashchange",()=>ne.set(vt(location.hash)));function z(e){location.hash===`#${e}`?ne.set(vt(location.hash)):location.hash=e}function go(e,t){let o=t.split("/").filter(Boolean);for(let s of e){let i=s.path.split("/").filter(Boolean);if(i.length!==o.length)continue;let n={};if(i.every((l,c)=>l.startsWith(":")?(n[l.slice(1)]=decodeURIComponent(o[c]),!0):l===o[c]))return{entry:s,params:n}}return null}var As=new Date().getFullYear();function de(e,{time:t=!0}={}){if(!e)return"";let o=new Date(e);if(Number.isNaN(o.getTime()))return"";let s={day:"numeric",month:"short"};return o.getFullYear()!==As&&(s.year="numeric"),t&&Object.assign(s,{hour:"2-digit",minute:"2-digit"}),new Intl.DateTimeFormat(void 0,s).format(o)}function re(e){let[t,o]=String(e||"").split("-").map(Number);if(!t||!o)return e||"";let s=new Date(Date.UTC(t,o-1,1));return new Intl.DateTimeFormat(void 0,{month:"long",year:"numeric",timeZone:"UTC"}).format(s)}function H(e,t,o=`${t}s`){return`${e} ${e===1?t:o}`}function bo(e){return(e||"?").replace(/[^a-z0-9]/gi,"").slice(0,2)||"?"}function yo(e){let t=String(e).replace(/([a-z])([A-Z])/g,"$1 $2").replace(/[_.]+/g," ").trim().toLowerCase();return t.charAt(0).toUpperCase()+t.slice(1)}function Re(e){let t=String(e||"");return t.charAt(0).toUpperCase()+t.slice(1)}function Le(e){let t=o=>String(o).padStart(2,"0");return`${e.getFullYear()}-${t(e.getMonth()+1)}-${t(e.getDate())}T${t(e.getHours())}:${t(e.getMinutes())}`}function Ae(e){if(!e)return e;let t=new Date(e);return Number.isNaN(t.getTime())?e:t.toISOString()}function _o(e){let t=0;for(let o of String(e))t=(t*31+o.charCodeAt(0))%360;return t}var Is=[[/^Field required$/i,()=>"This field is required"],[/^String should have at least 1 character$/i,()=>"This field is required"],[/^String should have at least (\d+) characters?$/i,e=>`Use at least ${e[1]} characters`],[/^String should have at most (\d+) characters?$/i,e=>`Use at most ${e[1]} characters`],[/^List should have at most (\d+) items?.*$/i,e=>`Choose at most ${e[1]}`],[/^Input should be a valid integer.*$/i,()=>"Enter a whole number"],[/^Input should be a valid number.*$/i,()=>"Enter a number"],[/^Input should be greater than or equal to (\S+)$/i,e=>`Must be at least ${e[1]}`],[/^Input should be less than or equal to (\S+)$/i,e=>`Must be at most ${e[1]}`],[/^Input should be a valid (datetime|date).*$/i,()=>"Enter a date and time"],[/^Input should be a valid boolean.*$/i,()=>"Choose yes or no"],[/^value is not a valid email address.*$/i,()=>"Enter a valid email address"],[/^is (.*)$/i,e=>Re(e[1])]];function vo(e){let t=String(e||"").trim();for(let[o,s]of Is){let i=t.match(o);if(i)return s(i)}return Re(t)}function Fs(e){let t=String(e||"").split(".");return["body","query","path"].includes(t[0])&&t.shift(),t.join(".")}var P=class extends Error{constructor(t,o={},s=null){super(o.message||`Request failed (${t})`),this.name="ApiError",this.status=t,this.code=o.code||"error",this.details=Array.isArray(o.details)?o.details:[],this.retryAfter=s&&Number(s.get("Retry-After"))||null,this.fields={},this.rawFields={};for(let i of this.details){let n=Fs(i.field);n in this.fields||(this.fields[n]=vo(i.message),this.rawFields[n]=String(i.message||""))}}get summary(){return this.status===0?"Can't reach Agora right now. Check your connection and try again.":this.status===429?`You're doing that too often. Try again${this.retryAfter?` in ${this.retryAfter} seconds`:" in a moment"}.`:this.code==="session_ended"?"Your session has ended. Please log in again.":this.status===401&&["unauthorized","invalid_token","token_expired"].includes(this.code)?"Please log in to do that.":this.status>=500&&this.status!==503?"Something went wrong on our side. Please try again.":this.status===422&&this.details.length?"Please correct the highlighted fields.":Re(this.message)}};function Je(){return new P(0,{code:"network",message:"network error"})}function wo(e,t=[],o={}){if(!(e instanceof P))return{fields:{},summary:`Something went wrong: ${(e==null?void 0:e.message)||e}`};let s={},i=[],n=l=>vo(l.replace(/^Value error, /,"").replace(/\w+/g,c=>o[c]||c));for(let[l,c]of Object.entries(e.fields))if(t.includes(l)&&o[l]){let d=n(e.rawFields[l]);s[l]=/^Must /.test(d)?Re(`${o[l]} ${d[0].toLowerCase()}${d.slice(1)}`):d}else t.includes(l)?s[l]=c:l===""?i.push(n(e.rawFields[l])):i.push(`${o[l]||yo(l)}: ${c}`);let a=null;return i.length?a=i.join(". "):Object.keys(s).length?a=Object.keys(s).length>1?"Please correct the highlighted fields.":null:a=e.summary,{fields:s,summary:a}}var xt="agora.session",Ps="agora-token-refresh",ko=6e4,wt=new Set,Xe=null,kt=null;function J(){try{let e=JSON.parse(localStorage.getItem(xt));return e&&e.token&&e.refresh_token?e:null}catch{return null}}function St(e){let t={token:e.token,refresh_token:e.refresh_token,expires_at:Date.now()+Number(e.expires_in||900)*1e3,user_id:String(e.user_id),username:e.username};return localStorage.setItem(xt,JSON.stringify(t)),Ie(),t}function Ze(){localStorage.removeItem(xt),clearTimeout(kt)}function xo(e){return wt.add(e),()=>wt.delete(e)}function Ns(){Ze();for(let e of[...wt])e()}function Ds(e){return navigator.locks&&navigator.locks.request?navigator.locks.request(Ps,e):e()}async function Ms(e){let t=J();if(!t)throw new P(401,{code:"session_ended",message:"Session ended"});if(e&&t.token!==e)return t;let o;try{o=await fetch("/api/users/refresh",{method:"POST",headers:{"Content-Type":"application/json",Accept:"application/json"},body:JSON.stringify({refresh_token:t.refresh_token})})}catch{throw Je()}let s=await o.json().catch(()=>({}));if(o.status===401||o.status===403)throw Ns(),new P(401,{code:"session_ended",message:"Session ended"});if(!o.ok)throw new P(o.status,s.error,o.headers);return St(s)}function ve(e){return Xe||(Xe=Ds(()=>Ms(e)).finally(()=>{Xe=null})),Xe}async function Qe(){let e=J();if(!e)return null;if(e.expires_at-Date.now()>15e3)return e;try{return await ve(e.token)}catch(t){return t.code==="session_ended"?null:e}}function Ie(){clearTimeout(kt);let e=J();if(!e)return;let t=Math.max(e.expires_at-Date.now()-ko,5e3);kt=setTimeout(async()=>{let o=J();o&&(o.expires_at-Date.now()<=ko&&await ve(o.token).catch(()=>null),Ie())},t)}function So(e,{method:t,body:o,token:s,signal:i,base:n}){let a={Accept:"application/json"};return o!==void 0&&(a["Content-Type"]="application/json"),s&&(a.Authorization=`Bearer ${s}`),fetch(`${n}${e}`,{method:t,headers:a,body:o===void 0?void 0:JSON.stringify(o),signal:i,cache:"no-cache"})}async function me(e,{method:t="GET",body:o,auth:s=!0,signal:i,base:n="/api"}={}){let a=s?await Qe():null,l;try{l=await So(e,{method:t,body:o,token:a==null?void 0:a.token,signal:i,base:n}),l.status===401&&a&&(a=await ve(a.token),l=await So(e,{method:t,body:o,token:a.token,signal:i,base:n}))}catch(d){throw d instanceof P||d.name==="AbortError"?d:Je()}if(l.status===204)return null;let c=await l.json().catch(()=>null);if(!l.ok)throw new P(l.status,(c==null?void 0:c.error)||{message:l.statusText},l.headers);return c}var b=(e,t)=>me(e,t),w=(e,t,o)=>me(e,{...o,method:"POST",body:t}),et=(e,t,o)=>me(e,{...o,method:"PUT",body:t}),tt=(e,t,o)=>me(e,{...o,method:"PATCH",body:t}),ee=(e,t,o)=>me(e,{...o,method:"DELETE",body:t});var ot=oe({items:[]}),Os=1;function Tt(e){ot.set(t=>({items:t.items.filter(o=>o.id!==e)}))}function v(e,{kind:t="info",ms:o=3500}={}){let s=Os++;ot.set(i=>({items:[...i.items,{id:s,text:e,kind:t}].slice(-4)})),setTimeout(()=>Tt(s),o)}var Bs="agora.session",k=oe({status:"loading",user:null}),V=e=>(e==null?void 0:e.role)==="admin",st=e=>(e==null?void 0:e.role)==="admin"||(e==null?void 0:e.role)==="feeder";async function Ct(){if(!J())return k.set({status:"anonymous",user:null}),null;try{let e=await b("/users/profile");return k.set({status:"ready",user:e}),e}catch(e){if(e instanceof P&&e.status===401)return Ze(),k.set({status:"anonymous",user:null}),null;let t=J();return k.set({status:"ready",user:{user_id:t.user_id,userId:t.user_id,username:t.username}}),null}}async function Et(e,t){let o=e.includes("@")?"email":"username",s=await w("/users/login",{[o]:e,password:t},{auth:!1});return St(s),Ct()}async function To({username:e,email:t,password:o}){let s={username:e,password:o};return t&&(s.email=t),await w("/users/register",s,{auth:!1}),Et(e,o)}async function nt(){let e=J();Ze(),k.set({status:"anonymous",user:null}),e&&await w("/users/logout",{refresh_token:e.refresh_token},{auth:!1}).catch(()=>null)}function Rt(e){k.set(t=>({...t,user:{...t.user,...e}}))}function Co(){return xo(()=>{k.set({status:"anonymous",user:null}),v("Your session has ended. Please log in again.")}),window.addEventListener("storage",e=>{if(e.key!==Bs&&e.key!==null)return;let t=J(),o=k.get().user;t?!o||String(o.user_id)!==String(t.user_id)?Ct():Ie():o&&k.set({status:"anonymous",user:null})}),Ie(),Ct()}var Fe=oe({channels:{},recoveries:0}),Hs=new Set([1008,4400,4403,4404,4410]),qs=4401,Us=25e3,Ys=600,Ws=15e3,js=1;function pe(e,t){Fe.set(o=>{let s={...o.channels};return t===null?delete s[e]:s[e]=t,{...o,channels:s}})}function Lt(e){let t=Object.values(e);return t.length?t.includes("reconnecting")?"reconnecting":t.includes("connecting")?"connecting":"live":"idle"}var we=class{constructor({path:t,params:o=()=>({}),auth:s="required",onFrame:i,onFinal:n,onOpen:a}){this.id=js++,this.path=t,this.params=o,this.auth=s,this.onFrame=i,this.onFinal=n,this.onOpen=a,this.ws=null,this.position=null,this.attempt=0,this.unauthorizedInARow=0,this.wasLive=!1,this.stopped=!0,this.retryTimer=null,this.pingTimer=null,this.sentToken=null,this.handleOnline=()=>this.retryNow()}start(){this.stopped=!1,window.addEventListener("online",this.handleOnline),this.connect()}stop(){this.stopped=!0,window.removeEventListener("online",this.handleOnline),clearTimeout(this.retryTimer),clearInterval(this.pingTimer);let t=this.ws;this.ws=null,t&&t.readyState<=WebSocket.OPEN&&t.close(1e3,"leaving"),pe(this.id,null)}resetPosition(){this.position=null}send(t){return this.ws&&this.ws.readyState===WebSocket.OPEN?(this.ws.send(JSON.stringify(t)),!0):!1}async connect(){var n;if(this.stopped)return;pe(this.id,this.wasLive?"reconnecting":"connecting");let t=new URLSearchParams;for(let[a,l]of Object.entries(this.params()||{}))l!=null&&l!==""&&t.set(a,String(l));let o=this.auth==="none"?null:await Qe();if(this.stopped)return;if(o){let a;try{({ticket:a}=await w("/users/socket-ticket"))}catch(l){if(this.stopped)return;if(l.code==="session_ended"){pe(this.id,null);return}this.closed(1006,"no ticket");return}if(this.stopped)return;t.set("ticket",a)}else if(this.auth==="required"){pe(this.id,null);return}this.sentToken=((n=J())==null?void 0:n.token)||null,this.position&&(t.set("since",String(this.position.offset)),t.set("epoch",this.position.epoch));let s=location.protocol==="https:"?"wss:":"ws:",i=new WebSocket(`${s}//${location.host}/api${this.path}?${t}`);this.ws=i,i.onopen=()=>{if(this.ws!==i)return;let a=this.wasLive&&this.attempt>0&&this.unauthorizedInARow===0;this.wasLive=!0,this.attempt=0,pe(this.id,"live"),clearInterval(this.pingTimer),this.pingTimer=setInterval(()=>this.send({type:"ping"}),Us),a&&Fe.set(l=>({...l,recoveries:l.recoveries+1})),this.onOpen&&this.onOpen({recovered:a})},i.onmessage=a=>{if(this.ws!==i)return;let l;try{l=JSON.parse(a.data)}catch{return}typeof l.offset=="number"&&typeof l.epoch=="string"&&(this.position={offset:l.offset,epoch:l.epoch}),this.unauthorizedInARow=0,l.type!=="pong"&&this.onFrame(l)},i.onclose=a=>{this.ws===i&&(this.ws=null,clearInterval(this.pingTimer),this.stopped||this.closed(a.code,a.reason))}}async closed(t,o){if(Hs.has(t)){pe(this.id,null),this.onFinal&&this.onFinal(t,o);return}if(pe(this.id,"reconnecting"),this.wasLive=!0,t===qs&&this.unauthorizedInARow===0&&J()){this.unauthorizedInARow+=1;try{await ve(this.sentToken)}catch(n){if(n.code==="session_ended"){pe(this.id,null);return}}this.attempt+=1,this.connect();return}let i=Math.min(Ys*2**this.attempt,Ws)*(.75+Math.random()*.5);this.attempt+=1,clearTimeout(this.retryTimer),this.retryTimer=setTimeout(()=>this.connect(),i)}retryNow(){this.stopped||this.ws||(clearTimeout(this.retryTimer),this.connect())}},Eo=0;Fe.subscribe(e=>{e.recoveries>Eo&&Lt(e.channels)==="live"&&(Eo=e.recoveries,v("Reconnected \u2014 you are live again.",{kind:"success"}))});var te=oe({unread:0,items:[],loaded:!1,rings:0}),Pe=null,ke=null,rt=[];async function Gs(){return ke||(ke=(async()=>{try{let e=await b("/notifications?limit=50");te.set({unread:e.unread_count,items:e.data,loaded:!0});let t=new Set(e.data.map(s=>s.notification_id)),o=rt.filter(s=>!t.has(s.notification.notification_id));rt=[],o.forEach(Ro)}catch{te.set({loaded:!0})}finally{ke=null}})(),ke)}function Ro(e){let t=e.notification;te.set(o=>{if(o.items.some(n=>n.notification_id===t.notification_id))return o;let s=[t,...o.items.filter(n=>n.notification_id!==e.replaces)],i=o.unread+(t.read||e.replaces?0:1);return{...o,items:s,unread:i,rings:o.rings+1}}),v(t.message)}function zs(e){e.type==="notification"&&e.notification?ke?rt.push(e):Ro(e):(e.type==="ready"||e.type==="reload")&&(!te.get().loaded||e.type==="reload")&&Gs()}function Lo(){At(),Pe=new we({path:"/notifications/ws",auth:"required",onFrame:zs}),Pe.start()}function At(){Pe&&Pe.stop(),Pe=null,rt=[],te.set({unread:0,items:[],loaded:!1,rings:0})}async function Ao(e){let t=await w(`/notifications/${e}/read`);te.set(o=>({...o,unread:t.unread_count,items:o.items.map(s=>s.notification_id===e?t.data:s)}))}async function Io(){await w("/notifications/read-all"),te.set(e=>({...e,unread:0,items:e.items.map(t=>({...t,read:!0}))}))}var It=!1;ne.subscribe(()=>{It=!0});function Fo(e){It&&e&&(It=!1,e.focus({preventScroll:!0}))}function E({title:e,subtitle:t,crumbs:o,children:s}){let i=W(null);return N(()=>{document.title=typeof e=="string"?`${e} \xB7 Agora`:"Agora"},[e]),N(()=>Fo(i.current),[]),r`
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
  `}function ie({text:e="Loading\u2026"}){return r`<p class="loading" role="status">${e}</p>`}function T({children:e}){return r`<p class="empty">${e}</p>`}function ae({error:e,retry:t}){let o=e instanceof P?e.summary:"Something went wrong.";return r`
    <div class="form-error" role="alert">
      ${o} ${t&&r`<button class="link-btn" type="button" onClick=${t}>Try again</button>`}
    </div>
  `}function x({resource:e,children:t,loadingText:o}){return e.data===void 0?e.error?r`<${ae} error=${e.error} retry=${e.reload} />`:r`<${ie} text=${o} />`:t(e.data)}function j({kind:e="",children:t}){return r`<span class=${`badge ${e?`badge-${e}`:""}`}>${t}</span>`}function F({iso:e,time:t=!0}){return r`<time datetime=${e}>${de(e,{time:t})}</time>`}function le({name:e,src:t,large:o=!1}){return r`
    <span class=${`avatar ${o?"avatar-lg":""}`} aria-hidden="true">
      ${t?r`<img src=${t} alt="" />`:bo(e)}
    </span>
  `}function se({id:e,name:t,src:o,children:s}){return r`
    <span class="person">
      <${le} name=${t} src=${o} />
      <span>
        ${e?r`<a href=${`#/users/${e}`}>${t}</a>`:r`<strong>${t}</strong>`}
        ${s}
      </span>
    </span>
  `}function ce({value:e,label:t}){let o=Number(e||0),s=t||(e==null?"Not rated yet":`${o.toFixed(1)} out of 5`),i=n=>o>=n-.25?"":o>=n-.75?"half":"off";return r`
    <span class="stars" role="img" aria-label=${s}>
      ${[1,2,3,4,5].map(n=>r`<span class=${i(n)}>★</span>`)}
    </span>
  `}function q({children:e="to take part"}){let t=encodeURIComponent(location.hash.replace(/^#/,"")||"/");return r`
    <p class="empty">
      <a href=${`#/login?next=${t}`}>Log in</a> or <a href=${`#/signup?next=${t}`}>sign up</a>
      ${" "}${e}.
    </p>
  `}function it({label:e,question:t,onConfirm:o,busy:s=!1}){let[i,n]=f(!1),a=W(null),l=W(null),c=W(!0);return N(()=>{var d;if(c.current){c.current=!1;return}(d=(i?a:l).current)==null||d.focus()},[i]),i?r`
    <span class="confirm-delete small" role="group" aria-label=${t}>
      <span>${t}</span>
      <button class="link-btn small danger" type="button" ref=${a}
        onClick=${()=>{n(!1),o()}}>Yes, delete</button>
      <button class="link-btn small" type="button" onClick=${()=>n(!1)}>Keep it</button>
    </span>
  `:r`<button class="link-btn small" type="button" ref=${l} aria-label=${e} disabled=${s}
      onClick=${()=>n(!0)}>Delete</button>`}var Vs=[["/bookclub","Bookclub"],["/competitions","Competitions"],["/music","Music"],["/timeline","Timeline"],["/sports","Sports"]],Ks={idle:"",connecting:"Connecting\u2026",live:"Live",reconnecting:"Reconnecting\u2026"};function Js(){let{channels:e}=C(Fe),t=Lt(e);return r`
    <span class="conn" data-state=${t} role="status" aria-live="polite" data-testid="connection">
      ${Ks[t]}
    </span>
  `}function Xs(){return r`
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"
      stroke-linejoin="round" aria-hidden="true">
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  `}function Zs(){let{unread:e,rings:t}=C(te),[o,s]=f(!1),i=W(!0);N(()=>{if(i.current){i.current=!1;return}s(!0);let a=setTimeout(()=>s(!1),900);return()=>clearTimeout(a)},[t]);let n=e?`Notifications, ${e} unread`:"Notifications, none unread";return r`
    <a
      href="#/notifications"
      class=${`icon-btn bell ${o?"ringing":""}`}
      data-unread=${e>0?"true":"false"}
      aria-label=${n}
      title=${n}
      data-testid="bell"
    >
      <${Xs} />
      ${e>0&&r`<span class="count" data-testid="unread-count" aria-hidden="true">${e>99?"99+":e}</span>`}
    </a>
  `}function Qs({user:e}){let[t,o]=f(!1),s=W(null);N(()=>{if(!t)return;let a=l=>{s.current&&!s.current.contains(l.target)&&o(!1)};return document.addEventListener("pointerdown",a),()=>document.removeEventListener("pointerdown",a)},[t]);let i=a=>{var l,c;t&&a.key==="Escape"&&(o(!1),(c=(l=s.current)==null?void 0:l.querySelector(".menu-button"))==null||c.focus())};N(()=>ne.subscribe(()=>o(!1)),[]);let n=()=>{o(!1);let a=nt();return v("You are logged out."),z("/bookclub"),a};return r`
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
  `}function Po(){let{user:e,status:t}=C(k),{path:o}=C(ne);return r`
    <header class="topbar">
      <div class="topbar-inner">
        <a class="brand" href="#/bookclub"><img src="/img/logo.svg" alt="" />Agora</a>
        <nav class="nav" aria-label="Sections">
          ${Vs.map(([s,i])=>r`
              <a href=${`#${s}`} aria-current=${o.startsWith(s)?"page":void 0}>${i}</a>
            `)}
          ${V(e)&&r`<a href="#/insights" aria-current=${o.startsWith("/insights")?"page":void 0}>Insights</a>`}
        </nav>
        <div class="topbar-tools">
          <${Js} />
          ${e&&r`<${Zs} />`}
          ${e&&r`<${Qs} user=${e} />`}
          ${!e&&t!=="loading"&&r`
            <a class="btn btn-ghost btn-sm" href="#/login">Log in</a>
            <a class="btn btn-sm" href="#/signup">Sign up</a>
          `}
        </div>
      </div>
    </header>
  `}function No(){let{items:e}=C(ot);return r`
    <div class="toasts" role="status" aria-live="polite" data-testid="toasts">
      ${e.map(t=>r`<div class=${`toast toast-${t.kind}`} key=${t.id}>
          <span>${t.text}</span>
          <button class="toast-close" type="button" aria-label="Dismiss" onClick=${()=>Tt(t.id)}>×</button>
        </div>`)}
    </div>
  `}function Do(){return r`<button class="skip-link" type="button" onClick=${()=>{let t=document.querySelector("[data-page-title]")||document.getElementById("main");t&&t.focus()}}>Skip to content</button>`}function y(e,t){let[o,s]=f({loading:!0,data:void 0,error:null}),i=W(0),n=Ke(async()=>{let l=++i.current;s(c=>({...c,loading:!0}));try{let c=await e();l===i.current&&s({loading:!1,data:c,error:null})}catch(c){l===i.current&&s(d=>({...d,loading:!1,error:c}))}},t);N(()=>{n()},[n]);let a=Ke(l=>{s(c=>({...c,data:typeof l=="function"?l(c.data):l}))},[]);return{...o,reload:n,setData:a}}function X({enabled:e=!0,onFrame:t,...o},s){let i=W(t);i.current=t;let n=W(o.onFinal);n.current=o.onFinal;let a=W(null);return N(()=>{if(!e)return;let l=new we({...o,onFrame:c=>i.current(c),onFinal:(c,d)=>n.current&&n.current(c,d)});return a.current=l,l.start(),()=>{l.stop(),a.current===l&&(a.current=null)}},[e,...s]),a}function M(e,t,{labels:o={}}={}){let[s,i]=f(e),[n,a]=f({}),[l,c]=f(null),[d,u]=f(null),[p,m]=f(!1),$=W(null),h=W(!1);N(()=>{if(!h.current||!$.current)return;h.current=!1;let U=$.current.querySelector('[aria-invalid="true"]');U&&U.focus()},[n]);let R=(U,L)=>{i(G=>({...G,[U]:L})),a(G=>{if(!(U in G))return G;let A={...G};return delete A[U],A})},S=U=>({name:U,value:s[U],error:n[U],onInput:L=>{let G=L.currentTarget;R(U,G.type==="checkbox"?G.checked:G.value)}}),D=(U=e)=>{i(U),a({}),c(null)};return{values:s,set:R,setValues:i,errors:n,formError:l,notice:d,busy:p,bind:S,submit:async U=>{if(U&&U.preventDefault(),!p){m(!0),a({}),c(null),u(null);try{let L=await t(s,{reset:D,setValues:i});typeof L=="string"&&u(L)}catch(L){let{fields:G,summary:A}=wo(L,Object.keys(e),o);h.current=!0,a(G),c(A)}finally{m(!1)}}},reset:D,ref:$}}var en=1,Ft=new WeakMap;function Pt(e){if(e.id)return e.id;let t=e.form.ref;return Ft.has(t)||Ft.set(t,`f${en++}`),`${Ft.get(t)}-${e.name}`}function Mo(e,t,o){let s=[];return t&&s.push(`${e}-hint`),o&&s.push(`${e}-error`),s.join(" ")||void 0}function Oo({id:e,hint:t,error:o}){return r`
    ${t&&r`<span class="hint" id=${`${e}-hint`}>${t}</span>`}
    ${o&&r`<span class="field-error" id=${`${e}-error`}>${o}</span>`}
  `}function _({form:e,name:t,label:o,hint:s,type:i="text",multiline:n=!1,...a}){let l=Pt({form:e,name:t,id:a.id}),c=e.bind(t),d={id:l,name:t,value:c.value??"",onInput:c.onInput,"aria-invalid":c.error?"true":void 0,"aria-describedby":Mo(l,s,c.error),...a};return r`
    <div class="field">
      <label for=${l}>${o}</label>
      ${n?r`<textarea ...${d} />`:r`<input type=${i} ...${d} />`}
      <${Oo} id=${l} hint=${s} error=${c.error} />
    </div>
  `}function Ne({form:e,name:t,label:o,hint:s,options:i,...n}){let a=Pt({form:e,name:t,id:n.id}),l=e.bind(t);return r`
    <div class="field">
      <label for=${a}>${o}</label>
      <select
        id=${a}
        name=${t}
        value=${l.value??""}
        onChange=${l.onInput}
        aria-invalid=${l.error?"true":void 0}
        aria-describedby=${Mo(a,s,l.error)}
        ...${n}
      >
        ${i.map(([c,d])=>r`<option value=${c} selected=${String(c)===String(l.value)}>${d}</option>`)}
      </select>
      <${Oo} id=${a} hint=${s} error=${l.error} />
    </div>
  `}function he({form:e,name:t,label:o}){let s=Pt({form:e,name:t}),i=e.bind(t);return r`
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
  `}var Bo="agora.export",tn=1500,on=[["Tweets, reviews, chat messages, votes and likes","hidden at once (they stop counting); deleted when the grace period ends"],["Threads and comments others answered","kept as \u201C[deleted]\u201D, without your name, so the replies still make sense"],["Entries that placed in a finished competition","keep their place, shown as by \u201Cdeleted user\u201D"],["Follows, followed teams, notifications, preferences","hidden at once; deleted at the end"],["Your account and username","deleted at the end; the username can be taken again after 30 days"]],sn={done:"success",running:"primary",waiting:"warning",failed:"danger"};function qo({steps:e}){return!e||e.length===0?null:r`
    <ol class="list" aria-label="Steps">
      ${e.map(t=>r`<li key=${t.step}>
        <strong>${t.action}</strong> ${t.service}
        <${j} kind=${sn[t.state]||""}>${t.state}<//>
        <span class="small muted"> <${F} iso=${t.at} /></span>
        ${t.detail&&r`<div class="small muted">${t.detail}</div>`}
      </li>`)}
    </ol>
  `}function Uo(e,t,o){let[s,i]=f(null);return N(()=>{if(!t)return;let n=!1,a=null,l=async()=>{try{let c=await e();if(n||(i(c),c&&c.keepPolling===!1))return}catch{}n||(a=setTimeout(l,tn))};return l(),()=>{n=!0,clearTimeout(a)}},o),s}async function nn(e,t){let o=J(),s=await fetch(e,{headers:{Authorization:`Bearer ${(o==null?void 0:o.token)||""}`}});if(!s.ok)throw new Error(`The download failed (${s.status})`);let i=await s.blob(),n=document.createElement("a");n.href=URL.createObjectURL(i),n.download=t,document.body.append(n),n.click(),n.remove(),setTimeout(()=>URL.revokeObjectURL(n.href),1e4)}function Yo(){let[e,t]=f(()=>localStorage.getItem(Bo)),[o,s]=f(!1),[i,n]=f(null),a=Uo(async()=>{let d=await b(`/users/profile/export/${e}`);return{...d,keepPolling:d.state==="collecting"}},!!e,[e]),l=async()=>{s(!0),n(null);try{let d=await w("/users/profile/export");localStorage.setItem(Bo,d.export_id),t(d.export_id)}catch(d){n(d instanceof P?d.summary:String(d))}finally{s(!1)}},c=()=>nn(a.download_url,`agora-data-${a.export_id}.zip`).catch(d=>n(String(d.message)));return r`
    <div class="stack" aria-label="Download my data">
      <p>Get a ZIP archive of everything Agora keeps about you: your profile, follows, votes,
        threads and replies, chat messages, entries, likes, comments, reviews, tweets,
        notifications and preferences, as JSON files with a README.</p>
      ${a&&r`<p role="status">Export <${j} kind=${a.state==="ready"?"success":""}>${a.state}<//>
        ${a.expires_at&&r` · the link works until <${F} iso=${a.expires_at} />`}</p>`}
      ${(a==null?void 0:a.state)==="collecting"&&r`<${qo} steps=${a.steps} />`}
      ${i&&r`<p class="form-error" role="alert">${i}</p>`}
      <div class="form-actions">
        ${(a==null?void 0:a.state)==="ready"&&r`<button class="btn" type="button" onClick=${c}>Download the archive</button>`}
        <button class="btn btn-secondary" type="button" disabled=${o||(a==null?void 0:a.state)==="collecting"} onClick=${l}>
          ${(a==null?void 0:a.state)==="collecting"?"Collecting your data\u2026":"Download my data"}
        </button>
      </div>
    </div>
  `}function Wo(){let e=M({password:"",grace_days:"14",understood:!1},async t=>{if(!t.understood)throw new P(422,{message:"Tick the box to confirm",details:[{field:"body.understood",message:"Tick the box to confirm"}]});let o=Number.parseInt(t.grace_days,10),s=await w("/users/profile/deletion",{password:t.password,grace_days:Number.isNaN(o)?14:o});await nt(),v(`Your account is scheduled for deletion on ${de(s.erase_at)}. Log in before then to restore it.`,{ms:15e3}),z("/login")});return r`
    <div class="stack" aria-label="Delete my account">
      <p>Deleting your account signs you out everywhere at once and hides your content. Until the
        end of the grace period you can log in and restore everything exactly as it was.</p>
      <table class="plain-table small">
        <thead><tr><th scope="col">Your…</th><th scope="col">What happens</th></tr></thead>
        <tbody>${on.map(([t,o])=>r`<tr key=${t}><td>${t}</td><td>${o}</td></tr>`)}</tbody>
      </table>
      <form class="form" onSubmit=${e.submit} ref=${e.ref} novalidate aria-label="Delete my account">
        <${_} form=${e} name="password" label="Your password" type="password" autocomplete="current-password" required />
        <${_} form=${e} name="grace_days" label="Grace period (days)" type="number" min="0" max="30"
          hint="0 to 30 days; 0 deletes at once, with no way back." />
        <${he} form=${e} name="understood" label="I understand what will be deleted" />
        <${O} form=${e} />
        <div class="form-actions"><${B} form=${e} kind="btn-danger-solid" busyText="Scheduling…">Delete my account<//></div>
      </form>
    </div>
  `}async function Ho(e,t){let o=await fetch("/api/users/profile/deletion",{method:e,headers:{Accept:"application/json","X-Restore-Token":t}}),s=await o.json().catch(()=>null);if(!o.ok)throw new P(o.status,(s==null?void 0:s.error)||{});return s}function jo({pending:e,onRestored:t}){let{restore_token:o,erase_at:s}=e,[i,n]=f(!1),[a,l]=f(null),c=Uo(async()=>{let u=await Ho("GET",o);return{...u,keepPolling:!["restored","erased"].includes(u.state)}},!0,[o]);N(()=>{(c==null?void 0:c.state)==="restored"&&t()},[c==null?void 0:c.state]);let d=async()=>{n(!0),l(null);try{await Ho("DELETE",o)}catch(u){l(u instanceof P?u.message:String(u)),n(!1)}};return r`
    <div class="card" role="region" aria-label="Account scheduled for deletion">
      <p>This account is scheduled for deletion on <strong><${F} iso=${s} /></strong>.
        Restore it to log in: everything that was hidden comes back as it was.</p>
      ${c&&r`<p>State: <${j}>${c.state}<//></p><${qo} steps=${c.steps} />`}
      ${a&&r`<p class="form-error" role="alert">${a}</p>`}
      <div class="form-actions">
        <button class="btn" type="button" disabled=${i} onClick=${d}>
          ${i?"Restoring your account\u2026":"Restore my account"}
        </button>
      </div>
    </div>
  `}function Go(e){return!(e instanceof P)||e.code!=="account_pending_deletion"?null:e.details[0]||null}function zo(e){let t=e.get("next");return t&&t.startsWith("/")&&!t.startsWith("/login")&&!t.startsWith("/signup")?t:"/bookclub"}function Vo({query:e}){let[t,o]=f(null),s=async a=>{let l=await Et(a.login.trim(),a.password);v(`Welcome back, ${(l==null?void 0:l.username)||a.login}!`),z(zo(e))},i=M({login:"",password:""},async a=>{try{await s(a)}catch(l){let c=Go(l);if(!c)throw l;o(c)}});if(t)return r`
      <div class="auth-card">
        <${E} title="Restore your account" subtitle="Your account is scheduled for deletion." />
        <${jo} pending=${t} onRestored=${()=>s(i.values).catch(()=>o(null))} />
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
  `}function Ko({query:e}){let t=M({username:"",email:"",password:""},async o=>{let s=await To({username:o.username.trim(),email:o.email.trim(),password:o.password});v(`Welcome to Agora, ${(s==null?void 0:s.username)||o.username}!`,{kind:"success"}),z(zo(e))});return r`
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
  `}var Nt=4e3,Jo=1;function rn(e){return{message_id:String(e.message_id),userId:String(e.userId),username:e.username,message:e.message,created_at:e.created_at,edited_at:e.edited_at}}function an(e,t){let o=e.findIndex(i=>i.message_id===t.message_id);if(o===-1)return[...e,t].sort((i,n)=>Number(i.message_id)-Number(n.message_id));let s=[...e];return s[o]={...s[o],...t},s}function ln({present:e,count:t}){if(!t)return r`<p class="presence">Nobody else is here yet.</p>`;let o=e.map(i=>i.username).join(", "),s=t>e.length?` and ${t-e.length} more`:"";return r`<p class="presence">${t} here now: ${o}${s}</p>`}function $e({roomId:e,label:t="Live chat"}){let{user:o}=C(k),[s,i]=f(null),[n,a]=f({present:[],count:0}),[l,c]=f(""),[d,u]=f(null),[p,m]=f(null),$=W(null),h=W(!0),R=`chat-${e}`,S=async()=>{try{let A=await b(`/forums/rooms/${e}/messages?limit=50`,{auth:!1});i(A.messages.map(K=>({...K,message_id:String(K.message_id),userId:String(K.userId)})).reverse())}catch{i(A=>A||[])}};N(()=>{i(null),m(null),S()},[e]);let Y=X({enabled:!!o,path:"/forums/connect",params:()=>({roomId:e}),auth:"required",onFrame:A=>{var K;switch(A.type){case"welcome":case"presence":a({present:A.present||[],count:A.present_count||0});break;case"message":case"edited":i(fe=>an(fe||[],rn(A)));break;case"deleted":i(fe=>(fe||[]).filter(be=>be.message_id!==String(A.message_id)));break;case"error":u(((K=A.error)==null?void 0:K.message)||"That message could not be sent.");break;case"room_closed":m("This room has been closed.");break;case"reload":S();break;default:break}},onFinal:()=>m("This room is closed.")},[e,o==null?void 0:o.user_id]);bt(()=>{let A=$.current;A&&h.current&&(A.scrollTop=A.scrollHeight)},[s]);let U=()=>{let A=$.current;h.current=A.scrollHeight-A.scrollTop-A.clientHeight<40},L=A=>{var be;A.preventDefault();let K=l.trim();if(!K)return;if(K.length>Nt){u(`Messages can be at most ${Nt} characters.`);return}if(!((be=Y.current)==null?void 0:be.send({type:"message",message:K,client_id:`c${Jo++}`}))){u("Not connected right now; your message was not sent. Try again in a moment.");return}u(null),c(""),h.current=!0},G=A=>{var K;(K=Y.current)==null||K.send({type:"delete",message_id:A,client_id:`c${Jo++}`})};return r`
    <div class="chat" data-testid="chat">
      ${o&&!p&&r`<${ln} ...${n} />`}
      ${s===null?r`<${ie} text="Loading messages…" />`:r`
            <div role="log" aria-live="polite" aria-label=${t}>
            <ol class="chat-log" ref=${$} onScroll=${U} aria-label=${t} tabindex="0">
              ${s.length===0&&r`<li class="muted small">No messages yet. Say hello!</li>`}
              ${s.map(A=>r`
                  <li key=${A.message_id} class=${`chat-msg ${o&&A.userId===String(o.user_id)?"mine":""}`}>
                    <div class="who">
                      <span>${A.username}</span><time datetime=${A.created_at}>${de(A.created_at)}</time>
                      ${o&&A.userId===String(o.user_id)&&r`<${it} label="Delete this message" question="Delete it?"
                        onConfirm=${()=>G(A.message_id)} />`}
                    </div>
                    <div class="text">${A.message}</div>
                  </li>
                `)}
            </ol>
            </div>
          `}
      ${p&&r`<p class="form-error" role="alert">${p}</p>`}
      ${!o&&r`<${q}>to chat<//>`}
      ${o&&!p&&r`
        <form class="chat-send" onSubmit=${L} novalidate>
          <label class="visually-hidden" for=${R}>Message</label>
          <input id=${R} type="text" value=${l} maxlength=${Nt}
            placeholder="Write a message…" autocomplete="off"
            aria-invalid=${d?"true":void 0}
            aria-describedby=${d?`${R}-error`:void 0}
            onInput=${A=>{c(A.currentTarget.value),u(null)}} />
          <button class="btn" type="submit">Send</button>
        </form>
        ${d&&r`<p class="field-error" id=${`${R}-error`} role="alert">${d}</p>`}
      `}
    </div>
  `}var cn=15,un=1e3;function dn({onCreated:e}){let[t,o]=f(!1),s=M({title:"",content:""},async i=>{let n=await w("/discussion",i);e(n.thread_id)});return t?r`
    <form class="form" onSubmit=${s.submit} ref=${s.ref} novalidate aria-label="Start a thread">
      <${_} form=${s} name="title" label="Thread title" required />
      <${_} form=${s} name="content" label="What do you want to say?" multiline rows="4" required />
      <${O} form=${s} />
      <div class="form-actions">
        <${B} form=${s} busyText="Posting…">Post thread<//>
        <button class="btn btn-ghost" type="button" onClick=${()=>o(!1)}>Cancel</button>
      </div>
    </form>
  `:r`<button class="btn btn-secondary btn-sm" type="button" onClick=${()=>o(!0)}>Start a thread</button>`}function Xo({threads:e}){return r`<ul class="list" data-testid="threads">
    ${e.map(t=>r`
        <li key=${t.thread_id}>
          <a href=${`#/bookclub/threads/${t.thread_id}`}><strong>${t.title}</strong></a>
          <div class="small muted">
            by ${t.author} · ${H(t.replies,"reply","replies")} · last activity
            ${" "}<${F} iso=${t.last_activity_at} />
          </div>
        </li>
      `)}
  </ul>`}function mn({poll:e}){let[t,o]=f(!1),s=y(()=>t?b(`/discussions?book_id=${e.winner.book_id}&limit=50`,{auth:!1}):Promise.resolve(null),[t,e.winner.book_id]);return r`
    <li>
      <details data-testid="past-lobby" onToggle=${i=>o(i.currentTarget.open)}>
        <summary><strong>${re(e.month)}</strong>: ${e.winner.title} <span class="muted">by ${e.winner.author}</span></summary>
        ${t&&r`<${x} resource=${s} loadingText="Loading its threads…">
          ${i=>!i||i.discussions.length===0?r`<${T}>Nobody started a thread that month.<//>`:r`<${Xo} threads=${i.discussions} />`}
        <//>`}
      </details>
    </li>
  `}function pn({currentBookId:e,version:t}){var i;let s=(((i=y(()=>b("/polls?limit=24",{auth:!1}),[t]).data)==null?void 0:i.polls)||[]).filter(n=>n.status==="closed"&&n.winner&&n.winner.book_id!==e);return s.length===0?null:r`
    <${g} title="Earlier months" label="past-lobbies-title">
      <ul class="list">${s.map(n=>r`<${mn} key=${n.poll_id} poll=${n} />`)}</ul>
    <//>
  `}function Zo({version:e,expectBookId:t}){var c;let{user:o}=C(k),s=y(()=>b("/discussions?limit=30",{auth:!1}),[e]),[i,n]=f(0),a=(c=s.data)==null?void 0:c.book,l=s.data&&(t&&(a==null?void 0:a.book_id)!==t||a&&!a.roomId);return N(()=>{if(!l||i>=cn)return;let d=setTimeout(()=>{n(u=>u+1),s.reload()},un);return()=>clearTimeout(d)},[l,i]),r`
    <${x} resource=${s} loadingText="Loading the lobby…">
      ${d=>d.book?r`
              <div class="grid">
                <${g}
                  title=${`Lobby: ${d.book.title}`}
                  label="lobby-title"
                  actions=${o&&r`<${dn} onCreated=${u=>z(`/bookclub/threads/${u}`)} />`}
                >
                  ${d.discussions.length===0?r`<${T}>No threads yet. Start the first one!<//>`:r`<${Xo} threads=${d.discussions} />`}
                  ${!o&&r`<div style="margin-top:12px"><${q}>to start a thread<//></div>`}
                <//>
                <${g} title="Lobby chat" label="lobby-chat-title">
                  ${d.book.roomId?r`<${$e} roomId=${d.book.roomId} label="Lobby chat messages" />`:r`<p class="loading">Opening the chat room…</p>`}
                <//>
              </div>
              <div style="margin-top:24px"><${pn} currentBookId=${d.book.book_id} version=${e} /></div>
            `:r`<${g} title="The lobby"><${T}>The lobby opens when the first book of the month is chosen.<//><//>`}
    <//>
  `}async function $n(){let t=(await b("/polls?limit=12",{auth:!1})).polls.find(o=>o.status==="closed"&&o.winner);return t?{...t.winner,month:t.month}:null}function fn({book:e,total:t,mine:o,canVote:s,onVote:i,busy:n}){let a=t?Math.round(100*e.votes/t):0;return r`
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
  `}function hn({onAdded:e}){let[t,o]=f(!1),s=M({title:"",author:"",description:""},async(i,{reset:n})=>{let a=await w("/books",i);return n(),e(),`"${a.title}" is on the ballot.`});return t?r`
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
  `:r`<button class="btn btn-secondary" type="button" onClick=${()=>o(!0)}>Add a book</button>`}function gn({poll:e,onClosed:t}){let[o,s]=f(!1),[i,n]=f(!1),[a,l]=f(null),c=async()=>{n(!0),l(null);try{let d=await w("/polls/current/close",{poll_id:e.poll_id});v(d.message,{kind:"success"}),s(!1),t(d)}catch(d){l(d instanceof P?d.summary:String(d))}finally{n(!1)}};return r`
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
  `}function bn({poll:e,setPoll:t,user:o,reload:s}){let[i,n]=f(!1),[a,l]=f(null),c=async u=>{n(!0),l(null);try{let p=await w("/vote",{book_id:u.book_id,poll_id:e.poll_id});t(m=>({...m,my_vote:p.book_id})),p.outcome==="moved"?v(`Your vote moved to "${u.title}".`):p.outcome==="created"&&v(`You voted for "${u.title}".`)}catch(p){l(p instanceof P?p.summary:String(p)),s()}finally{n(!1)}},d=[...e.candidates].sort((u,p)=>u.book_id-p.book_id);return r`
    <${g}
      title=${`Vote for ${re(e.month)}`}
      label="ballot-title"
      actions=${r`<${j} kind=${e.status==="open"?"success":""}>${e.status==="open"?`Open until ${de(e.closes_at)}`:"Closed"}<//>`}
    >
      <p class="muted small" aria-live="polite" data-testid="total-votes">
        ${H(e.total_votes,"vote")} so far${e.my_vote?"":o?" \u2014 pick the book you want to read next.":"."}
      </p>
      ${d.length===0?r`<${T}>No candidates yet.${V(o)?" Add the first book below.":" An admin adds them soon."}<//>`:r`<ul class="list">
            ${d.map(u=>r`<${fn}
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
      ${!o&&r`<div style="margin-top:14px"><${q}>to vote<//></div>`}
    <//>
  `}function yn({book:e}){return e?r`
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
  `:r`<${g} title="Book of the month"><${T}>No book has been chosen yet. The first poll decides.<//><//>`}function _n({poll:e}){var n,a,l;let t=y(()=>b("/competitions",{auth:!1}),[]),o=y(()=>b("/sports/ongoing-events?limit=12",{auth:!1}),[]),s=(n=t.data)==null?void 0:n.length,i=(l=(a=o.data)==null?void 0:a.data)==null?void 0:l.length;return r`
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
  `}function Dt(){var u,p;let{user:e,status:t}=C(k),o=y(()=>b("/polls/current"),[e==null?void 0:e.user_id]),s=y($n,[]),[i,n]=f(0),a=()=>{o.reload(),s.reload(),n(m=>m+1)},l=W(null),c=W(null);N(()=>{let m=c.current;c.current=null,m&&o.data&&m.poll_id===o.data.poll_id&&d(m)},[(u=o.data)==null?void 0:u.poll_id]);let d=m=>{let $=new Map(m.counts.map(h=>[h.book_id,h.votes]));o.setData(h=>({...h,total_votes:m.total_votes,my_vote:m.type==="snapshot"&&m.my_vote!==void 0?m.my_vote:h.my_vote,candidates:h.candidates.map(R=>({...R,votes:$.get(R.book_id)??R.votes}))}))};return X({path:"/vote/live",auth:"optional",params:()=>l.current?{poll_id:l.current}:{},onFrame:m=>{m.poll_id&&(l.current=m.poll_id);let $=o.data;if(m.type==="snapshot"||m.type==="votes"){if(!$){c.current=m;return}let h=new Set($.candidates.map(R=>R.book_id));m.poll_id!==$.poll_id?a():m.counts.some(R=>!h.has(R.book_id))?o.reload():d(m)}else m.type==="closed"?(l.current=m.next_poll_id,a()):m.type==="reload"&&o.reload()}},[e==null?void 0:e.user_id]),r`
    <${E}
      title="Bookclub"
      subtitle="Vote for the book we all read next month, then talk about it in the lobby."
    />
    ${!e&&t!=="loading"&&r`<div style="margin-bottom:24px"><${_n} poll=${o.data} /></div>`}
    <div class="grid">
      <div class="stack">
        <${x} resource=${o} loadingText="Loading this month's vote…">
          ${m=>r`<${bn} poll=${m} setPoll=${o.setData} user=${e} reload=${o.reload} />`}
        <//>
      </div>
      <div class="stack">
        <${x} resource=${s}>${m=>r`<${yn} book=${m} />`}<//>
        ${V(e)&&o.data&&r`
          <${g} title="Admin" label="admin-title">
            <div class="stack" style="gap:14px">
              <${hn} onAdded=${o.reload} />
              ${o.data.status==="open"&&r`<${gn} poll=${o.data} onClosed=${a} />`}
            </div>
          <//>
        `}
      </div>
    </div>
    <div style="margin-top:24px">
      <${Zo} version=${i} expectBookId=${(p=s.data)==null?void 0:p.book_id} />
    </div>
  `}function vn({threadId:e,onReplied:t}){let o=M({content:""},async(s,{reset:i})=>{await w(`/discussions/${e}/reply`,s),i(),t()});return r`
    <form class="form" onSubmit=${o.submit} ref=${o.ref} novalidate aria-label="Reply">
      <${_} form=${o} name="content" label="Your reply" multiline rows="3" required />
      <${O} form=${o} />
      <div class="form-actions"><${B} form=${o} busyText="Posting…">Post reply<//></div>
    </form>
  `}function Qo({params:e}){let{user:t}=C(k),o=y(()=>b(`/discussions/${e.id}?limit=200`),[e.id]);X({path:`/discussions/${e.id}/live`,auth:"none",onFrame:i=>{i.type==="reload"&&o.reload(),i.type==="reply"&&o.setData(n=>{if(!n||n.replies.some(p=>p.reply_id===i.reply_id))return n;let{type:a,offset:l,epoch:c,reply_count:d,...u}=i;return{...n,reply_count:d,replies:[...n.replies,u]}})}},[e.id]);let s=r`<a href="#/bookclub">Bookclub</a> › Lobby`;return r`
    <${x} resource=${o}>
      ${i=>r`
        <${E} title=${i.title} crumbs=${s}
          subtitle=${r`Started by ${i.author} · <${F} iso=${i.created_at} />`} />
        <div class="stack">
          <${g}><p class="prose" style="margin:0">${i.content}</p><//>
          <${g} title=${H(i.reply_count,"reply","replies")} label="replies-title">
            ${i.replies.length===0?r`<${T}>No replies yet.<//>`:r`<ul class="list" data-testid="replies">
                  ${i.replies.map(n=>r`
                      <li key=${n.reply_id}>
                        <${se} id=${n.author_id} name=${n.author}>
                          <span class="small muted"> · <${F} iso=${n.created_at} /></span>
                        <//>
                        <p class="prose" style="margin:6px 0 0">${n.content}</p>
                      </li>
                    `)}
                </ul>`}
          <//>
          <${g} title="Reply" level="2" label="reply-title">
            ${t?r`<${vn} threadId=${i.thread_id} onReplied=${o.reload} />`:r`<${q}>to reply<//>`}
          <//>
        </div>
      `}
    <//>
  `}function wn({onCancel:e}){let t=new Date;t.setSeconds(0,0);let o=new Date(t.getTime()+14*864e5),s=M({title:"",description:"",start_date:Le(t),end_date:Le(o),allow_multiple_entries:!1},async i=>{let n=await w("/competitions",{...i,start_date:Ae(i.start_date),end_date:Ae(i.end_date)});v(`"${n.title}" was created.`,{kind:"success"}),z(`/competitions/${n.competition_id}`)},{labels:{start_date:"Opens",end_date:"Closes"}});return r`
    <${g} title="New competition" label="new-competition-title">
      <form class="form" onSubmit=${s.submit} ref=${s.ref} novalidate aria-label="New competition">
        <${_} form=${s} name="title" label="Title" required />
        <${_} form=${s} name="description" label="Description" multiline rows="3"
          hint="What should entrants write? Any rules?" />
        <div class="form-row">
          <${_} form=${s} name="start_date" label="Opens" type="datetime-local" required />
          <${_} form=${s} name="end_date" label="Closes" type="datetime-local" required />
        </div>
        <${he} form=${s} name="allow_multiple_entries" label="Allow more than one entry per person" />
        <${O} form=${s} />
        <div class="form-actions">
          <${B} form=${s} busyText="Creating…">Create competition<//>
          <button class="btn btn-ghost" type="button" onClick=${e}>Cancel</button>
        </div>
      </form>
    <//>
  `}function es(){let{user:e}=C(k),t=y(()=>b("/competitions",{auth:!1}),[]),[o,s]=f(!1);return r`
    <${E} title="Competitions" subtitle="Write, enter, like and comment. The most liked entries win.">
      ${V(e)&&!o&&r`<button class="btn" type="button" onClick=${()=>s(!0)}>New competition</button>`}
    <//>
    ${o&&r`<div style="margin-bottom:24px"><${wn} onCancel=${()=>s(!1)} /></div>`}
    <${x} resource=${t} loadingText="Loading competitions…">
      ${i=>i.length===0?r`<${T}>No competition is open right now. Check back soon!<//>`:r`<div class="cards" data-testid="competitions">
              ${i.map(n=>r`
                  <a class="card card-link" href=${`#/competitions/${n.competition_id}`} key=${n.competition_id}>
                    <div class="row-between" style="margin-bottom:6px">
                      <${j} kind="success">Open<//>
                      <span class="small muted">until <${F} iso=${n.end_date} time=${!1} /></span>
                    </div>
                    <h3>${n.title}</h3>
                    ${n.description&&r`<p class="small muted clamp" style="margin:0">${n.description}</p>`}
                  </a>
                `)}
            </div>`}
    <//>
  `}function ts({path:e,parentId:t,onPosted:o,onCancel:s,label:i}){let n=M({content:""},async(a,{reset:l})=>{let c={content:a.content};t&&(c.parent_comment_id=Number(t)),await w(e,c),l(),o()});return r`
    <form class="form" onSubmit=${n.submit} ref=${n.ref} novalidate style="margin-top:8px">
      <${_} form=${n} name="content" label=${i} multiline rows="2" required />
      <${O} form=${n} />
      <div class="form-actions">
        <${B} form=${n} kind="btn-sm" busyText="Posting…">${t?"Reply":"Comment"}<//>
        ${s&&r`<button class="btn btn-ghost btn-sm" type="button" onClick=${s}>Cancel</button>`}
      </div>
    </form>
  `}function os({comment:e,path:t,user:o,open:s,onPosted:i}){let[n,a]=f(!1);return r`
    <li class="comment" data-testid="comment">
      <div class="who">
        ${e.deleted?r`<span class="muted">[deleted]</span>`:e.username}
        <${F} iso=${e.created_at} />${e.edited?r` <span class="muted small">(edited)</span>`:""}
      </div>
      <p class="prose" style="margin:2px 0 0">${e.deleted?r`<em class="muted">This comment was deleted.</em>`:e.content}</p>
      ${o&&s&&!e.deleted&&!n&&r`<button class="link-btn small" type="button" onClick=${()=>a(!0)}
        aria-label=${`Reply to ${e.username}`}>Reply</button>`}
      ${n&&r`<${ts}
        path=${t}
        parentId=${e.comment_id}
        label=${`Reply to ${e.username}`}
        onCancel=${()=>a(!1)}
        onPosted=${()=>{a(!1),i()}}
      />`}
      ${e.replies.length>0&&r`<ul class="comment-tree">
        ${e.replies.map(l=>r`<${os} key=${l.comment_id} comment=${l} path=${t}
            user=${o} open=${s} onPosted=${i} />`)}
      </ul>`}
    </li>
  `}function kn({competition:e,entry:t,user:o,onCount:s}){let i=`/competitions/${e.competition_id}`,n=y(()=>b(`${i}/submissions/${t.submission_id}/comments?limit=100`),[t.submission_id]),a=`${i}/comment/${t.submission_id}`,l=e.status!=="upcoming",c=()=>{n.reload(),s()};return r`
    <div class="comments">
      <${x} resource=${n} loadingText="Loading comments…">
        ${d=>d.comments.length===0?r`<p class="muted small">No comments yet.</p>`:r`<ul class="comment-tree">
                ${d.comments.map(u=>r`<${os} key=${u.comment_id} comment=${u} path=${a}
                    user=${o} open=${l} onPosted=${c} />`)}
              </ul>`}
      <//>
      ${o&&l&&r`<${ts} path=${a} label="Add a comment" onPosted=${c} />`}
    </div>
  `}function xn({competition:e,entry:t,onDone:o,onCancel:s}){let i=M({title:t.title,content:t.content},async n=>{await tt(`/competitions/${e.competition_id}/submissions/${t.submission_id}`,n),v("Your entry is updated.",{kind:"success"}),o()});return r`
    <form class="form" onSubmit=${i.submit} ref=${i.ref} novalidate aria-label="Edit your entry" style="margin-top:12px">
      <${_} form=${i} name="title" label="Entry title" required />
      <${_} form=${i} name="content" label="Your entry" multiline rows="8" required />
      <${O} form=${i} />
      <div class="form-actions">
        <${B} form=${i}>Save changes<//>
        <button class="btn btn-ghost" type="button" onClick=${s}>Cancel</button>
      </div>
    </form>
  `}function ss({entry:e,competition:t,user:o,onChanged:s}){let i=o&&e.user_id===String(o.user_id),[n,a]=f(e.likes),[l,c]=f(e.liked_by_me===!0);N(()=>{a(e.likes),c(e.liked_by_me===!0)},[e.likes,e.liked_by_me]);let[d,u]=f(!1),[p,m]=f(!1),[$,h]=f(e.comments);N(()=>h(e.comments),[e.comments]);let R=()=>b(`/competitions/${t.competition_id}/submissions/${e.submission_id}`).then(Be=>h(Be.comments)).catch(()=>{}),[S,D]=f(!1),[Y,U]=f(!1),[L,G]=f(null),A=e.content.length>360,K=o&&!i&&t.status==="active",fe=`comments-${e.submission_id}`,be=async()=>{u(!0),G(null);let Be=`/competitions/${t.competition_id}/like/${e.submission_id}`;try{let ye=l?await ee(Be):await w(Be);a(ye.likes),c(ye.liked)}catch(ye){G(ye instanceof P?ye.summary:String(ye))}finally{u(!1)}};return r`
    <article class="card entry" data-testid="entry" data-entry-id=${e.submission_id}>
      <div class="row-between">
        <h3 style="margin:0">${e.title}</h3>
        ${e.place&&r`<${j} kind=${e.place===1?"warning":"primary"}>Place ${e.place}<//>`}
      </div>
      <div style="margin:6px 0 10px">
        <${se} id=${e.user_id} name=${e.username}>
          <span class="small muted"> · <${F} iso=${e.created_at} /></span>
        <//>
      </div>
      ${!S&&r`<p class=${`prose ${A&&!Y?"clamp":""}`} style="margin:0">${e.content}</p>`}
      ${!S&&A&&r`<button class="link-btn small" type="button" aria-expanded=${Y?"true":"false"}
        onClick=${()=>U(!Y)}>${Y?"Show less":"Read more"}</button>`}
      ${S&&r`<${xn} competition=${t} entry=${e}
        onCancel=${()=>D(!1)} onDone=${()=>{D(!1),s()}} />`}
      <div class="entry-actions">
        ${K?r`<button class="btn btn-secondary btn-sm" type="button" aria-pressed=${l?"true":"false"}
              disabled=${d} onClick=${be} data-testid="like"
              aria-label=${`${l?"Unlike":"Like"} "${e.title}", ${H(n,"like")}`}>
              ${l?"\u2665 Liked":"\u2661 Like"} · <span data-testid="likes">${n}</span>
            </button>`:r`<span class="badge" data-testid="likes-count">♥ ${H(n,"like")}</span>`}
        <button class="btn btn-ghost btn-sm" type="button" aria-expanded=${p?"true":"false"}
          aria-controls=${fe} onClick=${()=>m(!p)}>
          ${p?"Hide comments":`Comments (${$})`}
        </button>
        ${i&&t.status==="active"&&!S&&r`<button class="btn btn-ghost btn-sm" type="button" onClick=${()=>D(!0)}>Edit entry</button>`}
      </div>
      ${L&&r`<p class="form-error" role="alert" style="margin-top:10px">${L}</p>`}
      <div id=${fe}>
        ${p&&r`<${kn} competition=${t} entry=${e} user=${o}
          onCount=${R} />`}
      </div>
    </article>
  `}var ns={upcoming:["warning","Opens soon"],active:["success","Open for entries"],closed:["","Closed"]};function Sn({competitionId:e,onDone:t}){let o=M({title:"",content:""},async(s,{reset:i})=>{await w(`/competitions/${e}/submit`,s),i(),v("Your entry is in. Good luck!",{kind:"success"}),t()});return r`
    <form class="form" onSubmit=${o.submit} ref=${o.ref} novalidate aria-label="Submit your entry">
      <${_} form=${o} name="title" label="Entry title" required />
      <${_} form=${o} name="content" label="Your entry" multiline rows="8" required />
      <${O} form=${o} />
      <div class="form-actions"><${B} form=${o} busyText="Submitting…">Submit entry<//></div>
    </form>
  `}function Tn({competitionId:e}){let t=y(()=>b(`/competitions/${e}/results`),[e]);return r`
    <${g} title="Results" label="results-title">
      <${x} resource=${t} loadingText="Loading the results…">
        ${o=>o.results.length===0?r`<${T}>Nobody entered this competition.<//>`:r`<ol class="list results" data-testid="results">
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
  `}function Cn({competitionId:e}){let t=y(()=>b("/users/profile/subscriptions?limit=200"),[]),[o,s]=f(!1);if(!t.data)return null;let i=t.data.some(a=>a.competition_id===String(e));return r`
    <button class="btn btn-secondary" type="button" aria-pressed=${i?"true":"false"}
      disabled=${o} onClick=${async()=>{s(!0);try{i?await ee(`/users/subscribe/${e}`):await w(`/users/subscribe/${e}`),v(i?"You will no longer hear about new entries.":"You will hear about new entries."),await t.reload()}catch(a){v(a instanceof P?a.summary:String(a))}finally{s(!1)}}}>
      ${i?"Subscribed":"Subscribe to new entries"}
    </button>
  `}function rs({params:e}){let{user:t}=C(k),o=e.id,s=y(()=>b(`/competitions/${o}`),[o]),i=y(()=>b(`/competitions/${o}/submissions?limit=100`),[o]);X({path:`/competitions/${o}/live`,auth:"none",onFrame:a=>{a.type==="reload"&&i.reload(),a.type==="counts"&&i.setData(l=>l&&{...l,submissions:l.submissions.map(c=>c.submission_id===a.submission_id?{...c,likes:a.likes,comments:a.comments}:c)})}},[o]);let n=r`<a href="#/competitions">Competitions</a> › Entries`;return r`
    <${x} resource=${s} loadingText="Loading the competition…">
      ${a=>{var p;let[l,c]=ns[a.status]||ns.closed,d=(((p=i.data)==null?void 0:p.submissions)||[]).filter(m=>t&&m.user_id===String(t.user_id)),u=t&&a.status==="active"&&(a.allow_multiple_entries||d.length===0);return r`
          <${E}
            title=${a.title}
            crumbs=${n}
            subtitle=${r`<${j} kind=${l}>${c}<//> ${" "}
              <${F} iso=${a.start_date} /> – <${F} iso=${a.end_date} /> · ${H(a.submission_count,"entry","entries")}`}
          >
            ${t&&a.status!=="closed"&&r`<${Cn} competitionId=${o} />`}
          <//>
          <div class="grid">
            <div class="stack">
              ${a.description&&r`<${g}><p class="prose" style="margin:0">${a.description}</p><//>`}
              ${a.status==="closed"&&r`<${Tn} competitionId=${o} />`}
              <${x} resource=${i} loadingText="Loading entries…">
                ${m=>r`
                  <section aria-labelledby="entries-title" class="stack" style="gap:14px">
                    <h2 id="entries-title">${H(m.submissions.length,"entry","entries")}</h2>
                    ${m.submissions.length===0?r`<${T}>No entries yet.${a.status==="active"?" Be the first!":""}<//>`:m.submissions.map($=>r`<${ss}
                            key=${$.submission_id}
                            entry=${$}
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
                <${Sn} competitionId=${o} onDone=${()=>{i.reload(),s.reload()}} />
              <//>`}
              ${!t&&a.status==="active"&&r`<${q}>to enter, like and comment<//>`}
              ${a.status==="upcoming"&&r`<${g} title="Not open yet"><p class="muted" style="margin:0">Entries open <${F} iso=${a.start_date} />.</p><//>`}
              <${g} title="How it works" label="how-title">
                <p class="small" style="margin:0">
                  Entries are accepted from <${F} iso=${a.start_date} /> until <${F} iso=${a.end_date} />.
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
  `}function ge(e){return String(e).trim().toLowerCase().replace(/[^a-z0-9]+/g,"-").replace(/^-+|-+$/g,"").slice(0,40)}function Mt({album:e}){let t=_o(`${e.artist}${e.title}`),o=`background: linear-gradient(135deg, hsl(${t} 38% 42%) 0%, hsl(${(t+40)%360} 45% 62%) 100%)`;return r`<div class="album-art" style=${o} aria-hidden="true">${e.artist}</div>`}function En({onCancel:e}){let t=M({title:"",artist:"",year:"",genre:""},async o=>{let s={title:o.title,artist:o.artist,genre:o.genre};String(o.year).trim()&&(s.year=Number(o.year));let i=await w("/users-reviews/albums",s);v(`"${i.title}" is in the catalog.`,{kind:"success"}),z(`/music/albums/${i.albumId}`)});return r`
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
  `}function is({query:e}){var u;let{user:t}=C(k),[o,s]=f(e.get("q")||""),[i,n]=f(o),[a,l]=f(!1);N(()=>{let p=setTimeout(()=>n(o.trim()),300);return()=>clearTimeout(p)},[o]);let c=y(()=>b(`/users-reviews/albums?limit=60${i?`&q=${encodeURIComponent(i)}`:""}`,{auth:!1}),[i]),d=[...new Set((((u=c.data)==null?void 0:u.albums)||[]).map(p=>p.genre))].sort();return r`
    <${E} title="Music" subtitle="Find albums, read what others think, and write your own review.">
      ${V(t)&&!a&&r`<button class="btn" type="button" onClick=${()=>l(!0)}>Add an album</button>`}
    <//>
    ${a&&r`<div style="margin-bottom:24px"><${En} onCancel=${()=>l(!1)} /></div>`}
    <form class="search" role="search" onSubmit=${p=>{p.preventDefault(),n(o.trim())}}>
      <label class="visually-hidden" for="album-search">Search albums</label>
      <input id="album-search" type="search" placeholder="Search by title or artist" value=${o}
        onInput=${p=>s(p.currentTarget.value)} />
      <button class="btn btn-secondary" type="submit">Search</button>
    </form>
    ${d.length>0&&r`<div class="chips" style="margin:16px 0 4px" aria-label="Genre rooms">
      <span class="muted small" style="align-self:center">Genre rooms:</span>
      ${d.map(p=>r`<a class="chip" href=${`#/music/genres/${ge(p)}`} key=${p}>${p}</a>`)}
    </div>`}
    <div style="margin-top:18px" aria-live="polite">
      <${x} resource=${c} loadingText="Loading albums…">
        ${p=>p.albums.length===0?r`<${T}>${i?`No album matches "${i}".`:"The catalog is empty so far."}<//>`:r`<div class="cards" data-testid="albums">
                ${p.albums.map(m=>r`
                    <a class="card card-link album-card" href=${`#/music/albums/${m.albumId}`} key=${m.albumId}>
                      <${Mt} album=${m} />
                      <h3 style="margin-bottom:2px">${m.title}</h3>
                      <p class="muted small" style="margin-bottom:6px">${m.artist}${m.year?` \xB7 ${m.year}`:""} · ${m.genre}</p>
                      <div class="row">
                        <${ce} value=${m.averageRating} />
                        <span class="small muted">${m.averageRating==null?"No reviews yet":`${m.averageRating.toFixed(1)} \xB7 ${H(m.reviewCount,"review")}`}</span>
                      </div>
                    </a>
                  `)}
              </div>`}
      <//>
    </div>
  `}var Rn=12,Ln=1e3;async function An(e,t,o){return(await b(`/forums/rooms?roomType=${e}&limit=200`,{auth:!1})).rooms.find(i=>String(i[t])===String(o))||null}function xe({kind:e,ref:t,canOpen:o}){let[s,i]=f({room:null,error:null,waiting:!0});return N(()=>{let n=!1,a=null,l={album:"albumId",genre:"genreId",game:"gameId"}[e],c=async d=>{try{let u=null;if(o&&e!=="game"?u=await w("/forums/rooms",e==="album"?{roomType:"album",albumId:t}:{roomType:"genre",genreId:t}):u=await An(e,l,t),n)return;if(u){i({room:u,error:null,waiting:!1});return}}catch(u){if(n)return;if(!(u instanceof P&&(u.status===404||u.status===409))){i({room:null,error:u,waiting:!1});return}}if(d+1>=Rn){i({room:null,error:null,waiting:!1});return}a=setTimeout(()=>c(d+1),Ln)};return i({room:null,error:null,waiting:!0}),c(0),()=>{n=!0,clearTimeout(a)}},[e,t,o]),s}var as=["5.0","4.5","4.0","3.5","3.0","2.5","2.0","1.5","1.0","0.5"];function In(e){let t=String(e??"").trim();if(t==="")return;let o=Number(t);return Number.isNaN(o)?t:o}function Fn({album:e}){let t=Math.max(...as.map(o=>e.ratingDistribution[o]||0),1);return r`
    <${g} title="Ratings" label="ratings-title">
      <table class="dist" aria-label="How many reviews gave each rating">
        <tbody>
          ${as.map(o=>{let s=e.ratingDistribution[o]||0;return r`
              <tr key=${o}>
                <th scope="row">${o}★</th>
                <td aria-hidden="true"><div class="bar"><span style=${`width:${100*s/t}%`}></span></div></td>
                <td style="text-align:right">${s}</td>
              </tr>
            `})}
        </tbody>
      </table>
    <//>
  `}function ls({albumId:e,review:t,onSaved:o,onCancel:s}){let i=t?{rating:String(t.rating),reviewText:t.reviewText}:{rating:"",reviewText:""},n=M(i,async(l,{reset:c})=>{let d={reviewText:l.reviewText},u=In(l.rating);u!==void 0&&(d.rating=u),t?(await et(`/users-reviews/reviews/${t.reviewId}`,d),v("Your review is updated.",{kind:"success"})):(await w("/users-reviews/reviews",{albumId:Number(e),...d}),c(),v("Thanks for your review!",{kind:"success"})),o()}),a=Number(n.values.rating);return r`
    <form class="form" onSubmit=${n.submit} ref=${n.ref} novalidate aria-label=${t?"Edit your review":"Write a review"}>
      <div class="row" style="align-items:flex-end">
        <div style="width:150px">
          <${_} form=${n} name="rating" label="Rating (0.5 to 5)" type="number" step="0.5" min="0.5" max="5"
            inputmode="decimal" required />
        </div>
        ${a>=.5&&a<=5&&r`<span style="padding-bottom:10px"><${ce} value=${a} /></span>`}
      </div>
      <${_} form=${n} name="reviewText" label="Your review" multiline rows="5"
        hint="What did you think? Up to 5000 characters." />
      <${O} form=${n} />
      <div class="form-actions">
        <${B} form=${n}>${t?"Save review":"Post review"}<//>
        ${s&&r`<button class="btn btn-ghost" type="button" onClick=${s}>Cancel</button>`}
      </div>
    </form>
  `}function Pn({review:e,albumId:t,onChanged:o}){let[s,i]=f(!1),[n,a]=f(!1),[l,c]=f(null),d=async()=>{c(null);try{await ee(`/users-reviews/reviews/${e.reviewId}`),v("Your review is deleted."),o()}catch(u){c(u instanceof P?u.summary:String(u))}};return s?r`<${ls} albumId=${t} review=${e} onCancel=${()=>i(!1)}
      onSaved=${()=>{i(!1),o()}} />`:r`
    <div data-testid="my-review">
      <div class="row"><${ce} value=${e.rating} /> <strong>${e.rating.toFixed(1)}</strong></div>
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
  `}function Nn({albumId:e,user:t}){let{room:o,error:s,waiting:i}=xe({kind:"album",ref:e,canOpen:!!t});return o?r`<${$e} roomId=${o.roomId} label="Album room messages" />`:s?r`<${ae} error=${s} />`:i?r`<p class="loading">Opening the album's room…</p>`:t?r`<${T}>The room is not open yet. Try again in a moment.<//>`:r`<${q}>to join the album's room<//>`}function cs({params:e}){var c;let{user:t}=C(k),o=e.id,s=y(()=>b(`/users-reviews/albums/${o}`,{auth:!1}),[o]),i=y(()=>b(`/users-reviews/reviews/album/${o}?limit=100`,{auth:!!t}),[o,t==null?void 0:t.user_id]),n=()=>{s.reload(),i.reload()},a=r`<a href="#/music">Music</a> › Album`,l=t&&((c=i.data)==null?void 0:c.my_review);return r`
    <${x} resource=${s} loadingText="Loading the album…">
      ${d=>r`
        <div class="card hero">
          <div class="hero-art"><${Mt} album=${d} /></div>
          <div class="hero-main">
            <${E} title=${d.title} crumbs=${a}
              subtitle=${r`${d.artist}${d.year?` \xB7 ${d.year}`:""} · <a href=${`#/music/genres/${ge(d.genre)}`}>${d.genre}</a>`} />
          </div>
          <div class="hero-rating">
            <span class="rating-big" data-testid="average">${d.averageRating==null?"\u2013":d.averageRating.toFixed(1)}</span>
            <div>
              <${ce} value=${d.averageRating} />
              <div class="small muted" data-testid="review-count">${d.reviewCount?H(d.reviewCount,"review"):"No reviews yet"}</div>
            </div>
          </div>
        </div>
        <div class="grid">
          <div class="stack">
            <${g} title=${l?"Your review":"Write a review"} label="my-review-title">
              ${!t&&r`<${q}>to review this album<//>`}
              ${t&&i.data&&(l?r`<${Pn} review=${l} albumId=${o} onChanged=${n} />`:r`<${ls} albumId=${o} onSaved=${n} />`)}
            <//>
            <${g} title="Reviews" label="reviews-title">
              <${x} resource=${i} loadingText="Loading reviews…">
                ${u=>u.reviews.length===0?r`<${T}>No reviews yet. Be the first to write one.<//>`:r`<ul class="list" data-testid="reviews">
                        ${u.reviews.map(p=>r`
                            <li class="review" key=${p.reviewId}>
                              <div class="who">
                                <${se} id=${p.userId} name=${p.username} />
                                <${ce} value=${p.rating} />
                                <span class="small muted"><${F} iso=${p.updatedAt} /></span>
                              </div>
                              ${p.reviewText&&r`<p class="prose" style="margin:8px 0 0">${p.reviewText}</p>`}
                            </li>
                          `)}
                      </ul>`}
              <//>
            <//>
          </div>
          <div class="stack">
            <${Fn} album=${d} />
            <${g} title="Album room" label="album-room-title"><${Nn} albumId=${o} user=${t} /><//>
          </div>
        </div>
      `}
    <//>
  `}var Z=["#2f5d62","#b8692e","#6d8fb3","#8a9a5b"];function Ot(e){return Number.isInteger(e)?String(e):Number(e).toFixed(2).replace(/0+$/,"")}function Se({items:e,title:t,unit:o=""}){if(!e.length)return r`<p class="empty">No data yet.</p>`;let s=560,i=30,n=150,a=e.length*i+8,l=Math.max(...e.map(d=>d.value),1),c=`${t}: ${e.map(d=>`${d.label} ${Ot(d.value)}${o}`).join(", ")}`;return r`
    <svg class="chart" viewBox=${`0 0 ${s} ${a}`} role="img" aria-label=${c}>
      ${e.map((d,u)=>{let p=u*i+4,m=Math.max((s-n-60)*d.value/l,2),$=d.label.length>20?`${d.label.slice(0,19)}\u2026`:d.label;return r`
          <g key=${d.label}>
            <text class="label" x="0" y=${p+16}>${$}</text>
            <rect x=${n} y=${p+2} width=${m} height="18" rx="4" fill=${Z[0]} />
            <text class="value" x=${n+m+8} y=${p+16}>${Ot(d.value)}${o}</text>
          </g>
        `})}
    </svg>
  `}function at({groups:e,series:t,title:o}){if(!e.length)return r`<p class="empty">No data yet.</p>`;let s=560,i=220,n=28,a=18,l=Math.max(...e.flatMap(m=>m.values),1),c=s/e.length,d=Math.min(28,(c-24)/t.length),u=m=>(i-n-a)*m/l,p=`${o}: ${e.map(m=>`${m.label}: ${t.map(($,h)=>`${m.values[h]} ${$}`).join(", ")}`).join("; ")}`;return r`
    <div>
      <svg class="chart" viewBox=${`0 0 ${s} ${i}`} role="img" aria-label=${p}>
        <line x1="0" x2=${s} y1=${i-n} y2=${i-n} stroke="#e2ddd5" />
        ${e.map((m,$)=>{let h=$*c+(c-d*t.length)/2;return r`
            <g key=${m.label}>
              ${m.values.map((R,S)=>{let D=Math.max(u(R),R?2:0),Y=h+S*d;return r`
                  <rect x=${Y+2} y=${i-n-D} width=${d-4} height=${D} rx="3"
                    fill=${Z[S%Z.length]} />
                  <text x=${Y+d/2} y=${i-n-D-4} text-anchor="middle">${Ot(R)}</text>
                `})}
              <text class="label" x=${$*c+c/2} y=${i-8} text-anchor="middle">${m.label}</text>
            </g>
          `})}
      </svg>
      <p class="legend" aria-hidden="true">
        ${t.map((m,$)=>r`<span><i style=${`background:${Z[$%Z.length]}`}></i>${m}</span>`)}
      </p>
    </div>
  `}function us({events:e,team1:t,team2:o}){let s=[{a:0,b:0},...e.map($=>({a:$.score_team_1,b:$.score_team_2}))];if(s.length<2)return r`<p class="empty">The chart fills in as the game is scored.</p>`;let i=560,n=180,a=24,l=Math.max(...s.flatMap($=>[$.a,$.b]),1),c=$=>a+(i-2*a)*$/(s.length-1),d=$=>n-a-(n-2*a)*$/l,u=$=>s.map((h,R)=>`${R?"L":"M"}${c(R)},${d(h[$])}`).join(" "),p=s[s.length-1],m=`Score over the game: ${t} ${p.a}, ${o} ${p.b}`;return r`
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
  `}function Bt({days:e,series:t,title:o}){if(!e.length)return r`<p class="empty">No data yet.</p>`;let s=560,i=220,n={left:34,right:12,top:14,bottom:28},a=Math.max(...t.flatMap(h=>h.values),1),l=e.length>1?(s-n.left-n.right)/(e.length-1):0,c=h=>n.left+l*h,d=h=>i-n.bottom-(i-n.top-n.bottom)*h/a,u=h=>h.map((R,S)=>`${S?"L":"M"}${c(S).toFixed(1)},${d(R).toFixed(1)}`).join(" "),p=[...new Set([0,Math.floor((e.length-1)/2),e.length-1])],m=t.map(h=>`${h.name} ${h.values.reduce((R,S)=>R+S,0)}`).join(", "),$=`${o}, ${e[0]} to ${e[e.length-1]}: in total ${m}`;return r`
    <div>
      <svg class="chart" viewBox=${`0 0 ${s} ${i}`} role="img" aria-label=${$}>
        <line x1=${n.left} x2=${s-n.right} y1=${i-n.bottom} y2=${i-n.bottom} stroke="#e2ddd5" />
        <text class="label" x=${n.left-6} y=${n.top+4} text-anchor="end">${a}</text>
        <text class="label" x=${n.left-6} y=${i-n.bottom} text-anchor="end">0</text>
        ${p.map(h=>r`<text class="label" key=${h} x=${c(h)} y=${i-8}
            text-anchor=${h===0?"start":h===e.length-1?"end":"middle"}>${e[h].slice(5)}</text>`)}
        ${t.map((h,R)=>r`<path key=${h.name} d=${u(h.values)} fill="none" stroke=${Z[R%Z.length]}
            stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round" />`)}
      </svg>
      <p class="legend" aria-hidden="true">
        ${t.map((h,R)=>r`<span key=${h.name}><i style=${`background:${Z[R%Z.length]}`}></i>${h.name}</span>`)}
      </p>
    </div>
  `}function lt({buckets:e,title:t}){if(!e.reduce((u,p)=>u+p.value,0))return r`<p class="empty">No data yet.</p>`;let s=560,i=170,n=24,a=16,l=Math.max(...e.map(u=>u.value),1),c=s/e.length,d=`${t}: ${e.map(u=>`${u.label} ${u.value}`).join(", ")}`;return r`
    <svg class="chart" viewBox=${`0 0 ${s} ${i}`} role="img" aria-label=${d}>
      <line x1="0" x2=${s} y1=${i-n} y2=${i-n} stroke="#e2ddd5" />
      ${e.map((u,p)=>{let m=(i-n-a)*u.value/l;return r`<g key=${u.label}>
          <rect x=${p*c+4} y=${i-n-m} width=${c-8} height=${m} rx="3" fill=${Z[2]} />
          ${u.value?r`<text x=${p*c+c/2} y=${i-n-m-4} text-anchor="middle">${u.value}</text>`:""}
          <text class="label" x=${p*c+c/2} y=${i-6} text-anchor="middle">${u.label}</text>
        </g>`})}
    </svg>
  `}function ds({params:e}){let{user:t}=C(k),o=ge(e.genre),{room:s,error:i,waiting:n}=xe({kind:"genre",ref:o,canOpen:!!t}),a=y(()=>b("/users-reviews/albums?limit=200",{auth:!1}),[]),l=y(()=>b("/analytics/reviews",{auth:!1}),[]),c=r`<a href="#/music">Music</a> › Genre`;return r`
    <${E} title=${`#${o}`} crumbs=${c} subtitle=${`Talk about ${o} music with everyone here now.`} />
    <div class="grid">
      <${g} title="Genre room" label="genre-room-title">
        ${s&&r`<${$e} roomId=${s.roomId} label="Genre room messages" />`}
        ${!s&&i&&r`<${ae} error=${i} />`}
        ${!s&&!i&&n&&r`<p class="loading">Opening the room…</p>`}
        ${!s&&!i&&!n&&(t?r`<${T}>This room is not open yet.<//>`:r`<${q}>to join the room<//>`)}
      <//>
      <${g} title="Albums" label="genre-albums-title">
        <${x} resource=${a}>
          ${d=>{let u=d.albums.filter(p=>ge(p.genre)===o);return u.length===0?r`<${T}>No albums in this genre yet.<//>`:r`<ul class="list">
                  ${u.map(p=>r`<li key=${p.albumId}>
                      <a href=${`#/music/albums/${p.albumId}`}><strong>${p.title}</strong></a>
                      <div class="row small muted">${p.artist} <${ce} value=${p.averageRating} /></div>
                    </li>`)}
                </ul>`}}
        <//>
        <h3 style="margin-top:16px">Ratings</h3>
        <${x} resource=${l}>
          ${d=>{let u=d.data.genres.find(m=>ge(m.genre)===o),p=Array.from({length:10},(m,$)=>String(($+1)/2));return u&&u.reviews?r`<${lt} title=${`Reviews of ${o} albums by stars`}
                  buckets=${p.map((m,$)=>({label:m,value:u.distribution[$]}))} />
                <p class="muted small">Average ${u.average_rating}★ over ${u.reviews} reviews, as of the last refresh.</p>`:r`<${T}>No ratings counted yet.<//>`}}
        <//>
      <//>
    </div>
  `}function ct(e){return y(async()=>{if(!e)return new Set;let t=await b(`/users/${e.user_id}/followings?limit=200`);return new Set(t.followings.map(String))},[e==null?void 0:e.user_id])}function ut({user:e,target:t,followings:o,onChange:s,small:i=!1}){let[n,a]=f(!1);if(!e||!o.data||String(t.id)===String(e.user_id))return null;let l=o.data.has(String(t.id)),c=async()=>{a(!0);try{l?(await ee(`/users/${e.user_id}/unfollow`,{unfollowUserId:Number(t.id)}),v(`You unfollowed ${t.name}.`)):(await w(`/users/${e.user_id}/follow`,{followUserId:Number(t.id)}),v(`You follow ${t.name} now.`)),o.setData(d=>{let u=new Set(d);return l?u.delete(String(t.id)):u.add(String(t.id)),u}),s&&s(!l)}catch(d){v(d instanceof P?d.summary:String(d))}finally{a(!1)}};return r`
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
  `}function Dn({tweet:e,user:t,onDeleted:o}){let[s,i]=f(!1),n=t&&e.userId===String(t.user_id),a=async()=>{i(!0);try{await ee(`/tweets/${e.tweetId}`),o(e.tweetId),v("Your post is deleted.")}catch(l){v(l instanceof P?l.summary:String(l)),i(!1)}};return r`
    <li class=${`tweet ${e.fresh?"fresh":""}`} data-testid="tweet" data-tweet-id=${e.tweetId}>
      <${le} name=${e.username} />
      <div class="tweet-body">
        <div class="tweet-head">
          <a href=${`#/users/${e.userId}`}>${e.username}</a>
          <span class="small muted"><${F} iso=${e.timestamp} /></span>
          ${n&&r`<${it} label="Delete this post" question="Delete this post?" busy=${s}
            onConfirm=${a} />`}
        </div>
        <p class="tweet-text">${e.content}</p>
      </div>
    </li>
  `}function dt({tweets:e,user:t,onDeleted:o,empty:s="Nothing here yet."}){return e.length?r`
    <ul class="list" data-testid="tweets" aria-live="polite">
      ${e.map(i=>r`<${Dn} key=${i.tweetId} tweet=${i} user=${t} onDeleted=${o} />`)}
    </ul>
  `:r`<${T}>${s}<//>`}var Mn=280;function On({onPosted:e}){let t=M({content:""},async(i,{reset:n})=>{let a=await w("/tweets",{content:i.content});n(),e(a)}),o=Mn-t.values.content.length,s=t.bind("content");return r`
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
  `}function Bn({user:e,followings:t}){var c;let[o,s]=f(""),[i,n]=f(""),a=y(()=>i?b(`/users?q=${encodeURIComponent(i)}&limit=10`,{auth:!1}):Promise.resolve(null),[i]),l=(((c=a.data)==null?void 0:c.users)||[]).filter(d=>d.user_id!==String(e.user_id));return r`
    <${g} title="Find people" label="find-people-title">
      <form class="search" role="search" onSubmit=${d=>{d.preventDefault(),n(o.trim().toLowerCase())}}>
        <label class="visually-hidden" for="people-search">Username starts with</label>
        <input id="people-search" type="search" placeholder="Username" value=${o}
          onInput=${d=>s(d.currentTarget.value)} />
        <button class="btn btn-secondary" type="submit">Find</button>
      </form>
      ${a.data&&(l.length===0?r`<p class="muted small" style="margin-top:12px">Nobody found.</p>`:r`<ul class="list" style="margin-top:12px">
            ${l.map(d=>r`<li class="row-between" key=${d.user_id}>
                <${se} id=${d.user_id} name=${d.username} />
                <${ut} user=${e} target=${{id:d.user_id,name:d.username}} followings=${t} small />
              </li>`)}
          </ul>`)}
    <//>
  `}function ms(){let{user:e}=C(k),t=ct(e),o=y(()=>e?b(`/tweets/homeTimeline/${e.user_id}?limit=30`):Promise.resolve(null),[e==null?void 0:e.user_id]),[s,i]=f(!1),n=(c,d=!0)=>o.setData(u=>{if(!u||u.tweets.some(m=>m.tweetId===c.tweetId))return u;let p=[{...c,fresh:d},...u.tweets].sort((m,$)=>Number($.tweetId)-Number(m.tweetId));return{...u,tweets:p}}),a=c=>o.setData(d=>d&&{...d,tweets:d.tweets.filter(u=>u.tweetId!==String(c))});X({enabled:!!e,path:"/tweets/live",auth:"required",onFrame:c=>{c.type==="tweet"?n(c):c.type==="tweet_deleted"?a(c.tweetId):(c.type==="reload"||c.type==="follows_changed")&&o.reload()}},[e==null?void 0:e.user_id]);let l=async()=>{i(!0);try{let c=await b(`/tweets/homeTimeline/${e.user_id}?limit=30&before=${o.data.next_cursor}`);o.setData(d=>({tweets:[...d.tweets,...c.tweets],next_cursor:c.next_cursor}))}finally{i(!1)}};return e?r`
    <${E} title="Timeline" subtitle="Short posts from you and the people you follow, as they happen." />
    <div class="grid">
      <div class="stack">
        <${g}><${On} onPosted=${c=>n(c,!1)} /><//>
        <${g} title="Home" label="home-title">
          <${x} resource=${o} loadingText="Loading your timeline…">
            ${c=>r`
              <${dt} tweets=${c.tweets} user=${e} onDeleted=${a}
                empty="Nothing here yet. Follow people to fill your timeline." />
              ${c.next_cursor&&r`<div style="margin-top:14px"><button class="btn btn-secondary" type="button" disabled=${s}
                onClick=${l}>${s?"Loading\u2026":"Load older posts"}</button></div>`}
            `}
          <//>
        <//>
      </div>
      <div class="stack">
        <${Bn} user=${e} followings=${t} />
        <${g} title="You follow" label="you-follow-title">
          ${t.data&&t.data.size===0?r`<${T}>You don't follow anyone yet.<//>`:r`<p class="muted small" style="margin:0">
                ${t.data?`${H(t.data.size,"person","people")}.`:""} <a href=${"#/profile"}>See them on your profile</a>.
              </p>`}
        <//>
      </div>
    </div>
  `:r`
      <${E} title="Timeline" subtitle="Short posts from the people you follow, as they happen." />
      <${q}>to see your timeline<//>
    `}function De({page:e,emptyText:t}){return e.users.length?r`
    <ul class="list">
      ${e.users.map(o=>r`<li key=${o.user_id}><${se} id=${o.user_id} name=${o.username} /></li>`)}
    </ul>
  `:r`<${T}>${t}<//>`}function ps({params:e}){let{user:t}=C(k),o=e.id,s=y(()=>b(`/users/profile/${o}`,{auth:!1}),[o]),i=y(()=>b(`/tweets/userTimeline/${o}?limit=50`,{auth:!1}),[o]),n=y(()=>b(`/users/${o}/followers?limit=20`,{auth:!1}),[o]),a=y(()=>b(`/users/${o}/followings?limit=20`,{auth:!1}),[o]),l=ct(t),c=()=>{s.reload(),n.reload()},d=u=>i.setData(p=>({...p,tweets:p.tweets.filter(m=>m.tweetId!==u)}));return r`
    <${x} resource=${s} loadingText="Loading the profile…">
      ${u=>r`
        <div class="card" style="margin-bottom:24px">
          <div class="row" style="gap:18px;align-items:flex-start">
            <${le} name=${u.username} src=${u.profile_picture} large />
            <div style="flex:1;min-width:200px">
              <${E} title=${u.username}
                subtitle=${r`Joined <${F} iso=${u.created_at} time=${!1} />${u.role==="admin"?r` · <${j} kind="primary">Admin<//>`:""}`}>
                <${ut} user=${t} target=${{id:u.userId,name:u.username}} followings=${l} onChange=${c} />
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
              ${p=>r`<${dt} tweets=${p.tweets} user=${t} onDeleted=${d}
                empty=${`${u.username} has not posted yet.`} />`}
            <//>
          <//>
          <div class="stack">
            <${g} title=${`Followers (${u.followers_count})`} label="followers-title">
              <${x} resource=${n}>${p=>r`<${De} page=${p} emptyText="No followers yet." />`}<//>
            <//>
            <${g} title=${`Following (${u.followings_count})`} label="following-title">
              <${x} resource=${a}>${p=>r`<${De} page=${p} emptyText="Follows nobody yet." />`}<//>
            <//>
          </div>
        </div>
      `}
    <//>
  `}var Hn={live:["live","Live"],paused:["warning","Paused"],scheduled:["primary","Scheduled"],finished:["","Final"],postponed:["warning","Postponed"],cancelled:["danger","Cancelled"]};function Me({game:e}){let[t,o]=Hn[e.status]||["",e.status];return r`<${j} kind=${t}>${o}${e.status==="live"&&e.current_period?` \xB7 ${e.current_period}`:""}<//>`}function Ht(e,t){if(t.type==="snapshot")return{...t.game};if(!e)return e;if(t.type==="score"&&t.version>=(e.version||0))return{...e,version:t.version,score_team_1:t.score_team_1,score_team_2:t.score_team_2,status:t.status,current_period:t.current_period,period_running:t.period_running};if(t.type==="event"&&t.event){let o=e.event_details||[];return o.some(s=>s.event_id===t.event.event_id)?e:{...e,event_details:[...o,t.event]}}return e}function $s({initial:e}){let[t,o]=f(e);return X({path:`/sports/games/${e.game_id}/live`,auth:"optional",onFrame:s=>o(i=>Ht(i,s))},[e.game_id]),r`
    <a class="card card-link score-card" href=${`#/sports/games/${t.game_id}`} data-testid="score-card"
      aria-label=${`${t.team_1} ${t.score_team_1}, ${t.team_2} ${t.score_team_2}, ${t.status}`}>
      <div class="row-between">
        <span class="small muted">${t.sport_category}</span>
        <${Me} game=${t} />
      </div>
      <div class="scoreline">
        <span class="team">${t.team_1}</span>
        <span class="score" data-testid="score">${t.score_team_1} – ${t.score_team_2}</span>
        <span class="team">${t.team_2}</span>
      </div>
      <span class="small muted">Started <${F} iso=${t.started_at||t.start_time} /></span>
    </a>
  `}function mt(e){return y(async()=>e?(await b("/sports/teams/following?limit=200")).data:[],[e==null?void 0:e.user_id])}function Oe({team:e,followed:t,small:o=!0,compact:s=!1}){let[i,n]=f(!1);if(!t.data)return null;let a=t.data.some(c=>c.team.toLowerCase()===e.toLowerCase());return r`
    <button class=${`btn btn-secondary ${o?"btn-sm":""}`} type="button" disabled=${i}
      aria-pressed=${a?"true":"false"} onClick=${async()=>{n(!0);try{a?await ee("/sports/teams/follow",{team:e}):await w("/sports/teams/follow",{team:e}),v(a?`You unfollowed ${e}.`:`You follow ${e}: you will hear about its scores.`),await t.reload()}catch(c){v(c instanceof P?c.summary:String(c))}finally{n(!1)}}}
      aria-label=${a?`Unfollow ${e}`:`Follow ${e}`}>
      ${s?a?"Unfollow":"Follow":a?`Following ${e}`:`Follow ${e}`}
    </button>
  `}var qn=3e4,Un=[["all","All time"],["24h","Last 24 hours"],["7d","Last 7 days"],["4w","Last 4 weeks"]];function Yn({onDone:e}){let t=M({category_name:""},async(o,{reset:s})=>{let i=await w("/sports/categories",o);return s(),e(),`"${i.data.category_name}" is added.`});return r`
    <form class="form" onSubmit=${t.submit} ref=${t.ref} novalidate aria-label="New category">
      <${_} form=${t} name="category_name" label="Category name" required hint="For example: Football" />
      <${O} form=${t} />
      <div class="form-actions"><${B} form=${t} busyText="Adding…">Add category<//></div>
    </form>
  `}function Wn({categories:e}){var s;let t=new Date;t.setSeconds(0,0);let o=M({category_id:((s=e[0])==null?void 0:s.category_id)||"",team_1:"",team_2:"",start_time:Le(t)},async i=>{let n=await w("/sports/games",{...i,start_time:Ae(i.start_time)});v(`${n.data.team_1} v ${n.data.team_2} is scheduled.`,{kind:"success"}),z(`/sports/games/${n.data.game_id}`)},{labels:{team_1:"the home team",team_2:"the away team",start_time:"the start"}});return e.length?r`
    <form class="form" onSubmit=${o.submit} ref=${o.ref} novalidate aria-label="New game">
      <${Ne} form=${o} name="category_id" label="Category"
        options=${e.map(i=>[i.category_id,i.category_name])} />
      <div class="form-row">
        <${_} form=${o} name="team_1" label="Home team" required />
        <${_} form=${o} name="team_2" label="Away team" required />
      </div>
      <${_} form=${o} name="start_time" label="Starts" type="datetime-local" required />
      <${O} form=${o} />
      <div class="form-actions"><${B} form=${o} busyText="Scheduling…">Create game<//></div>
    </form>
  `:r`<p class="muted">Add a category first.</p>`}function jn({category:e}){let[t,o]=f("all"),s=y(()=>b(`/sports/analytics?time_range=${t}${e?`&sport_category=${encodeURIComponent(e)}`:""}`,{auth:!1}),[t,e]);return r`
    <${g}
      title="Analytics"
      label="analytics-title"
      actions=${r`
        <label class="visually-hidden" for="range">Time range</label>
        <select id="range" value=${t} onChange=${i=>o(i.currentTarget.value)} style="min-height:34px;padding:4px 8px">
          ${Un.map(([i,n])=>r`<option value=${i} selected=${i===t}>${n}</option>`)}
        </select>
      `}
    >
      <${x} resource=${s} loadingText="Crunching numbers…">
        ${i=>{let n=i.data,a=(c,d)=>{var u;return((u=c.metrics.find(p=>p.metric_name===d))==null?void 0:u.value)||0},l=n.detailed_reports.map(c=>({label:c.report_name.replace(/ \(.*\)$/,""),values:[a(c,"games"),a(c,"events"),a(c,"scoring_events")]}));return r`
            <p class="muted small" data-testid="analytics-as-of">
              ${n.as_of?r`As of <${F} iso=${n.as_of} /> (the warehouse refreshes every few minutes)`:"Not computed yet: the warehouse has not been refreshed."}
            </p>
            <div class="stats" style="margin-bottom:16px">
              <div class="stat"><strong>${n.analytics_summary.total_events}</strong><span>games</span></div>
              <div class="stat"><strong>${n.analytics_summary.total_game_events}</strong><span>game events</span></div>
              <div class="stat"><strong>${n.analytics_summary.average_score}</strong><span>average score per team</span></div>
            </div>
            <h3>Top teams by average score</h3>
            <${Se} title="Top teams by average score"
              items=${n.analytics_summary.top_teams.map(c=>({label:c.team_name,value:c.average_score}))} />
            <h3 style="margin-top:18px">Activity per category</h3>
            <${at} title="Activity per category" groups=${l} series=${["games","events","scoring events"]} />
          `}}
      <//>
    <//>
  `}function Gn({user:e,followed:t}){var c;let[o,s]=f(""),[i,n]=f(null),a=y(()=>b("/sports/teams?limit=200",{auth:!1}),[]),l=async d=>{if(d.preventDefault(),n(null),!o.trim()){n("Type a team name.");return}try{await w("/sports/teams/follow",{team:o.trim()}),v(`You follow ${o.trim()}: you will hear about its scores.`),s(""),t.reload()}catch(u){n(u.summary||String(u))}};return e?r`
    <${g} title="Teams you follow" label="teams-title">
      <${x} resource=${t}>
        ${d=>d.length===0?r`<p class="muted small">You follow no team yet. Their score changes reach your bell.</p>`:r`<ul class="list" style="margin-bottom:12px">
                ${d.map(u=>r`<li class="row-between" key=${u.team_id}>
                  <strong>${u.team}</strong>
                  <${Oe} team=${u.team} followed=${t} compact />
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
  `:r`<${g} title="Teams you follow"><${q}>to follow teams<//><//>`}var zn=[["Live",e=>e.status==="live"||e.status==="paused",1],["Upcoming",e=>["scheduled","postponed","cancelled"].includes(e.status),1],["Final",e=>e.status==="finished",-1]];function Vn({games:e}){return zn.map(([t,o,s])=>{let i=e.filter(o).sort((n,a)=>s*(Date.parse(n.start_time)-Date.parse(a.start_time))||n.game_id-a.game_id);return i.length===0?null:r`
      <section class="schedule-group" aria-label=${t} data-testid=${`schedule-${t.toLowerCase()}`}>
        <h3 class="small muted">${t}</h3>
        <ul class="list">
          ${i.map(n=>r`
            <li class="row-between" key=${n.game_id}>
              <div>
                <a href=${`#/sports/games/${n.game_id}`}><strong>${n.team_1} v ${n.team_2}</strong></a>
                <div class="small muted">${n.sport_category} · <${F} iso=${n.start_time} /></div>
              </div>
              <div class="row">
                ${n.status!=="scheduled"&&r`<span class="score" style="font-size:1.1rem">${n.score_team_1} – ${n.score_team_2}</span>`}
                <${Me} game=${n} />
              </div>
            </li>`)}
        </ul>
      </section>
    `})}function fs({query:e}){var p;let{user:t}=C(k),o=e.get("category")||"",s=y(()=>b("/sports/categories",{auth:!1}),[]),i=o?`sport_category=${encodeURIComponent(o)}`:"",n=y(()=>b(`/sports/ongoing-events?limit=12&${i}`,{auth:!1}),[o]),a=y(()=>b(`/sports/games?limit=15&${i}`,{auth:!1}),[o]),l=mt(t),[c,d]=f(null);N(()=>{let m=setInterval(()=>{n.reload(),a.reload()},qn);return()=>clearInterval(m)},[o]);let u=((p=s.data)==null?void 0:p.data)||[];return r`
    <${E} title="Sports" subtitle="Live scores, game chat and numbers from every game.">
      ${V(t)&&r`<button class="btn btn-secondary" type="button" aria-expanded=${c==="category"?"true":"false"}
        onClick=${()=>d(c==="category"?null:"category")}>New category</button>`}
      ${st(t)&&r`<button class="btn" type="button" aria-expanded=${c==="game"?"true":"false"}
        onClick=${()=>d(c==="game"?null:"game")}>New game</button>`}
    <//>
    ${c==="category"&&r`<div style="margin-bottom:24px"><${g} title="New category"><${Yn} onDone=${s.reload} /><//></div>`}
    ${c==="game"&&r`<div style="margin-bottom:24px"><${g} title="New game"><${Wn} categories=${u} /><//></div>`}
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
            ${m=>m.data.length===0?r`<${T}>No game is being played right now.<//>`:r`<div class="cards" data-testid="live-games">
                    ${m.data.map($=>r`<${$s} key=${$.game_id} initial=${$} />`)}
                  </div>`}
          <//>
        </section>
        <${jn} category=${o} />
      </div>
      <div class="stack">
        <${Gn} user=${t} followed=${l} />
        <${g} title="Schedule and results" label="schedule-title">
          <${x} resource=${a}>
            ${m=>m.data.length===0?r`<${T}>No games yet.<//>`:r`<${Vn} games=${m.data} />`}
          <//>
        <//>
      </div>
    </div>
  `}var Kn=[["period_start","Start a period"],["goal","Goal"],["point","Points"],["card","Card"],["substitution","Substitution"],["note","Note"],["pause","Pause"],["resume","Resume"],["period_end","End the period"],["final","Final whistle"],["postpone","Postpone"],["cancel","Cancel"]],qt=new Set(["goal","point"]);function Jn({game:e}){let t=e.status==="scheduled"?"period_start":"goal",o=M({event_type:t,team:"team_1",points:"",description:"",period:""},async(n,{setValues:a})=>{let l={event_type:n.event_type};n.team&&(l.team=n.team),String(n.points).trim()&&(l.points=Number(n.points)),n.description.trim()&&(l.description=n.description.trim()),n.period.trim()&&(l.period=n.period.trim());let c=await w(`/sports/games/${e.game_id}/events`,l);return a(d=>({...d,description:"",points:"",period:""})),`Recorded: ${c.data.event.description}`}),s=o.values.event_type,i=[["","No team"],["team_1",e.team_1],["team_2",e.team_2]];return r`
    <form class="form" onSubmit=${o.submit} ref=${o.ref} novalidate aria-label="Record an event">
      <div class="form-row">
        <${Ne} form=${o} name="event_type" label="What happened" options=${Kn} />
        <${Ne} form=${o} name="team" label="Team" options=${i} />
      </div>
      <div class="form-row">
        ${qt.has(s)&&r`<${_} form=${o} name="points" label="Points" type="number" min="1" hint="Default 1" />`}
        ${s==="period_start"&&r`<${_} form=${o} name="period" label="Period name" hint="Default: Period N" />`}
        <${_} form=${o} name="description" label="Description" hint="Optional" />
      </div>
      <${O} form=${o} />
      <div class="form-actions"><${B} form=${o} busyText="Recording…">Record event<//></div>
    </form>
  `}function Xn({events:e}){if(!e.length)return r`<${T}>Nothing has happened yet.<//>`;let t=[...e].reverse();return r`
    <ol class="list events" data-testid="events" aria-live="polite">
      ${t.map(o=>r`
          <li key=${o.event_id}>
            <span class=${`kind ${qt.has(o.event_type)?"scoring":""}`}>${o.event_type.replace("_"," ")}</span>
            <span>${o.description}<span class="small muted"> · ${o.period||""}</span></span>
            <span class="at">${o.score_team_1}–${o.score_team_2}</span>
          </li>
        `)}
    </ol>
  `}function Zn({gameId:e}){let{room:t,error:o,waiting:s}=xe({kind:"game",ref:e,canOpen:!1});return t?r`<${$e} roomId=${t.roomId} label="Game chat messages" />`:o?r`<${ae} error=${o} />`:s?r`<p class="loading">Opening the chatroom…</p>`:r`<${T}>The chatroom is not open yet.<//>`}function hs({params:e}){let{user:t}=C(k),o=e.id,s=y(async()=>(await b(`/sports/games/${o}`,{auth:!1})).data,[o]),i=mt(t);X({path:`/sports/games/${o}/live`,auth:"optional",onFrame:a=>{a.type==="reload"?s.reload():s.setData(l=>Ht(l,a))}},[o]);let n=r`<a href="#/sports">Sports</a> › Game`;return r`
    <${x} resource=${s} loadingText="Loading the game…">
      ${a=>r`
        <${E} title=${`${a.team_1} v ${a.team_2}`} crumbs=${n}
          subtitle=${r`${a.sport_category} · starts <${F} iso=${a.start_time} />`} />
        <div class="card scoreboard" style="margin-bottom:24px" data-testid="scoreboard">
          <div class="row-between" style="margin-bottom:10px">
            <${Me} game=${a} />
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
            <${g} title="Events" label="events-title"><${Xn} events=${a.event_details||[]} /><//>
            <${g} title="Score over the game" label="chart-title">
              <${us} events=${(a.event_details||[]).filter(l=>qt.has(l.event_type))}
                team1=${a.team_1} team2=${a.team_2} />
            <//>
            ${st(t)&&!["finished","cancelled"].includes(a.status)&&r`<${g} title="Record an event" label="record-title"><${Jn} game=${a} /><//>`}
          </div>
          <div class="stack">
            <${g} title="Follow the teams" label="follow-teams-title">
              ${t?r`<div class="row">
                    <${Oe} team=${a.team_1} followed=${i} />
                    <${Oe} team=${a.team_2} followed=${i} />
                  </div>
                  <p class="small muted" style="margin:10px 0 0">Score changes of the teams you follow reach your bell.</p>`:r`<${q}>to follow these teams<//>`}
            <//>
            <${g} title="Game chat" label="game-chat-title"><${Zn} gameId=${o} /><//>
          </div>
        </div>
      `}
    <//>
  `}var Qn=[[7,"Last 7 days"],[30,"Last 30 days"],[90,"Last 90 days"]],er=[["active_users","active members"],["new_users","new members"]],gs=[["posts","posts"],["reviews","reviews"],["votes","votes"],["entries","entries"],["likes","likes"],["chat_messages","chat messages"]],tr=Array.from({length:10},(e,t)=>String((t+1)/2));function or(e){return e.toISOString().slice(0,10)}function bs(e,t){return t.map(([o,s])=>({name:s,values:e[o]}))}function sr({onDone:e}){let[t,o]=f(!1);return r`<button class="btn btn-sm" type="button" onClick=${async()=>{o(!0);try{let i=(await w("/analytics/refresh")).data;v(`Refreshed: ${i.rows_changed} rows changed in ${i.seconds.toFixed(2)} s.`,{kind:"success"}),e()}catch(i){v(i.summary||String(i),{kind:"error"})}finally{o(!1)}}} disabled=${t} data-testid="refresh">
    ${t?"Refreshing\u2026":"Refresh now"}
  </button>`}function nr({data:e}){let t=e.daily,o=gs.map(([n,a])=>[a,t[n].reduce((l,c)=>l+c,0)]),s=e.genres.map(n=>({label:n.genre,value:n.average_rating})),i=tr.map((n,a)=>({label:n,value:e.genres.reduce((l,c)=>l+c.distribution[a],0)}));return r`
    <div class="stats" style="margin-bottom:16px">
      ${o.map(([n,a])=>r`<div class="stat" key=${n}><strong>${a}</strong><span>${n}</span></div>`)}
    </div>
    <div class="grid insights">
      <${g} title="Members, day by day" label="members-title">
        <${Bt} title="Members, day by day" days=${t.days} series=${bs(t,er)} />
      <//>
      <${g} title="Activity, day by day" label="activity-title">
        <${Bt} title="Activity, day by day" days=${t.days} series=${bs(t,gs.slice(0,4))} />
      <//>
      <${g} title="Best-rated albums" label="albums-title">
        <${Se} title="Best-rated albums" unit="★"
          items=${e.top_albums.map(n=>({label:n.title,value:n.average_rating}))} />
      <//>
      <${g} title="Ratings" label="ratings-title">
        <h3>Average per genre</h3>
        <${Se} title="Average rating per genre" unit="★" items=${s} />
        <h3 style="margin-top:14px">All reviews by stars</h3>
        <${lt} title="Reviews by rating" buckets=${i} />
      <//>
      <${g} title="Most followed members" label="followed-title">
        <${Se} title="Most followed members"
          items=${e.most_followed.map(n=>({label:`member #${n.user_id}`,value:n.followers}))} />
      <//>
      <${g} title="Competitions" label="competitions-title">
        <${at} title="Competition participation" series=${["entries","entrants","likes","comments"]}
          groups=${e.competitions.map(n=>({label:n.title.slice(0,18),values:[n.entries,n.entrants,n.likes,n.comments]}))} />
      <//>
      <${g} title="Books of the month" label="books-title">
        ${e.books_of_the_month.length===0?r`<${T}>No poll has closed yet.<//>`:r`<ul class="list">
              ${e.books_of_the_month.map(n=>r`<li class="row-between" key=${n.poll_id}>
                  <span><strong>${n.title}</strong> · ${n.author}</span>
                  <span class="muted small">${re(n.month)} · ${n.votes} of ${n.total_votes} votes</span>
                </li>`)}
            </ul>`}
      <//>
    </div>
  `}function ys(){let{user:e}=C(k),[t,o]=f(30),[s,i]=f(null),n=y(async()=>{if(!V(e))return null;if(!s){let c=await b("/analytics/overview");if(i(c.data.to),t===30)return c}let a=s||(await b("/analytics/overview")).data.to,l=or(new Date(Date.parse(`${a}T00:00:00Z`)-(t-1)*864e5));return b(`/analytics/overview?from=${l}&to=${a}`)},[t,e==null?void 0:e.user_id]);return e?V(e)?r`
    <${E} title="Insights" subtitle="How the community is doing, from the warehouse.">
      <label class="visually-hidden" for="span">Period</label>
      <select id="span" value=${t} onChange=${a=>o(Number(a.currentTarget.value))} style="min-height:34px;padding:4px 8px">
        ${Qn.map(([a,l])=>r`<option value=${a} selected=${a===t}>${l}</option>`)}
      </select>
      <${sr} onDone=${n.reload} />
    <//>
    <${x} resource=${n} loadingText="Reading the warehouse…">
      ${a=>r`
        <p class="muted small" data-testid="as-of">
          ${a.data.as_of?r`As of <${F} iso=${a.data.as_of} />`:"The warehouse has not been refreshed yet."}
        </p>
        <${nr} data=${a.data} />
      `}
    <//>
  `:r`<${E} title="Insights" /><${T}>Insights are for admins.<//>`:r`<${E} title="Insights" /><${q}>as an admin to see insights<//>`}var rr={like:"Like",comment:"Comment",reply:"Reply",placement:"Results",new_submission:"New entry",score_update:"Score",news:"News",follow:"Follower",book_of_the_month:"Bookclub",review:"Review"};function Ut(e){let t=e.data||{};return t.competition_id?`/competitions/${t.competition_id}`:t.thread_id?`/bookclub/threads/${t.thread_id}`:t.game_id?`/sports/games/${t.game_id}`:t.follower_id?`/users/${t.follower_id}`:t.album_id?`/music/albums/${t.album_id}`:e.type==="book_of_the_month"?"/bookclub":null}function _s(){let{user:e}=C(k),{items:t,unread:o,loaded:s}=C(te),[i,n]=f(!1),a=async c=>{c.read||await Ao(c.notification_id).catch(()=>null);let d=Ut(c);d&&z(d)},l=async()=>{n(!0);try{await Io(),v("All caught up.")}finally{n(!1)}};return e?r`
    <${E} title="Notifications" subtitle=${o?`${H(o,"unread notification")}.`:"You are all caught up."}>
      <button class="btn btn-secondary" type="button" disabled=${i||!o} onClick=${l}>Mark all as read</button>
    <//>
    <${g}>
      ${s?t.length===0?r`<${T}>Nothing yet. Likes, comments, results and scores of the teams you follow show up here.<//>`:r`<ul class="list" data-testid="notifications" aria-live="polite">
              ${t.map(c=>r`
                  <li class=${`notice ${c.read?"":"unread"}`} key=${c.notification_id} data-testid="notification">
                    <span class="dot" aria-hidden="true"></span>
                    <div class="notice-body">
                      <div class="type-tag">${rr[c.type]||c.type}${c.read?"":r`<span class="visually-hidden"> (unread)</span>`}</div>
                      <div class="notice-text">${c.message}</div>
                      <div class="small muted"><${F} iso=${c.created_at} /></div>
                    </div>
                    ${(Ut(c)||!c.read)&&r`<button class="btn btn-ghost btn-sm" type="button" onClick=${()=>a(c)}>
                      ${Ut(c)?"Open":"Mark read"}
                    </button>`}
                  </li>
                `)}
            </ul>`:r`<${ie} text="Loading notifications…" />`}
    <//>
  `:r`<${E} title="Notifications" /><${q}>to see your notifications<//>`}var pt=[["like","Likes on my entries"],["comment","Comments on my entries"],["reply","Replies to my comments and threads"],["placement","My places in results"],["new_submission","New entries where I subscribed"],["score_update","Scores of teams I follow"],["follow","New followers"],["news","News"]];function ir({user:e}){let t=M({bio:e.bio||"",profile_picture:e.profile_picture||""},async o=>{let s=await tt("/users/profile",o);return Rt(s),"Your profile is saved."});return r`
    <form class="form" onSubmit=${t.submit} ref=${t.ref} novalidate aria-label="About you">
      <${_} form=${t} name="bio" label="Bio" multiline rows="4" hint="Up to 500 characters." />
      <${_} form=${t} name="profile_picture" label="Picture URL" type="url"
        hint="An http(s) address of an image, or empty for your initials." />
      <${O} form=${t} />
      <div class="form-actions"><${B} form=${t}>Save profile<//></div>
    </form>
  `}function ar({user:e}){var i;let t=((i=e.preferences)==null?void 0:i.notifications)||{enabled:!0,types:pt.map(([n])=>n)},o={enabled:t.enabled};for(let[n]of pt)o[n]=t.types.includes(n);let s=M(o,async n=>{let a=pt.map(([c])=>c).filter(c=>n[c]),l=await et(`/users/${e.user_id}/preferences/notifications`,{enabled:n.enabled,types:a});return Rt({preferences:{notifications:l.data}}),"Your notification preferences are saved."});return r`
    <form class="form" onSubmit=${s.submit} ref=${s.ref} novalidate aria-label="Notification preferences">
      <${he} form=${s} name="enabled" label="Send me notifications" />
      <fieldset class="checks" disabled=${!s.values.enabled}>
        <legend>Tell me about</legend>
        ${pt.map(([n,a])=>r`<${he} form=${s} name=${n} label=${a} />`)}
      </fieldset>
      <${O} form=${s} />
      <div class="form-actions"><${B} form=${s}>Save preferences<//></div>
    </form>
  `}function vs(){let{user:e}=C(k),t=y(()=>e?b("/users/profile"):Promise.resolve(null),[e==null?void 0:e.user_id]),o=y(()=>e?b(`/users/${e.user_id}/followers?limit=50`):Promise.resolve(null),[e==null?void 0:e.user_id]),s=y(()=>e?b(`/users/${e.user_id}/followings?limit=50`):Promise.resolve(null),[e==null?void 0:e.user_id]),i=y(()=>e?b("/users/profile/submissions?limit=20"):Promise.resolve(null),[e==null?void 0:e.user_id]);return e?r`
    <${x} resource=${t} loadingText="Loading your profile…">
      ${n=>r`
        <div class="card" style="margin-bottom:24px">
          <div class="row" style="gap:18px;align-items:flex-start">
            <${le} name=${n.username} src=${n.profile_picture} large />
            <div style="flex:1;min-width:200px">
              <${E} title=${n.username}
                subtitle=${r`${n.email||"No email"} · joined <${F} iso=${n.created_at} time=${!1} /> ·
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
            <${g} title="About you" label="about-title"><${ir} user=${n} /><//>
            <${g} title="Notifications" label="prefs-title"><${ar} user=${n} /><//>
            <${g} title="Your competition entries" label="entries-title">
              <${x} resource=${i}>
                ${a=>!a||a.length===0?r`<${T}>You have not entered a competition yet. <a href="#/competitions">See what is open</a>.<//>`:r`<ul class="list">
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
              <${x} resource=${o}>${a=>r`<${De} page=${a} emptyText="No followers yet." />`}<//>
            <//>
            <${g} title=${`Following (${n.followings_count})`} label="my-following-title">
              <${x} resource=${s}>${a=>r`<${De} page=${a} emptyText="You follow nobody yet. Find people on the timeline." />`}<//>
            <//>
            <${g} title="Download my data" label="export-title"><${Yo} /><//>
            <${g} title="Delete my account" label="delete-title"><${Wo} /><//>
          </div>
        </div>
      `}
    <//>
  `:r`<${E} title="Your profile" /><${q}>to see your profile<//>`}function ws(){return r`
    <${E} title="Page not found" subtitle="There is nothing at this address." />
    <p><a class="btn" href="#/bookclub">Go to the bookclub</a></p>
  `}function lr({spans:e}){let t=new Set(e.map(l=>l.span_id)),o=new Map;for(let l of e){let c=t.has(l.parent_id)?l.parent_id:null;o.has(c)||o.set(c,[]),o.get(c).push(l)}let s=Math.min(...e.map(l=>l.start_ns)),i=Math.max(Math.max(...e.map(l=>l.end_ns))-s,1),n=[],a=(l,c)=>{n.push({span:l,depth:c});for(let d of o.get(l.span_id)||[])a(d,c+1)};for(let l of o.get(null)||[])a(l,0);return r`
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
  `}function cr({traceId:e}){let t=y(()=>me(`/admin/traces/${e}`,{base:""}),[e]);return t.error?r`<${ae} error=${t.error} retry=${t.reload} />`:t.data===void 0?r`<${ie} text="Loading the trace…" />`:r`<${lr} spans=${t.data.spans} />`}function ur({request:e}){let[t,o]=f(!1),s=e.status>=500;return r`
    <li class="request-row" data-testid="slow-request">
      <div class="request-line">
        <${j} kind=${s?"danger":"warning"}>${e.status}<//>
        <code>${e.method} ${e.path}</code>
        <span>${e.duration_ms} ms</span>
        <span class="muted">${e.instance||e.service}</span>
        <span class="muted"><${F} iso=${e.at} /></span>
        ${e.traced?r`<button class="link-btn" type="button" aria-expanded=${t?"true":"false"}
              onClick=${()=>o(!t)}>${t?"Hide trace":"Show trace"}</button>`:r`<span class="muted">${e.trace_id?"trace not sampled":"no trace"}</span>`}
      </div>
      <p class="muted request-ids">request ${e.request_id}${e.trace_id?` \xB7 trace ${e.trace_id}`:""}</p>
      ${t&&r`<${cr} traceId=${e.trace_id} />`}
    </li>
  `}function ks({query:e}){let{user:t}=C(k),o=V(t),s=e.get("slow"),i=`/admin/requests${s?`?slow=${encodeURIComponent(s)}`:""}`,n=y(()=>o?me(i,{base:""}):Promise.resolve(null),[o,i]);return t?o?r`
    <${E}
      title="Slow and failed requests"
      subtitle="The latest requests that failed (5xx) or were slow, with their traces."
    >
      <button class="btn btn-secondary" type="button" onClick=${n.reload}>Refresh</button>
    <//>
    <${x} resource=${n}>
      ${a=>r`
        <${g} title=${`Slower than ${a.slow_ms} ms, or failed`}>
          ${a.requests.length===0?r`<${T}>None lately.<//>`:r`<ul class="request-list">${a.requests.map(l=>r`<${ur} key=${l.request_id+l.at} request=${l} />`)}</ul>`}
        <//>
      `}
    <//>
  `:r`<${E} title="Slow and failed requests" /><${T}>Only admins see this page.<//>`:r`<${E} title="Slow and failed requests" /><${q}>as an admin<//>`}var dr=[{path:"/",page:Dt},{path:"/bookclub",page:Dt},{path:"/bookclub/threads/:id",page:Qo},{path:"/login",page:Vo},{path:"/signup",page:Ko},{path:"/competitions",page:es},{path:"/competitions/:id",page:rs},{path:"/music",page:is},{path:"/music/albums/:id",page:cs},{path:"/music/genres/:genre",page:ds},{path:"/timeline",page:ms},{path:"/users/:id",page:ps},{path:"/sports",page:fs},{path:"/sports/games/:id",page:hs},{path:"/insights",page:ys},{path:"/notifications",page:_s},{path:"/profile",page:vs},{path:"/admin/requests",page:ks}];function mr(){let e=C(ne),{status:t,user:o}=C(k),s=o==null?void 0:o.user_id;N(()=>{s?Lo():At()},[s]),N(()=>{window.scrollTo(0,0)},[e.path]);let i=go(dr,e.path),n=i?i.entry.page:ws;return r`
    <${Do} />
    <${Po} />
    <main id="main" class="page" tabindex="-1">
      ${t==="loading"?r`<${ie} />`:r`<${n} key=${e.path} params=${i?i.params:{}} query=${e.query} />`}
    </main>
    <${No} />
  `}var xs=document.getElementById("app");xs.textContent="";gt(r`<${mr} />`,xs);Co();
