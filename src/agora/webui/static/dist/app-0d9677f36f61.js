var je,F,eo,Se,to,qt,hs,Ye={},oo=[],gs=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i;function me(e,t){for(var o in t)e[o]=t[o];return e}function so(e){var t=e.parentNode;t&&t.removeChild(e)}function ro(e,t,o){var s,i,r,a={};for(r in t)r=="key"?s=t[r]:r=="ref"?i=t[r]:a[r]=t[r];if(arguments.length>2&&(a.children=arguments.length>3?je.call(arguments,2):o),typeof e=="function"&&e.defaultProps!=null)for(r in e.defaultProps)a[r]===void 0&&(a[r]=e.defaultProps[r]);return He(e,a,s,i,null)}function He(e,t,o,s,i){var r={type:e,props:t,key:o,ref:s,__k:null,__:null,__b:0,__e:null,__d:void 0,__c:null,__h:null,constructor:void 0,__v:i??++eo};return F.vnode!=null&&F.vnode(r),r}function Ge(e){return e.children}function qe(e,t){this.props=e,this.context=t}function be(e,t){if(t==null)return e.__?be(e.__,e.__.__k.indexOf(e)+1):null;for(var o;t<e.__k.length;t++)if((o=e.__k[t])!=null&&o.__e!=null)return o.__e;return typeof e.type=="function"?be(e):null}function no(e){var t,o;if((e=e.__)!=null&&e.__c!=null){for(e.__e=e.__c.base=null,t=0;t<e.__k.length;t++)if((o=e.__k[t])!=null&&o.__e!=null){e.__e=e.__c.base=o.__e;break}return no(e)}}function Ut(e){(!e.__d&&(e.__d=!0)&&Se.push(e)&&!We.__r++||qt!==F.debounceRendering)&&((qt=F.debounceRendering)||to)(We)}function We(){for(var e;We.__r=Se.length;)e=Se.sort(function(t,o){return t.__v.__b-o.__v.__b}),Se=[],e.some(function(t){var o,s,i,r,a,l;t.__d&&(a=(r=(o=t).__v).__e,(l=o.__P)&&(s=[],(i=me({},r)).__v=r.__v+1,$t(l,r,i,o.__n,l.ownerSVGElement!==void 0,r.__h!=null?[a]:null,s,a??be(r),r.__h),co(s,r),r.__e!=a&&no(r)))})}function io(e,t,o,s,i,r,a,l,u,m){var c,p,d,$,f,x,C,N=s&&s.__k||oo,Y=N.length;for(o.__k=[],c=0;c<t.length;c++)if(($=o.__k[c]=($=t[c])==null||typeof $=="boolean"?null:typeof $=="string"||typeof $=="number"||typeof $=="bigint"?He(null,$,null,null,$):Array.isArray($)?He(Ge,{children:$},null,null,null):$.__b>0?He($.type,$.props,$.key,null,$.__v):$)!=null){if($.__=o,$.__b=o.__b+1,(d=N[c])===null||d&&$.key==d.key&&$.type===d.type)N[c]=void 0;else for(p=0;p<Y;p++){if((d=N[p])&&$.key==d.key&&$.type===d.type){N[p]=void 0;break}d=null}$t(e,$,d=d||Ye,i,r,a,l,u,m),f=$.__e,(p=$.ref)&&d.ref!=p&&(C||(C=[]),d.ref&&C.push(d.ref,null,$),C.push(p,$.__c||f,$)),f!=null?(x==null&&(x=f),typeof $.type=="function"&&$.__k!=null&&$.__k===d.__k?$.__d=u=ao($,u,e):u=lo(e,$,d,N,f,u),m||o.type!=="option"?typeof o.type=="function"&&(o.__d=u):e.value=""):u&&d.__e==u&&u.parentNode!=e&&(u=be(d))}for(o.__e=x,c=Y;c--;)N[c]!=null&&(typeof o.type=="function"&&N[c].__e!=null&&N[c].__e==o.__d&&(o.__d=be(s,c+1)),mo(N[c],N[c]));if(C)for(c=0;c<C.length;c++)uo(C[c],C[++c],C[++c])}function ao(e,t,o){var s,i;for(s=0;s<e.__k.length;s++)(i=e.__k[s])&&(i.__=e,t=typeof i.type=="function"?ao(i,t,o):lo(o,i,i,e.__k,i.__e,t));return t}function lo(e,t,o,s,i,r){var a,l,u;if(t.__d!==void 0)a=t.__d,t.__d=void 0;else if(o==null||i!=r||i.parentNode==null)e:if(r==null||r.parentNode!==e)e.appendChild(i),a=null;else{for(l=r,u=0;(l=l.nextSibling)&&u<s.length;u+=2)if(l==i)break e;e.insertBefore(i,r),a=r}return a!==void 0?a:i.nextSibling}function Yt(e,t,o){t[0]==="-"?e.setProperty(t,o):e[t]=o==null?"":typeof o!="number"||gs.test(t)?o:o+"px"}function Be(e,t,o,s,i){var r;e:if(t==="style")if(typeof o=="string")e.style.cssText=o;else{if(typeof s=="string"&&(e.style.cssText=s=""),s)for(t in s)o&&t in o||Yt(e.style,t,"");if(o)for(t in o)s&&o[t]===s[t]||Yt(e.style,t,o[t])}else if(t[0]==="o"&&t[1]==="n")r=t!==(t=t.replace(/Capture$/,"")),t=t.toLowerCase()in e?t.toLowerCase().slice(2):t.slice(2),e.l||(e.l={}),e.l[t+r]=o,o?s||e.addEventListener(t,r?jt:Wt,r):e.removeEventListener(t,r?jt:Wt,r);else if(t!=="dangerouslySetInnerHTML"){if(i)t=t.replace(/xlink[H:h]/,"h").replace(/sName$/,"s");else if(t!=="href"&&t!=="list"&&t!=="form"&&t!=="tabIndex"&&t!=="download"&&t in e)try{e[t]=o??"";break e}catch{}typeof o=="function"||(o!=null&&(o!==!1||t[0]==="a"&&t[1]==="r")?e.setAttribute(t,o):e.removeAttribute(t))}}function Wt(e){this.l[e.type+!1](F.event?F.event(e):e)}function jt(e){this.l[e.type+!0](F.event?F.event(e):e)}function $t(e,t,o,s,i,r,a,l,u){var m,c,p,d,$,f,x,C,N,Y,U,R=t.type;if(t.constructor!==void 0)return null;o.__h!=null&&(u=o.__h,l=t.__e=o.__e,t.__h=null,r=[l]),(m=F.__b)&&m(t);try{e:if(typeof R=="function"){if(C=t.props,N=(m=R.contextType)&&s[m.__c],Y=m?N?N.props.value:m.__:s,o.__c?x=(c=t.__c=o.__c).__=c.__E:("prototype"in R&&R.prototype.render?t.__c=c=new R(C,Y):(t.__c=c=new qe(C,Y),c.constructor=R,c.render=_s),N&&N.sub(c),c.props=C,c.state||(c.state={}),c.context=Y,c.__n=s,p=c.__d=!0,c.__h=[]),c.__s==null&&(c.__s=c.state),R.getDerivedStateFromProps!=null&&(c.__s==c.state&&(c.__s=me({},c.__s)),me(c.__s,R.getDerivedStateFromProps(C,c.__s))),d=c.props,$=c.state,p)R.getDerivedStateFromProps==null&&c.componentWillMount!=null&&c.componentWillMount(),c.componentDidMount!=null&&c.__h.push(c.componentDidMount);else{if(R.getDerivedStateFromProps==null&&C!==d&&c.componentWillReceiveProps!=null&&c.componentWillReceiveProps(C,Y),!c.__e&&c.shouldComponentUpdate!=null&&c.shouldComponentUpdate(C,c.__s,Y)===!1||t.__v===o.__v){c.props=C,c.state=c.__s,t.__v!==o.__v&&(c.__d=!1),c.__v=t,t.__e=o.__e,t.__k=o.__k,t.__k.forEach(function(j){j&&(j.__=t)}),c.__h.length&&a.push(c);break e}c.componentWillUpdate!=null&&c.componentWillUpdate(C,c.__s,Y),c.componentDidUpdate!=null&&c.__h.push(function(){c.componentDidUpdate(d,$,f)})}c.context=Y,c.props=C,c.state=c.__s,(m=F.__r)&&m(t),c.__d=!1,c.__v=t,c.__P=e,m=c.render(c.props,c.state,c.context),c.state=c.__s,c.getChildContext!=null&&(s=me(me({},s),c.getChildContext())),p||c.getSnapshotBeforeUpdate==null||(f=c.getSnapshotBeforeUpdate(d,$)),U=m!=null&&m.type===Ge&&m.key==null?m.props.children:m,io(e,Array.isArray(U)?U:[U],t,o,s,i,r,a,l,u),c.base=t.__e,t.__h=null,c.__h.length&&a.push(c),x&&(c.__E=c.__=null),c.__e=!1}else r==null&&t.__v===o.__v?(t.__k=o.__k,t.__e=o.__e):t.__e=bs(o.__e,t,o,s,i,r,a,u);(m=F.diffed)&&m(t)}catch(j){t.__v=null,(u||r!=null)&&(t.__e=l,t.__h=!!u,r[r.indexOf(l)]=null),F.__e(j,t,o)}}function co(e,t){F.__c&&F.__c(t,e),e.some(function(o){try{e=o.__h,o.__h=[],e.some(function(s){s.call(o)})}catch(s){F.__e(s,o.__v)}})}function bs(e,t,o,s,i,r,a,l){var u,m,c,p=o.props,d=t.props,$=t.type,f=0;if($==="svg"&&(i=!0),r!=null){for(;f<r.length;f++)if((u=r[f])&&(u===e||($?u.localName==$:u.nodeType==3))){e=u,r[f]=null;break}}if(e==null){if($===null)return document.createTextNode(d);e=i?document.createElementNS("http://www.w3.org/2000/svg",$):document.createElement($,d.is&&d),r=null,l=!1}if($===null)p===d||l&&e.data===d||(e.data=d);else{if(r=r&&je.call(e.childNodes),m=(p=o.props||Ye).dangerouslySetInnerHTML,c=d.dangerouslySetInnerHTML,!l){if(r!=null)for(p={},f=0;f<e.attributes.length;f++)p[e.attributes[f].name]=e.attributes[f].value;(c||m)&&(c&&(m&&c.__html==m.__html||c.__html===e.innerHTML)||(e.innerHTML=c&&c.__html||""))}if((function(x,C,N,Y,U){var R;for(R in N)R==="children"||R==="key"||R in C||Be(x,R,null,N[R],Y);for(R in C)U&&typeof C[R]!="function"||R==="children"||R==="key"||R==="value"||R==="checked"||N[R]===C[R]||Be(x,R,C[R],N[R],Y)})(e,d,p,i,l),c)t.__k=[];else if(f=t.props.children,io(e,Array.isArray(f)?f:[f],t,o,s,i&&$!=="foreignObject",r,a,r?r[0]:o.__k&&be(o,0),l),r!=null)for(f=r.length;f--;)r[f]!=null&&so(r[f]);l||("value"in d&&(f=d.value)!==void 0&&(f!==e.value||$==="progress"&&!f)&&Be(e,"value",f,p.value,!1),"checked"in d&&(f=d.checked)!==void 0&&f!==e.checked&&Be(e,"checked",f,p.checked,!1))}return e}function uo(e,t,o){try{typeof e=="function"?e(t):e.current=t}catch(s){F.__e(s,o)}}function mo(e,t,o){var s,i;if(F.unmount&&F.unmount(e),(s=e.ref)&&(s.current&&s.current!==e.__e||uo(s,null,t)),(s=e.__c)!=null){if(s.componentWillUnmount)try{s.componentWillUnmount()}catch(r){F.__e(r,t)}s.base=s.__P=null}if(s=e.__k)for(i=0;i<s.length;i++)s[i]&&mo(s[i],t,typeof e.type!="function");o||e.__e==null||so(e.__e),e.__e=e.__d=void 0}function _s(e,t,o){return this.constructor(e,o)}function ft(e,t,o){var s,i,r;F.__&&F.__(e,t),i=(s=typeof o=="function")?null:o&&o.__k||t.__k,r=[],$t(t,e=(!s&&o||t).__k=ro(Ge,null,[e]),i||Ye,Ye,t.ownerSVGElement!==void 0,!s&&o?[o]:i?null:t.firstChild?je.call(t.childNodes):null,r,!s&&o?o:i?i.__e:t.firstChild,s),co(r,e)}je=oo.slice,F={__e:function(e,t){for(var o,s,i;t=t.__;)if((o=t.__c)&&!o.__)try{if((s=o.constructor)&&s.getDerivedStateFromError!=null&&(o.setState(s.getDerivedStateFromError(e)),i=o.__d),o.componentDidCatch!=null&&(o.componentDidCatch(e),i=o.__d),i)return o.__E=o}catch(r){e=r}throw e}},eo=0,qe.prototype.setState=function(e,t){var o;o=this.__s!=null&&this.__s!==this.state?this.__s:this.__s=me({},this.state),typeof e=="function"&&(e=e(me({},o),this.props)),e&&me(o,e),e!=null&&this.__v&&(t&&this.__h.push(t),Ut(this))},qe.prototype.forceUpdate=function(e){this.__v&&(this.__e=!0,e&&this.__h.push(e),Ut(this))},qe.prototype.render=Ge,Se=[],to=typeof Promise=="function"?Promise.prototype.then.bind(Promise.resolve()):setTimeout,We.__r=0,hs=0;var Ce,X,Gt,Te=0,dt=[],Vt=F.__b,zt=F.__r,Jt=F.diffed,Kt=F.__c,Xt=F.unmount;function Ve(e,t){F.__h&&F.__h(X,e,Te||t),Te=0;var o=X.__H||(X.__H={__:[],__h:[]});return e>=o.__.length&&o.__.push({}),o.__[e]}function h(e){return Te=1,ys(po,e)}function ys(e,t,o){var s=Ve(Ce++,2);return s.t=e,s.__c||(s.__=[o?o(t):po(void 0,t),function(i){var r=s.t(s.__[0],i);s.__[0]!==r&&(s.__=[r,s.__[1]],s.__c.setState({}))}],s.__c=X),s.__}function P(e,t){var o=Ve(Ce++,3);!F.__s&&bt(o.__H,t)&&(o.__=e,o.__H=t,X.__H.__h.push(o))}function ht(e,t){var o=Ve(Ce++,4);!F.__s&&bt(o.__H,t)&&(o.__=e,o.__H=t,X.__h.push(o))}function W(e){return Te=5,gt(function(){return{current:e}},[])}function gt(e,t){var o=Ve(Ce++,7);return bt(o.__H,t)&&(o.__=e(),o.__H=t,o.__h=e),o.__}function ze(e,t){return Te=8,gt(function(){return e},t)}function vs(){dt.forEach(function(e){if(e.__P)try{e.__H.__h.forEach(Ue),e.__H.__h.forEach(pt),e.__H.__h=[]}catch(t){e.__H.__h=[],F.__e(t,e.__v)}}),dt=[]}F.__b=function(e){X=null,Vt&&Vt(e)},F.__r=function(e){zt&&zt(e),Ce=0;var t=(X=e.__c).__H;t&&(t.__h.forEach(Ue),t.__h.forEach(pt),t.__h=[])},F.diffed=function(e){Jt&&Jt(e);var t=e.__c;t&&t.__H&&t.__H.__h.length&&(dt.push(t)!==1&&Gt===F.requestAnimationFrame||((Gt=F.requestAnimationFrame)||function(o){var s,i=function(){clearTimeout(r),Zt&&cancelAnimationFrame(s),setTimeout(o)},r=setTimeout(i,100);Zt&&(s=requestAnimationFrame(i))})(vs)),X=void 0},F.__c=function(e,t){t.some(function(o){try{o.__h.forEach(Ue),o.__h=o.__h.filter(function(s){return!s.__||pt(s)})}catch(s){t.some(function(i){i.__h&&(i.__h=[])}),t=[],F.__e(s,o.__v)}}),Kt&&Kt(e,t)},F.unmount=function(e){Xt&&Xt(e);var t=e.__c;if(t&&t.__H)try{t.__H.__.forEach(Ue)}catch(o){F.__e(o,t.__v)}};var Zt=typeof requestAnimationFrame=="function";function Ue(e){var t=X;typeof e.__c=="function"&&e.__c(),X=t}function pt(e){var t=X;e.__c=e.__(),X=t}function bt(e,t){return!e||e.length!==t.length||t.some(function(o,s){return o!==e[s]})}function po(e,t){return typeof t=="function"?t(e):t}var $o=function(e,t,o,s){var i;t[0]=0;for(var r=1;r<t.length;r++){var a=t[r++],l=t[r]?(t[0]|=a?1:2,o[t[r++]]):t[++r];a===3?s[0]=l:a===4?s[1]=Object.assign(s[1]||{},l):a===5?(s[1]=s[1]||{})[t[++r]]=l:a===6?s[1][t[++r]]+=l+"":a?(i=e.apply(l,$o(e,l,o,["",null])),s.push(i),l[0]?t[0]|=2:(t[r-2]=0,t[r]=i)):s.push(l)}return s},Qt=new Map,n=(function(e){var t=Qt.get(this);return t||(t=new Map,Qt.set(this,t)),(t=$o(this,t.get(e)||(t.set(e,t=(function(o){for(var s,i,r=1,a="",l="",u=[0],m=function(d){r===1&&(d||(a=a.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?u.push(0,d,a):r===3&&(d||a)?(u.push(3,d,a),r=2):r===2&&a==="..."&&d?u.push(4,d,0):r===2&&a&&!d?u.push(5,0,!0,a):r>=5&&((a||!d&&r===5)&&(u.push(r,0,a,i),r=6),d&&(u.push(r,d,0,i),r=6)),a=""},c=0;c<o.length;c++){c&&(r===1&&m(),m(c));for(var p=0;p<o[c].length;p++)s=o[c][p],r===1?s==="<"?(m(),u=[u],r=3):a+=s:r===4?a==="--"&&s===">"?(r=1,a=""):a=s+a[0]:l?s===l?l="":a+=s:s==='"'||s==="'"?l=s:s===">"?(m(),r=1):r&&(s==="="?(r=5,i=a,a=""):s==="/"&&(r<5||o[c][p+1]===">")?(m(),r===3&&(u=u[0]),r=u,(u=u[0]).push(2,0,r),r=0):s===" "||s==="	"||s===`
`||s==="\r"?(m(),r=2):a+=s),r===3&&a==="!--"&&(r=4,u=u[0])}return m(),u})(e)),t),arguments,[])).length>1?t:t[0]}).bind(ro);function oe(e){let t=e,o=new Set;return{get:()=>t,set(s){t=typeof s=="function"?s(t):{...t,...s};for(let i of[...o])i(t)},subscribe(s){return o.add(s),()=>o.delete(s)}}}function E(e){let[t,o]=h(e.get());return P(()=>(o(e.get()),e.subscribe(o)),[e]),t}function _t(e){let t=decodeURI(e.replace(/^#/,""))||"/",[o,s=""]=t.split("?");return{path:o.startsWith("/")?o:`/${o}`,query:new URLSearchParams(s)}}var ne=oe(_t(location.hash));window.addEventListener("hashchange",()=>ne.set(_t(location.hash)));function J(e){location.hash===`#${e}`?ne.set(_t(location.hash)):location.hash=e}function fo(e,t){let o=t.split("/").filter(Boolean);for(let s of e){let i=s.path.split("/").filter(Boolean);if(i.length!==o.length)continue;let r={};if(i.every((l,u)=>l.startsWith(":")?(r[l.slice(1)]=decodeURIComponent(o[u]),!0):l===o[u]))return{entry:s,params:r}}return null}var ws=new Date().getFullYear();function _e(e,{time:t=!0}={}){if(!e)return"";let o=new Date(e);if(Number.isNaN(o.getTime()))return"";let s={day:"numeric",month:"short"};return o.getFullYear()!==ws&&(s.year="numeric"),t&&Object.assign(s,{hour:"2-digit",minute:"2-digit"}),new Intl.DateTimeFormat(void 0,s).format(o)}function ie(e){let[t,o]=String(e||"").split("-").map(Number);if(!t||!o)return e||"";let s=new Date(Date.UTC(t,o-1,1));return new Intl.DateTimeFormat(void 0,{month:"long",year:"numeric",timeZone:"UTC"}).format(s)}function D(e,t,o=`${t}s`){return`${e} ${e===1?t:o}`}function ho(e){return(e||"?").replace(/[^a-z0-9]/gi,"").slice(0,2)||"?"}function go(e){let t=String(e).replace(/([a-z])([A-Z])/g,"$1 $2").replace(/[_.]+/g," ").trim().toLowerCase();return t.charAt(0).toUpperCase()+t.slice(1)}function Ee(e){let t=String(e||"");return t.charAt(0).toUpperCase()+t.slice(1)}function Re(e){let t=o=>String(o).padStart(2,"0");return`${e.getFullYear()}-${t(e.getMonth()+1)}-${t(e.getDate())}T${t(e.getHours())}:${t(e.getMinutes())}`}function Le(e){if(!e)return e;let t=new Date(e);return Number.isNaN(t.getTime())?e:t.toISOString()}function bo(e){let t=0;for(let o of String(e))t=(t*31+o.charCodeAt(0))%360;return t}var ks=[[/^Field required$/i,()=>"This field is required"],[/^String should have at least 1 character$/i,()=>"This field is required"],[/^String should have at least (\d+) characters?$/i,e=>`Use at least ${e[1]} characters`],[/^String should have at most (\d+) characters?$/i,e=>`Use at most ${e[1]} characters`],[/^List should have at most (\d+) items?.*$/i,e=>`Choose at most ${e[1]}`],[/^Input should be a valid integer.*$/i,()=>"Enter a whole number"],[/^Input should be a valid number.*$/i,()=>"Enter a number"],[/^Input should be greater than or equal to (\S+)$/i,e=>`Must be at least ${e[1]}`],[/^Input should be less than or equal to (\S+)$/i,e=>`Must be at most ${e[1]}`],[/^Input should be a valid (datetime|date).*$/i,()=>"Enter a date and time"],[/^Input should be a valid boolean.*$/i,()=>"Choose yes or no"],[/^value is not a valid email address.*$/i,()=>"Enter a valid email address"],[/^is (.*)$/i,e=>Ee(e[1])]];function _o(e){let t=String(e||"").trim();for(let[o,s]of ks){let i=t.match(o);if(i)return s(i)}return Ee(t)}function xs(e){let t=String(e||"").split(".");return["body","query","path"].includes(t[0])&&t.shift(),t.join(".")}var M=class extends Error{constructor(t,o={},s=null){super(o.message||`Request failed (${t})`),this.name="ApiError",this.status=t,this.code=o.code||"error",this.details=Array.isArray(o.details)?o.details:[],this.retryAfter=s&&Number(s.get("Retry-After"))||null,this.fields={},this.rawFields={};for(let i of this.details){let r=xs(i.field);r in this.fields||(this.fields[r]=_o(i.message),this.rawFields[r]=String(i.message||""))}}get summary(){return this.status===0?"Can't reach Agora right now. Check your connection and try again.":this.status===429?`You're doing that too often. Try again${this.retryAfter?` in ${this.retryAfter} seconds`:" in a moment"}.`:this.code==="session_ended"?"Your session has ended. Please log in again.":this.status===401&&["unauthorized","invalid_token","token_expired"].includes(this.code)?"Please log in to do that.":this.status>=500&&this.status!==503?"Something went wrong on our side. Please try again.":this.status===422&&this.details.length?"Please correct the highlighted fields.":Ee(this.message)}};function Je(){return new M(0,{code:"network",message:"network error"})}function yo(e,t=[],o={}){if(!(e instanceof M))return{fields:{},summary:`Something went wrong: ${(e==null?void 0:e.message)||e}`};let s={},i=[],r=l=>_o(l.replace(/^Value error, /,"").replace(/\w+/g,u=>o[u]||u));for(let[l,u]of Object.entries(e.fields))if(t.includes(l)&&o[l]){let m=r(e.rawFields[l]);s[l]=/^Must /.test(m)?Ee(`${o[l]} ${m[0].toLowerCase()}${m.slice(1)}`):m}else t.includes(l)?s[l]=u:l===""?i.push(r(e.rawFields[l])):i.push(`${o[l]||go(l)}: ${u}`);let a=null;return i.length?a=i.join(". "):Object.keys(s).length?a=Object.keys(s).length>1?"Please correct the highlighted fields.":null:a=e.summary,{fields:s,summary:a}}var wt="agora.session",Ss="agora-token-refresh",vo=6e4,yt=new Set,Ke=null,vt=null;function Z(){try{let e=JSON.parse(localStorage.getItem(wt));return e&&e.token&&e.refresh_token?e:null}catch{return null}}function kt(e){let t={token:e.token,refresh_token:e.refresh_token,expires_at:Date.now()+Number(e.expires_in||900)*1e3,user_id:String(e.user_id),username:e.username};return localStorage.setItem(wt,JSON.stringify(t)),Fe(),t}function Xe(){localStorage.removeItem(wt),clearTimeout(vt)}function wo(e){return yt.add(e),()=>yt.delete(e)}function Ts(){Xe();for(let e of[...yt])e()}function Cs(e){return navigator.locks&&navigator.locks.request?navigator.locks.request(Ss,e):e()}async function Es(e){let t=Z();if(!t)throw new M(401,{code:"session_ended",message:"Session ended"});if(e&&t.token!==e)return t;let o;try{o=await fetch("/api/users/refresh",{method:"POST",headers:{"Content-Type":"application/json",Accept:"application/json"},body:JSON.stringify({refresh_token:t.refresh_token})})}catch{throw Je()}let s=await o.json().catch(()=>({}));if(o.status===401||o.status===403)throw Ts(),new M(401,{code:"session_ended",message:"Session ended"});if(!o.ok)throw new M(o.status,s.error,o.headers);return kt(s)}function ye(e){return Ke||(Ke=Cs(()=>Es(e)).finally(()=>{Ke=null})),Ke}async function Ze(){let e=Z();if(!e)return null;if(e.expires_at-Date.now()>15e3)return e;try{return await ye(e.token)}catch(t){return t.code==="session_ended"?null:e}}function Fe(){clearTimeout(vt);let e=Z();if(!e)return;let t=Math.max(e.expires_at-Date.now()-vo,5e3);vt=setTimeout(async()=>{let o=Z();o&&(o.expires_at-Date.now()<=vo&&await ye(o.token).catch(()=>null),Fe())},t)}function ko(e,{method:t,body:o,token:s,signal:i,base:r}){let a={Accept:"application/json"};return o!==void 0&&(a["Content-Type"]="application/json"),s&&(a.Authorization=`Bearer ${s}`),fetch(`${r}${e}`,{method:t,headers:a,body:o===void 0?void 0:JSON.stringify(o),signal:i,cache:"no-cache"})}async function de(e,{method:t="GET",body:o,auth:s=!0,signal:i,base:r="/api"}={}){let a=s?await Ze():null,l;try{l=await ko(e,{method:t,body:o,token:a==null?void 0:a.token,signal:i,base:r}),l.status===401&&a&&(a=await ye(a.token),l=await ko(e,{method:t,body:o,token:a.token,signal:i,base:r}))}catch(m){throw m instanceof M||m.name==="AbortError"?m:Je()}if(l.status===204)return null;let u=await l.json().catch(()=>null);if(!l.ok)throw new M(l.status,(u==null?void 0:u.error)||{message:l.statusText},l.headers);return u}var b=(e,t)=>de(e,t),S=(e,t,o)=>de(e,{...o,method:"POST",body:t}),Qe=(e,t,o)=>de(e,{...o,method:"PUT",body:t}),et=(e,t,o)=>de(e,{...o,method:"PATCH",body:t}),Q=(e,t,o)=>de(e,{...o,method:"DELETE",body:t});var tt=oe({items:[]}),Rs=1;function xt(e){tt.set(t=>({items:t.items.filter(o=>o.id!==e)}))}function y(e,{kind:t="info",ms:o=3500}={}){let s=Rs++;tt.set(i=>({items:[...i.items,{id:s,text:e,kind:t}].slice(-4)})),setTimeout(()=>xt(s),o)}var Ls="agora.session",v=oe({status:"loading",user:null}),z=e=>(e==null?void 0:e.role)==="admin",ot=e=>(e==null?void 0:e.role)==="admin"||(e==null?void 0:e.role)==="feeder";async function St(){if(!Z())return v.set({status:"anonymous",user:null}),null;try{let e=await b("/users/profile");return v.set({status:"ready",user:e}),e}catch(e){if(e instanceof M&&e.status===401)return Xe(),v.set({status:"anonymous",user:null}),null;let t=Z();return v.set({status:"ready",user:{user_id:t.user_id,userId:t.user_id,username:t.username}}),null}}async function Tt(e,t){let o=e.includes("@")?"email":"username",s=await S("/users/login",{[o]:e,password:t},{auth:!1});return kt(s),St()}async function xo({username:e,email:t,password:o}){let s={username:e,password:o};return t&&(s.email=t),await S("/users/register",s,{auth:!1}),Tt(e,o)}async function So(){let e=Z();Xe(),v.set({status:"anonymous",user:null}),e&&await S("/users/logout",{refresh_token:e.refresh_token},{auth:!1}).catch(()=>null)}function Ct(e){v.set(t=>({...t,user:{...t.user,...e}}))}function To(){return wo(()=>{v.set({status:"anonymous",user:null}),y("Your session has ended. Please log in again.")}),window.addEventListener("storage",e=>{if(e.key!==Ls&&e.key!==null)return;let t=Z(),o=v.get().user;t?!o||String(o.user_id)!==String(t.user_id)?St():Fe():o&&v.set({status:"anonymous",user:null})}),Fe(),St()}var Ie=oe({channels:{},recoveries:0}),Fs=new Set([1008,4400,4403,4404,4410]),Is=4401,As=25e3,Ns=600,Ps=15e3,Ms=1;function pe(e,t){Ie.set(o=>{let s={...o.channels};return t===null?delete s[e]:s[e]=t,{...o,channels:s}})}function Et(e){let t=Object.values(e);return t.length?t.includes("reconnecting")?"reconnecting":t.includes("connecting")?"connecting":"live":"idle"}var ve=class{constructor({path:t,params:o=()=>({}),auth:s="required",onFrame:i,onFinal:r,onOpen:a}){this.id=Ms++,this.path=t,this.params=o,this.auth=s,this.onFrame=i,this.onFinal=r,this.onOpen=a,this.ws=null,this.position=null,this.attempt=0,this.unauthorizedInARow=0,this.wasLive=!1,this.stopped=!0,this.retryTimer=null,this.pingTimer=null,this.sentToken=null,this.handleOnline=()=>this.retryNow()}start(){this.stopped=!1,window.addEventListener("online",this.handleOnline),this.connect()}stop(){this.stopped=!0,window.removeEventListener("online",this.handleOnline),clearTimeout(this.retryTimer),clearInterval(this.pingTimer);let t=this.ws;this.ws=null,t&&t.readyState<=WebSocket.OPEN&&t.close(1e3,"leaving"),pe(this.id,null)}resetPosition(){this.position=null}send(t){return this.ws&&this.ws.readyState===WebSocket.OPEN?(this.ws.send(JSON.stringify(t)),!0):!1}async connect(){var r;if(this.stopped)return;pe(this.id,this.wasLive?"reconnecting":"connecting");let t=new URLSearchParams;for(let[a,l]of Object.entries(this.params()||{}))l!=null&&l!==""&&t.set(a,String(l));let o=this.auth==="none"?null:await Ze();if(this.stopped)return;if(o){let a;try{({ticket:a}=await S("/users/socket-ticket"))}catch(l){if(this.stopped)return;if(l.code==="session_ended"){pe(this.id,null);return}this.closed(1006,"no ticket");return}if(this.stopped)return;t.set("ticket",a)}else if(this.auth==="required"){pe(this.id,null);return}this.sentToken=((r=Z())==null?void 0:r.token)||null,this.position&&(t.set("since",String(this.position.offset)),t.set("epoch",this.position.epoch));let s=location.protocol==="https:"?"wss:":"ws:",i=new WebSocket(`${s}//${location.host}/api${this.path}?${t}`);this.ws=i,i.onopen=()=>{if(this.ws!==i)return;let a=this.wasLive&&this.attempt>0&&this.unauthorizedInARow===0;this.wasLive=!0,this.attempt=0,pe(this.id,"live"),clearInterval(this.pingTimer),this.pingTimer=setInterval(()=>this.send({type:"ping"}),As),a&&Ie.set(l=>({...l,recoveries:l.recoveries+1})),this.onOpen&&this.onOpen({recovered:a})},i.onmessage=a=>{if(this.ws!==i)return;let l;try{l=JSON.parse(a.data)}catch{return}typeof l.offset=="number"&&typeof l.epoch=="string"&&(this.position={offset:l.offset,epoch:l.epoch}),this.unauthorizedInARow=0,l.type!=="pong"&&this.onFrame(l)},i.onclose=a=>{this.ws===i&&(this.ws=null,clearInterval(this.pingTimer),this.stopped||this.closed(a.code,a.reason))}}async closed(t,o){if(Fs.has(t)){pe(this.id,null),this.onFinal&&this.onFinal(t,o);return}if(pe(this.id,"reconnecting"),this.wasLive=!0,t===Is&&this.unauthorizedInARow===0&&Z()){this.unauthorizedInARow+=1;try{await ye(this.sentToken)}catch(r){if(r.code==="session_ended"){pe(this.id,null);return}}this.attempt+=1,this.connect();return}let i=Math.min(Ns*2**this.attempt,Ps)*(.75+Math.random()*.5);this.attempt+=1,clearTimeout(this.retryTimer),this.retryTimer=setTimeout(()=>this.connect(),i)}retryNow(){this.stopped||this.ws||(clearTimeout(this.retryTimer),this.connect())}},Co=0;Ie.subscribe(e=>{e.recoveries>Co&&Et(e.channels)==="live"&&(Co=e.recoveries,y("Reconnected \u2014 you are live again.",{kind:"success"}))});var te=oe({unread:0,items:[],loaded:!1,rings:0}),Ae=null,we=null,st=[];async function Ds(){return we||(we=(async()=>{try{let e=await b("/notifications?limit=50");te.set({unread:e.unread_count,items:e.data,loaded:!0});let t=new Set(e.data.map(s=>s.notification_id)),o=st.filter(s=>!t.has(s.notification.notification_id));st=[],o.forEach(Eo)}catch{te.set({loaded:!0})}finally{we=null}})(),we)}function Eo(e){let t=e.notification;te.set(o=>{if(o.items.some(r=>r.notification_id===t.notification_id))return o;let s=[t,...o.items.filter(r=>r.notification_id!==e.replaces)],i=o.unread+(t.read||e.replaces?0:1);return{...o,items:s,unread:i,rings:o.rings+1}}),y(t.message)}function Os(e){e.type==="notification"&&e.notification?we?st.push(e):Eo(e):(e.type==="ready"||e.type==="reload")&&(!te.get().loaded||e.type==="reload")&&Ds()}function Ro(){Rt(),Ae=new ve({path:"/notifications/ws",auth:"required",onFrame:Os}),Ae.start()}function Rt(){Ae&&Ae.stop(),Ae=null,st=[],te.set({unread:0,items:[],loaded:!1,rings:0})}async function Lo(e){let t=await S(`/notifications/${e}/read`);te.set(o=>({...o,unread:t.unread_count,items:o.items.map(s=>s.notification_id===e?t.data:s)}))}async function Fo(){await S("/notifications/read-all"),te.set(e=>({...e,unread:0,items:e.items.map(t=>({...t,read:!0}))}))}var Lt=!1;ne.subscribe(()=>{Lt=!0});function Io(e){Lt&&e&&(Lt=!1,e.focus({preventScroll:!0}))}function L({title:e,subtitle:t,crumbs:o,children:s}){let i=W(null);return P(()=>{document.title=typeof e=="string"?`${e} \xB7 Agora`:"Agora"},[e]),P(()=>Io(i.current),[]),n`
    <header class="page-head">
      <div>
        ${o&&n`<nav class="crumbs" aria-label="Breadcrumb">${o}</nav>`}
        <h1 tabindex="-1" data-page-title ref=${i}>${e}</h1>
        ${t&&n`<p>${t}</p>`}
      </div>
      ${s&&n`<div class="row">${s}</div>`}
    </header>
  `}function g({title:e,level:t=2,actions:o,children:s,class:i="",label:r}){let a=`h${t}`,l=r||void 0;return n`
    <section class=${`card ${i}`} aria-labelledby=${l}>
      ${e&&n`<div class="card-head">
        <${a} id=${l}>${e}<//>
        ${o&&n`<div class="row">${o}</div>`}
      </div>`}
      ${s}
    </section>
  `}function ae({text:e="Loading\u2026"}){return n`<p class="loading" role="status">${e}</p>`}function T({children:e}){return n`<p class="empty">${e}</p>`}function le({error:e,retry:t}){let o=e instanceof M?e.summary:"Something went wrong.";return n`
    <div class="form-error" role="alert">
      ${o} ${t&&n`<button class="link-btn" type="button" onClick=${t}>Try again</button>`}
    </div>
  `}function w({resource:e,children:t,loadingText:o}){return e.data===void 0?e.error?n`<${le} error=${e.error} retry=${e.reload} />`:n`<${ae} text=${o} />`:t(e.data)}function G({kind:e="",children:t}){return n`<span class=${`badge ${e?`badge-${e}`:""}`}>${t}</span>`}function A({iso:e,time:t=!0}){return n`<time datetime=${e}>${_e(e,{time:t})}</time>`}function ce({name:e,src:t,large:o=!1}){return n`
    <span class=${`avatar ${o?"avatar-lg":""}`} aria-hidden="true">
      ${t?n`<img src=${t} alt="" />`:ho(e)}
    </span>
  `}function se({id:e,name:t,src:o,children:s}){return n`
    <span class="person">
      <${ce} name=${t} src=${o} />
      <span>
        ${e?n`<a href=${`#/users/${e}`}>${t}</a>`:n`<strong>${t}</strong>`}
        ${s}
      </span>
    </span>
  `}function ue({value:e,label:t}){let o=Number(e||0),s=t||(e==null?"Not rated yet":`${o.toFixed(1)} out of 5`),i=r=>o>=r-.25?"":o>=r-.75?"half":"off";return n`
    <span class="stars" role="img" aria-label=${s}>
      ${[1,2,3,4,5].map(r=>n`<span class=${i(r)}>★</span>`)}
    </span>
  `}function q({children:e="to take part"}){let t=encodeURIComponent(location.hash.replace(/^#/,"")||"/");return n`
    <p class="empty">
      <a href=${`#/login?next=${t}`}>Log in</a> or <a href=${`#/signup?next=${t}`}>sign up</a>
      ${" "}${e}.
    </p>
  `}function rt({label:e,question:t,onConfirm:o,busy:s=!1}){let[i,r]=h(!1),a=W(null),l=W(null),u=W(!0);return P(()=>{var m;if(u.current){u.current=!1;return}(m=(i?a:l).current)==null||m.focus()},[i]),i?n`
    <span class="confirm-delete small" role="group" aria-label=${t}>
      <span>${t}</span>
      <button class="link-btn small danger" type="button" ref=${a}
        onClick=${()=>{r(!1),o()}}>Yes, delete</button>
      <button class="link-btn small" type="button" onClick=${()=>r(!1)}>Keep it</button>
    </span>
  `:n`<button class="link-btn small" type="button" ref=${l} aria-label=${e} disabled=${s}
      onClick=${()=>r(!0)}>Delete</button>`}var Bs=[["/bookclub","Bookclub"],["/competitions","Competitions"],["/music","Music"],["/timeline","Timeline"],["/sports","Sports"]],Hs={idle:"",connecting:"Connecting\u2026",live:"Live",reconnecting:"Reconnecting\u2026"};function qs(){let{channels:e}=E(Ie),t=Et(e);return n`
    <span class="conn" data-state=${t} role="status" aria-live="polite" data-testid="connection">
      ${Hs[t]}
    </span>
  `}function Us(){return n`
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"
      stroke-linejoin="round" aria-hidden="true">
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  `}function Ys(){let{unread:e,rings:t}=E(te),[o,s]=h(!1),i=W(!0);P(()=>{if(i.current){i.current=!1;return}s(!0);let a=setTimeout(()=>s(!1),900);return()=>clearTimeout(a)},[t]);let r=e?`Notifications, ${e} unread`:"Notifications, none unread";return n`
    <a
      href="#/notifications"
      class=${`icon-btn bell ${o?"ringing":""}`}
      data-unread=${e>0?"true":"false"}
      aria-label=${r}
      title=${r}
      data-testid="bell"
    >
      <${Us} />
      ${e>0&&n`<span class="count" data-testid="unread-count" aria-hidden="true">${e>99?"99+":e}</span>`}
    </a>
  `}function Ws({user:e}){let[t,o]=h(!1),s=W(null);P(()=>{if(!t)return;let a=l=>{s.current&&!s.current.contains(l.target)&&o(!1)};return document.addEventListener("pointerdown",a),()=>document.removeEventListener("pointerdown",a)},[t]);let i=a=>{var l,u;t&&a.key==="Escape"&&(o(!1),(u=(l=s.current)==null?void 0:l.querySelector(".menu-button"))==null||u.focus())};P(()=>ne.subscribe(()=>o(!1)),[]);let r=()=>{o(!1);let a=So();return y("You are logged out."),J("/bookclub"),a};return n`
    <div class="menu" ref=${s} onKeyDown=${i}>
      <button
        class="menu-button"
        type="button"
        aria-expanded=${t?"true":"false"}
        aria-controls="user-menu-list"
        onClick=${()=>o(!t)}
        data-testid="user-menu"
      >
        <${ce} name=${e.username} src=${e.profile_picture} />
        <span class="name">${e.username}</span>
      </button>
      ${t&&n`<ul class="menu-list" id="user-menu-list">
        <li class="menu-head">Signed in as <strong>${e.username}</strong>${e.role==="admin"?" (admin)":""}</li>
        <li><a href="#/profile">Your profile</a></li>
        <li><a href=${`#/users/${e.user_id}`}>Your posts</a></li>
        <li><a href="#/notifications">Notifications</a></li>
        ${e.role==="admin"&&n`<li><a href="#/admin/requests">Slow and failed requests</a></li>`}
        <li><button type="button" onClick=${r}>Log out</button></li>
      </ul>`}
    </div>
  `}function Ao(){let{user:e,status:t}=E(v),{path:o}=E(ne);return n`
    <header class="topbar">
      <div class="topbar-inner">
        <a class="brand" href="#/bookclub"><img src="/img/logo.svg" alt="" />Agora</a>
        <nav class="nav" aria-label="Sections">
          ${Bs.map(([s,i])=>n`
              <a href=${`#${s}`} aria-current=${o.startsWith(s)?"page":void 0}>${i}</a>
            `)}
          ${z(e)&&n`<a href="#/insights" aria-current=${o.startsWith("/insights")?"page":void 0}>Insights</a>`}
        </nav>
        <div class="topbar-tools">
          <${qs} />
          ${e&&n`<${Ys} />`}
          ${e&&n`<${Ws} user=${e} />`}
          ${!e&&t!=="loading"&&n`
            <a class="btn btn-ghost btn-sm" href="#/login">Log in</a>
            <a class="btn btn-sm" href="#/signup">Sign up</a>
          `}
        </div>
      </div>
    </header>
  `}function No(){let{items:e}=E(tt);return n`
    <div class="toasts" role="status" aria-live="polite" data-testid="toasts">
      ${e.map(t=>n`<div class=${`toast toast-${t.kind}`} key=${t.id}>
          <span>${t.text}</span>
          <button class="toast-close" type="button" aria-label="Dismiss" onClick=${()=>xt(t.id)}>×</button>
        </div>`)}
    </div>
  `}function Po(){return n`<button class="skip-link" type="button" onClick=${()=>{let t=document.querySelector("[data-page-title]")||document.getElementById("main");t&&t.focus()}}>Skip to content</button>`}function _(e,t){let[o,s]=h({loading:!0,data:void 0,error:null}),i=W(0),r=ze(async()=>{let l=++i.current;s(u=>({...u,loading:!0}));try{let u=await e();l===i.current&&s({loading:!1,data:u,error:null})}catch(u){l===i.current&&s(m=>({...m,loading:!1,error:u}))}},t);P(()=>{r()},[r]);let a=ze(l=>{s(u=>({...u,data:typeof l=="function"?l(u.data):l}))},[]);return{...o,reload:r,setData:a}}function ee({enabled:e=!0,onFrame:t,...o},s){let i=W(t);i.current=t;let r=W(o.onFinal);r.current=o.onFinal;let a=W(null);return P(()=>{if(!e)return;let l=new ve({...o,onFrame:u=>i.current(u),onFinal:(u,m)=>r.current&&r.current(u,m)});return a.current=l,l.start(),()=>{l.stop(),a.current===l&&(a.current=null)}},[e,...s]),a}function O(e,t,{labels:o={}}={}){let[s,i]=h(e),[r,a]=h({}),[l,u]=h(null),[m,c]=h(null),[p,d]=h(!1),$=W(null),f=W(!1);P(()=>{if(!f.current||!$.current)return;f.current=!1;let U=$.current.querySelector('[aria-invalid="true"]');U&&U.focus()},[r]);let x=(U,R)=>{i(j=>({...j,[U]:R})),a(j=>{if(!(U in j))return j;let I={...j};return delete I[U],I})},C=U=>({name:U,value:s[U],error:r[U],onInput:R=>{let j=R.currentTarget;x(U,j.type==="checkbox"?j.checked:j.value)}}),N=(U=e)=>{i(U),a({}),u(null)};return{values:s,set:x,setValues:i,errors:r,formError:l,notice:m,busy:p,bind:C,submit:async U=>{if(U&&U.preventDefault(),!p){d(!0),a({}),u(null),c(null);try{let R=await t(s,{reset:N,setValues:i});typeof R=="string"&&c(R)}catch(R){let{fields:j,summary:I}=yo(R,Object.keys(e),o);f.current=!0,a(j),u(I)}finally{d(!1)}}},reset:N,ref:$}}var js=1,Ft=new WeakMap;function It(e){if(e.id)return e.id;let t=e.form.ref;return Ft.has(t)||Ft.set(t,`f${js++}`),`${Ft.get(t)}-${e.name}`}function Mo(e,t,o){let s=[];return t&&s.push(`${e}-hint`),o&&s.push(`${e}-error`),s.join(" ")||void 0}function Do({id:e,hint:t,error:o}){return n`
    ${t&&n`<span class="hint" id=${`${e}-hint`}>${t}</span>`}
    ${o&&n`<span class="field-error" id=${`${e}-error`}>${o}</span>`}
  `}function k({form:e,name:t,label:o,hint:s,type:i="text",multiline:r=!1,...a}){let l=It({form:e,name:t,id:a.id}),u=e.bind(t),m={id:l,name:t,value:u.value??"",onInput:u.onInput,"aria-invalid":u.error?"true":void 0,"aria-describedby":Mo(l,s,u.error),...a};return n`
    <div class="field">
      <label for=${l}>${o}</label>
      ${r?n`<textarea ...${m} />`:n`<input type=${i} ...${m} />`}
      <${Do} id=${l} hint=${s} error=${u.error} />
    </div>
  `}function Ne({form:e,name:t,label:o,hint:s,options:i,...r}){let a=It({form:e,name:t,id:r.id}),l=e.bind(t);return n`
    <div class="field">
      <label for=${a}>${o}</label>
      <select
        id=${a}
        name=${t}
        value=${l.value??""}
        onChange=${l.onInput}
        aria-invalid=${l.error?"true":void 0}
        aria-describedby=${Mo(a,s,l.error)}
        ...${r}
      >
        ${i.map(([u,m])=>n`<option value=${u} selected=${String(u)===String(l.value)}>${m}</option>`)}
      </select>
      <${Do} id=${a} hint=${s} error=${l.error} />
    </div>
  `}function Pe({form:e,name:t,label:o}){let s=It({form:e,name:t}),i=e.bind(t);return n`
    <div class="field">
      <label class="check" for=${s}>
        <input id=${s} type="checkbox" name=${t} checked=${!!i.value} onChange=${i.onInput} />
        ${o}
      </label>
      ${i.error&&n`<span class="field-error">${i.error}</span>`}
    </div>
  `}function B({form:e}){return n`
    ${e.formError&&n`<p class="form-error" role="alert">${e.formError}</p>`}
    ${e.notice&&n`<p class="form-note" role="status">${e.notice}</p>`}
  `}function H({form:e,children:t,busyText:o="Saving\u2026",kind:s=""}){return n`
    <button class=${`btn ${s}`} type="submit" disabled=${e.busy}>
      ${e.busy?o:t}
    </button>
  `}function Oo(e){let t=e.get("next");return t&&t.startsWith("/")&&!t.startsWith("/login")&&!t.startsWith("/signup")?t:"/bookclub"}function Bo({query:e}){let t=O({login:"",password:""},async s=>{let i=await Tt(s.login.trim(),s.password);y(`Welcome back, ${(i==null?void 0:i.username)||s.login}!`),J(Oo(e))}),o=`#/signup${e.get("next")?`?next=${encodeURIComponent(e.get("next"))}`:""}`;return n`
    <div class="card auth-card">
      <${L} title="Log in" subtitle="Welcome back to Agora." />
      <form class="form" onSubmit=${t.submit} ref=${t.ref} novalidate>
        <${k} form=${t} name="login" label="Username or email" autocomplete="username" required />
        <${k} form=${t} name="password" label="Password" type="password"
          autocomplete="current-password" required />
        <${B} form=${t} />
        <div class="form-actions">
          <${H} form=${t} busyText="Logging in…">Log in<//>
          <span class="muted">New here? <a href=${o}>Create an account</a></span>
        </div>
      </form>
    </div>
  `}function Ho({query:e}){let t=O({username:"",email:"",password:""},async o=>{let s=await xo({username:o.username.trim(),email:o.email.trim(),password:o.password});y(`Welcome to Agora, ${(s==null?void 0:s.username)||o.username}!`,{kind:"success"}),J(Oo(e))});return n`
    <div class="card auth-card">
      <${L} title="Sign up" subtitle="Join the book club, competitions, music reviews and more." />
      <form class="form" onSubmit=${t.submit} ref=${t.ref} novalidate>
        <${k} form=${t} name="username" label="Username" autocomplete="username"
          hint="3 to 32 lowercase letters, digits or underscores." required />
        <${k} form=${t} name="email" label="Email" type="email" autocomplete="email"
          hint="You can log in with it too." />
        <${k} form=${t} name="password" label="Password" type="password"
          autocomplete="new-password" hint="At least 12 characters." required />
        <${B} form=${t} />
        <div class="form-actions">
          <${H} form=${t} busyText="Creating your account…">Create account<//>
          <span class="muted">Have an account? <a href="#/login">Log in</a></span>
        </div>
      </form>
    </div>
  `}var At=4e3,qo=1;function Gs(e){return{message_id:String(e.message_id),userId:String(e.userId),username:e.username,message:e.message,created_at:e.created_at,edited_at:e.edited_at}}function Vs(e,t){let o=e.findIndex(i=>i.message_id===t.message_id);if(o===-1)return[...e,t].sort((i,r)=>Number(i.message_id)-Number(r.message_id));let s=[...e];return s[o]={...s[o],...t},s}function zs({present:e,count:t}){if(!t)return n`<p class="presence">Nobody else is here yet.</p>`;let o=e.map(i=>i.username).join(", "),s=t>e.length?` and ${t-e.length} more`:"";return n`<p class="presence">${t} here now: ${o}${s}</p>`}function $e({roomId:e,label:t="Live chat"}){let{user:o}=E(v),[s,i]=h(null),[r,a]=h({present:[],count:0}),[l,u]=h(""),[m,c]=h(null),[p,d]=h(null),$=W(null),f=W(!0),x=`chat-${e}`,C=async()=>{try{let I=await b(`/forums/rooms/${e}/messages?limit=50`,{auth:!1});i(I.messages.map(V=>({...V,message_id:String(V.message_id),userId:String(V.userId)})).reverse())}catch{i(I=>I||[])}};P(()=>{i(null),d(null),C()},[e]);let Y=ee({enabled:!!o,path:"/forums/connect",params:()=>({roomId:e}),auth:"required",onFrame:I=>{var V;switch(I.type){case"welcome":case"presence":a({present:I.present||[],count:I.present_count||0});break;case"message":case"edited":i(he=>Vs(he||[],Gs(I)));break;case"deleted":i(he=>(he||[]).filter(re=>re.message_id!==String(I.message_id)));break;case"error":c(((V=I.error)==null?void 0:V.message)||"That message could not be sent.");break;case"room_closed":d("This room has been closed.");break;case"reload":C();break;default:break}},onFinal:()=>d("This room is closed.")},[e,o==null?void 0:o.user_id]);ht(()=>{let I=$.current;I&&f.current&&(I.scrollTop=I.scrollHeight)},[s]);let U=()=>{let I=$.current;f.current=I.scrollHeight-I.scrollTop-I.clientHeight<40},R=I=>{var re;I.preventDefault();let V=l.trim();if(!V)return;if(V.length>At){c(`Messages can be at most ${At} characters.`);return}if(!((re=Y.current)==null?void 0:re.send({type:"message",message:V,client_id:`c${qo++}`}))){c("Not connected right now; your message was not sent. Try again in a moment.");return}c(null),u(""),f.current=!0},j=I=>{var V;(V=Y.current)==null||V.send({type:"delete",message_id:I,client_id:`c${qo++}`})};return n`
    <div class="chat" data-testid="chat">
      ${o&&!p&&n`<${zs} ...${r} />`}
      ${s===null?n`<${ae} text="Loading messages…" />`:n`
            <div role="log" aria-live="polite" aria-label=${t}>
            <ol class="chat-log" ref=${$} onScroll=${U} aria-label=${t} tabindex="0">
              ${s.length===0&&n`<li class="muted small">No messages yet. Say hello!</li>`}
              ${s.map(I=>n`
                  <li key=${I.message_id} class=${`chat-msg ${o&&I.userId===String(o.user_id)?"mine":""}`}>
                    <div class="who">
                      <span>${I.username}</span><time datetime=${I.created_at}>${_e(I.created_at)}</time>
                      ${o&&I.userId===String(o.user_id)&&n`<${rt} label="Delete this message" question="Delete it?"
                        onConfirm=${()=>j(I.message_id)} />`}
                    </div>
                    <div class="text">${I.message}</div>
                  </li>
                `)}
            </ol>
            </div>
          `}
      ${p&&n`<p class="form-error" role="alert">${p}</p>`}
      ${!o&&n`<${q}>to chat<//>`}
      ${o&&!p&&n`
        <form class="chat-send" onSubmit=${R} novalidate>
          <label class="visually-hidden" for=${x}>Message</label>
          <input id=${x} type="text" value=${l} maxlength=${At}
            placeholder="Write a message…" autocomplete="off"
            aria-invalid=${m?"true":void 0}
            aria-describedby=${m?`${x}-error`:void 0}
            onInput=${I=>{u(I.currentTarget.value),c(null)}} />
          <button class="btn" type="submit">Send</button>
        </form>
        ${m&&n`<p class="field-error" id=${`${x}-error`} role="alert">${m}</p>`}
      `}
    </div>
  `}var Js=15,Ks=1e3;function Xs({onCreated:e}){let[t,o]=h(!1),s=O({title:"",content:""},async i=>{let r=await S("/discussion",i);e(r.thread_id)});return t?n`
    <form class="form" onSubmit=${s.submit} ref=${s.ref} novalidate aria-label="Start a thread">
      <${k} form=${s} name="title" label="Thread title" required />
      <${k} form=${s} name="content" label="What do you want to say?" multiline rows="4" required />
      <${B} form=${s} />
      <div class="form-actions">
        <${H} form=${s} busyText="Posting…">Post thread<//>
        <button class="btn btn-ghost" type="button" onClick=${()=>o(!1)}>Cancel</button>
      </div>
    </form>
  `:n`<button class="btn btn-secondary btn-sm" type="button" onClick=${()=>o(!0)}>Start a thread</button>`}function Uo({threads:e}){return n`<ul class="list" data-testid="threads">
    ${e.map(t=>n`
        <li key=${t.thread_id}>
          <a href=${`#/bookclub/threads/${t.thread_id}`}><strong>${t.title}</strong></a>
          <div class="small muted">
            by ${t.author} · ${D(t.replies,"reply","replies")} · last activity
            ${" "}<${A} iso=${t.last_activity_at} />
          </div>
        </li>
      `)}
  </ul>`}function Zs({poll:e}){let[t,o]=h(!1),s=_(()=>t?b(`/discussions?book_id=${e.winner.book_id}&limit=50`,{auth:!1}):Promise.resolve(null),[t,e.winner.book_id]);return n`
    <li>
      <details data-testid="past-lobby" onToggle=${i=>o(i.currentTarget.open)}>
        <summary><strong>${ie(e.month)}</strong>: ${e.winner.title} <span class="muted">by ${e.winner.author}</span></summary>
        ${t&&n`<${w} resource=${s} loadingText="Loading its threads…">
          ${i=>!i||i.discussions.length===0?n`<${T}>Nobody started a thread that month.<//>`:n`<${Uo} threads=${i.discussions} />`}
        <//>`}
      </details>
    </li>
  `}function Qs({currentBookId:e,version:t}){var i;let s=(((i=_(()=>b("/polls?limit=24",{auth:!1}),[t]).data)==null?void 0:i.polls)||[]).filter(r=>r.status==="closed"&&r.winner&&r.winner.book_id!==e);return s.length===0?null:n`
    <${g} title="Earlier months" label="past-lobbies-title">
      <ul class="list">${s.map(r=>n`<${Zs} key=${r.poll_id} poll=${r} />`)}</ul>
    <//>
  `}function Yo({version:e,expectBookId:t}){var u;let{user:o}=E(v),s=_(()=>b("/discussions?limit=30",{auth:!1}),[e]),[i,r]=h(0),a=(u=s.data)==null?void 0:u.book,l=s.data&&(t&&(a==null?void 0:a.book_id)!==t||a&&!a.roomId);return P(()=>{if(!l||i>=Js)return;let m=setTimeout(()=>{r(c=>c+1),s.reload()},Ks);return()=>clearTimeout(m)},[l,i]),n`
    <${w} resource=${s} loadingText="Loading the lobby…">
      ${m=>m.book?n`
              <div class="grid">
                <${g}
                  title=${`Lobby: ${m.book.title}`}
                  label="lobby-title"
                  actions=${o&&n`<${Xs} onCreated=${c=>J(`/bookclub/threads/${c}`)} />`}
                >
                  ${m.discussions.length===0?n`<${T}>No threads yet. Start the first one!<//>`:n`<${Uo} threads=${m.discussions} />`}
                  ${!o&&n`<div style="margin-top:12px"><${q}>to start a thread<//></div>`}
                <//>
                <${g} title="Lobby chat" label="lobby-chat-title">
                  ${m.book.roomId?n`<${$e} roomId=${m.book.roomId} label="Lobby chat messages" />`:n`<p class="loading">Opening the chat room…</p>`}
                <//>
              </div>
              <div style="margin-top:24px"><${Qs} currentBookId=${m.book.book_id} version=${e} /></div>
            `:n`<${g} title="The lobby"><${T}>The lobby opens when the first book of the month is chosen.<//><//>`}
    <//>
  `}async function er(){let t=(await b("/polls?limit=12",{auth:!1})).polls.find(o=>o.status==="closed"&&o.winner);return t?{...t.winner,month:t.month}:null}function tr({book:e,total:t,mine:o,canVote:s,onVote:i,busy:r}){let a=t?Math.round(100*e.votes/t):0;return n`
    <li class=${`candidate ${o?"mine":""}`} data-testid="candidate" data-book-id=${e.book_id}>
      <div>
        <h3>${e.title} ${o&&n`<${G} kind="primary">Your vote<//>`}</h3>
        <div class="meta">by ${e.author}</div>
        ${e.description&&n`<p class="small muted" style="margin:4px 0 0">${e.description}</p>`}
      </div>
      <div class="row" style="justify-content:flex-end">
        <span class="votes" data-testid=${`votes-${e.book_id}`}>${D(e.votes,"vote")}</span>
        ${s&&n`<button
          class=${`btn btn-sm ${o?"":"btn-secondary"}`}
          type="button"
          aria-pressed=${o?"true":"false"}
          aria-disabled=${r||o?"true":"false"}
          onClick=${()=>{!r&&!o&&i(e)}}
          aria-label=${o?`You vote for ${e.title}`:`Vote for ${e.title}`}
        >${o?"Voted":"Vote"}</button>`}
      </div>
      <div class="bar" aria-hidden="true"><span style=${`width:${a}%`}></span></div>
    </li>
  `}function or({onAdded:e}){let[t,o]=h(!1),s=O({title:"",author:"",description:""},async(i,{reset:r})=>{let a=await S("/books",i);return r(),e(),`"${a.title}" is on the ballot.`});return t?n`
    <form class="form" onSubmit=${s.submit} ref=${s.ref} novalidate aria-label="Add a book">
      <h3>Add a book to the ballot</h3>
      <div class="form-row">
        <${k} form=${s} name="title" label="Title" required />
        <${k} form=${s} name="author" label="Author" required />
      </div>
      <${k} form=${s} name="description" label="Description" multiline rows="3" />
      <${B} form=${s} />
      <div class="form-actions">
        <${H} form=${s} busyText="Adding…">Add book<//>
        <button class="btn btn-ghost" type="button" onClick=${()=>o(!1)}>Done</button>
      </div>
    </form>
  `:n`<button class="btn btn-secondary" type="button" onClick=${()=>o(!0)}>Add a book</button>`}function sr({poll:e,onClosed:t}){let[o,s]=h(!1),[i,r]=h(!1),[a,l]=h(null),u=async()=>{r(!0),l(null);try{let m=await S("/polls/current/close",{poll_id:e.poll_id});y(m.message,{kind:"success"}),s(!1),t(m)}catch(m){l(m instanceof M?m.summary:String(m))}finally{r(!1)}};return n`
    <div class="stack" style="gap:8px">
      ${!o&&n`<button class="btn btn-danger" type="button" onClick=${()=>s(!0)}>Close the poll</button>`}
      ${o&&n`
        <p role="alert">Close the ${ie(e.month)} poll now and choose the book of the month?</p>
        <div class="form-actions">
          <button class="btn btn-danger-solid btn" type="button" disabled=${i} onClick=${u}>
            ${i?"Closing\u2026":"Yes, close the poll"}
          </button>
          <button class="btn btn-ghost" type="button" onClick=${()=>s(!1)}>Cancel</button>
        </div>
      `}
      ${a&&n`<p class="form-error" role="alert">${a}</p>`}
    </div>
  `}function rr({poll:e,setPoll:t,user:o,reload:s}){let[i,r]=h(!1),[a,l]=h(null),u=async c=>{r(!0),l(null);try{let p=await S("/vote",{book_id:c.book_id,poll_id:e.poll_id});t(d=>({...d,my_vote:p.book_id})),p.outcome==="moved"?y(`Your vote moved to "${c.title}".`):p.outcome==="created"&&y(`You voted for "${c.title}".`)}catch(p){l(p instanceof M?p.summary:String(p)),s()}finally{r(!1)}},m=[...e.candidates].sort((c,p)=>c.book_id-p.book_id);return n`
    <${g}
      title=${`Vote for ${ie(e.month)}`}
      label="ballot-title"
      actions=${n`<${G} kind=${e.status==="open"?"success":""}>${e.status==="open"?`Open until ${_e(e.closes_at)}`:"Closed"}<//>`}
    >
      <p class="muted small" aria-live="polite" data-testid="total-votes">
        ${D(e.total_votes,"vote")} so far${e.my_vote?"":o?" \u2014 pick the book you want to read next.":"."}
      </p>
      ${m.length===0?n`<${T}>No candidates yet.${z(o)?" Add the first book below.":" An admin adds them soon."}<//>`:n`<ul class="list">
            ${m.map(c=>n`<${tr}
                key=${c.book_id}
                book=${c}
                total=${e.total_votes}
                mine=${e.my_vote===c.book_id}
                canVote=${!!o&&e.status==="open"}
                busy=${i}
                onVote=${u}
              />`)}
          </ul>`}
      ${a&&n`<p class="form-error" role="alert" style="margin-top:12px">${a}</p>`}
      ${!o&&n`<div style="margin-top:14px"><${q}>to vote<//></div>`}
    <//>
  `}function nr({book:e}){return e?n`
    <${g} title="Book of the month" actions=${n`<${G} kind="primary">${ie(e.month)}<//>`}>
      <div class="book-hero" data-testid="book-of-the-month">
        <div class="book-cover" aria-hidden="true">${e.title.charAt(0)}</div>
        <div>
          <h3 style="margin-bottom:2px">${e.title}</h3>
          <p class="muted" style="margin-bottom:6px">by ${e.author}</p>
          ${e.description&&n`<p class="small">${e.description}</p>`}
          <p class="small muted">Chosen with ${D(e.votes,"vote")}.</p>
        </div>
      </div>
    <//>
  `:n`<${g} title="Book of the month"><${T}>No book has been chosen yet. The first poll decides.<//><//>`}function ir({poll:e}){var r,a,l;let t=_(()=>b("/competitions",{auth:!1}),[]),o=_(()=>b("/sports/ongoing-events?limit=12",{auth:!1}),[]),s=(r=t.data)==null?void 0:r.length,i=(l=(a=o.data)==null?void 0:a.data)==null?void 0:l.length;return n`
    <section class="card welcome" aria-labelledby="welcome-title" data-testid="welcome">
      <h2 id="welcome-title">Welcome to Agora</h2>
      <p>
        A community for people who read, write, listen and watch. Each month we vote on a book and
        talk it over in its lobby; writers enter competitions that readers' likes decide; music
        lovers review albums and chat in their rooms; sports fans follow games as they are scored.
      </p>
      <ul class="welcome-now" aria-label="Happening now">
        ${e&&n`<li><strong>${D(e.total_votes,"vote")}</strong> cast for ${ie(e.month)}'s book</li>`}
        ${s!==void 0&&n`<li><a href="#/competitions"><strong>${D(s,"competition")}</strong> open</a></li>`}
        ${i!==void 0&&n`<li><a href="#/sports"><strong>${D(i,"game")}</strong> live now</a></li>`}
      </ul>
      <div class="row">
        <a class="btn" href="#/signup">Join Agora</a>
        <a class="btn btn-ghost" href="#/login">Log in</a>
      </div>
    </section>
  `}function Nt(){var c,p;let{user:e,status:t}=E(v),o=_(()=>b("/polls/current"),[e==null?void 0:e.user_id]),s=_(er,[]),[i,r]=h(0),a=()=>{o.reload(),s.reload(),r(d=>d+1)},l=W(null),u=W(null);P(()=>{let d=u.current;u.current=null,d&&o.data&&d.poll_id===o.data.poll_id&&m(d)},[(c=o.data)==null?void 0:c.poll_id]);let m=d=>{let $=new Map(d.counts.map(f=>[f.book_id,f.votes]));o.setData(f=>({...f,total_votes:d.total_votes,my_vote:d.type==="snapshot"&&d.my_vote!==void 0?d.my_vote:f.my_vote,candidates:f.candidates.map(x=>({...x,votes:$.get(x.book_id)??x.votes}))}))};return ee({path:"/vote/live",auth:"optional",params:()=>l.current?{poll_id:l.current}:{},onFrame:d=>{d.poll_id&&(l.current=d.poll_id);let $=o.data;if(d.type==="snapshot"||d.type==="votes"){if(!$){u.current=d;return}let f=new Set($.candidates.map(x=>x.book_id));d.poll_id!==$.poll_id?a():d.counts.some(x=>!f.has(x.book_id))?o.reload():m(d)}else d.type==="closed"?(l.current=d.next_poll_id,a()):d.type==="reload"&&o.reload()}},[e==null?void 0:e.user_id]),n`
    <${L}
      title="Bookclub"
      subtitle="Vote for the book we all read next month, then talk about it in the lobby."
    />
    ${!e&&t!=="loading"&&n`<div style="margin-bottom:24px"><${ir} poll=${o.data} /></div>`}
    <div class="grid">
      <div class="stack">
        <${w} resource=${o} loadingText="Loading this month's vote…">
          ${d=>n`<${rr} poll=${d} setPoll=${o.setData} user=${e} reload=${o.reload} />`}
        <//>
      </div>
      <div class="stack">
        <${w} resource=${s}>${d=>n`<${nr} book=${d} />`}<//>
        ${z(e)&&o.data&&n`
          <${g} title="Admin" label="admin-title">
            <div class="stack" style="gap:14px">
              <${or} onAdded=${o.reload} />
              ${o.data.status==="open"&&n`<${sr} poll=${o.data} onClosed=${a} />`}
            </div>
          <//>
        `}
      </div>
    </div>
    <div style="margin-top:24px">
      <${Yo} version=${i} expectBookId=${(p=s.data)==null?void 0:p.book_id} />
    </div>
  `}function ar({threadId:e,onReplied:t}){let o=O({content:""},async(s,{reset:i})=>{await S(`/discussions/${e}/reply`,s),i(),t()});return n`
    <form class="form" onSubmit=${o.submit} ref=${o.ref} novalidate aria-label="Reply">
      <${k} form=${o} name="content" label="Your reply" multiline rows="3" required />
      <${B} form=${o} />
      <div class="form-actions"><${H} form=${o} busyText="Posting…">Post reply<//></div>
    </form>
  `}function Wo({params:e}){let{user:t}=E(v),o=_(()=>b(`/discussions/${e.id}?limit=200`),[e.id]);ee({path:`/discussions/${e.id}/live`,auth:"none",onFrame:i=>{i.type==="reload"&&o.reload(),i.type==="reply"&&o.setData(r=>{if(!r||r.replies.some(p=>p.reply_id===i.reply_id))return r;let{type:a,offset:l,epoch:u,reply_count:m,...c}=i;return{...r,reply_count:m,replies:[...r.replies,c]}})}},[e.id]);let s=n`<a href="#/bookclub">Bookclub</a> › Lobby`;return n`
    <${w} resource=${o}>
      ${i=>n`
        <${L} title=${i.title} crumbs=${s}
          subtitle=${n`Started by ${i.author} · <${A} iso=${i.created_at} />`} />
        <div class="stack">
          <${g}><p class="prose" style="margin:0">${i.content}</p><//>
          <${g} title=${D(i.reply_count,"reply","replies")} label="replies-title">
            ${i.replies.length===0?n`<${T}>No replies yet.<//>`:n`<ul class="list" data-testid="replies">
                  ${i.replies.map(r=>n`
                      <li key=${r.reply_id}>
                        <${se} id=${r.author_id} name=${r.author}>
                          <span class="small muted"> · <${A} iso=${r.created_at} /></span>
                        <//>
                        <p class="prose" style="margin:6px 0 0">${r.content}</p>
                      </li>
                    `)}
                </ul>`}
          <//>
          <${g} title="Reply" level="2" label="reply-title">
            ${t?n`<${ar} threadId=${i.thread_id} onReplied=${o.reload} />`:n`<${q}>to reply<//>`}
          <//>
        </div>
      `}
    <//>
  `}function lr({onCancel:e}){let t=new Date;t.setSeconds(0,0);let o=new Date(t.getTime()+14*864e5),s=O({title:"",description:"",start_date:Re(t),end_date:Re(o),allow_multiple_entries:!1},async i=>{let r=await S("/competitions",{...i,start_date:Le(i.start_date),end_date:Le(i.end_date)});y(`"${r.title}" was created.`,{kind:"success"}),J(`/competitions/${r.competition_id}`)},{labels:{start_date:"Opens",end_date:"Closes"}});return n`
    <${g} title="New competition" label="new-competition-title">
      <form class="form" onSubmit=${s.submit} ref=${s.ref} novalidate aria-label="New competition">
        <${k} form=${s} name="title" label="Title" required />
        <${k} form=${s} name="description" label="Description" multiline rows="3"
          hint="What should entrants write? Any rules?" />
        <div class="form-row">
          <${k} form=${s} name="start_date" label="Opens" type="datetime-local" required />
          <${k} form=${s} name="end_date" label="Closes" type="datetime-local" required />
        </div>
        <${Pe} form=${s} name="allow_multiple_entries" label="Allow more than one entry per person" />
        <${B} form=${s} />
        <div class="form-actions">
          <${H} form=${s} busyText="Creating…">Create competition<//>
          <button class="btn btn-ghost" type="button" onClick=${e}>Cancel</button>
        </div>
      </form>
    <//>
  `}function jo(){let{user:e}=E(v),t=_(()=>b("/competitions",{auth:!1}),[]),[o,s]=h(!1);return n`
    <${L} title="Competitions" subtitle="Write, enter, like and comment. The most liked entries win.">
      ${z(e)&&!o&&n`<button class="btn" type="button" onClick=${()=>s(!0)}>New competition</button>`}
    <//>
    ${o&&n`<div style="margin-bottom:24px"><${lr} onCancel=${()=>s(!1)} /></div>`}
    <${w} resource=${t} loadingText="Loading competitions…">
      ${i=>i.length===0?n`<${T}>No competition is open right now. Check back soon!<//>`:n`<div class="cards" data-testid="competitions">
              ${i.map(r=>n`
                  <a class="card card-link" href=${`#/competitions/${r.competition_id}`} key=${r.competition_id}>
                    <div class="row-between" style="margin-bottom:6px">
                      <${G} kind="success">Open<//>
                      <span class="small muted">until <${A} iso=${r.end_date} time=${!1} /></span>
                    </div>
                    <h3>${r.title}</h3>
                    ${r.description&&n`<p class="small muted clamp" style="margin:0">${r.description}</p>`}
                  </a>
                `)}
            </div>`}
    <//>
  `}function Go({path:e,parentId:t,onPosted:o,onCancel:s,label:i}){let r=O({content:""},async(a,{reset:l})=>{let u={content:a.content};t&&(u.parent_comment_id=Number(t)),await S(e,u),l(),o()});return n`
    <form class="form" onSubmit=${r.submit} ref=${r.ref} novalidate style="margin-top:8px">
      <${k} form=${r} name="content" label=${i} multiline rows="2" required />
      <${B} form=${r} />
      <div class="form-actions">
        <${H} form=${r} kind="btn-sm" busyText="Posting…">${t?"Reply":"Comment"}<//>
        ${s&&n`<button class="btn btn-ghost btn-sm" type="button" onClick=${s}>Cancel</button>`}
      </div>
    </form>
  `}function Vo({comment:e,path:t,user:o,open:s,onPosted:i}){let[r,a]=h(!1);return n`
    <li class="comment" data-testid="comment">
      <div class="who">
        ${e.deleted?n`<span class="muted">[deleted]</span>`:e.username}
        <${A} iso=${e.created_at} />${e.edited?n` <span class="muted small">(edited)</span>`:""}
      </div>
      <p class="prose" style="margin:2px 0 0">${e.deleted?n`<em class="muted">This comment was deleted.</em>`:e.content}</p>
      ${o&&s&&!e.deleted&&!r&&n`<button class="link-btn small" type="button" onClick=${()=>a(!0)}
        aria-label=${`Reply to ${e.username}`}>Reply</button>`}
      ${r&&n`<${Go}
        path=${t}
        parentId=${e.comment_id}
        label=${`Reply to ${e.username}`}
        onCancel=${()=>a(!1)}
        onPosted=${()=>{a(!1),i()}}
      />`}
      ${e.replies.length>0&&n`<ul class="comment-tree">
        ${e.replies.map(l=>n`<${Vo} key=${l.comment_id} comment=${l} path=${t}
            user=${o} open=${s} onPosted=${i} />`)}
      </ul>`}
    </li>
  `}function cr({competition:e,entry:t,user:o,onCount:s}){let i=`/competitions/${e.competition_id}`,r=_(()=>b(`${i}/submissions/${t.submission_id}/comments?limit=100`),[t.submission_id]),a=`${i}/comment/${t.submission_id}`,l=e.status!=="upcoming",u=()=>{r.reload(),s()};return n`
    <div class="comments">
      <${w} resource=${r} loadingText="Loading comments…">
        ${m=>m.comments.length===0?n`<p class="muted small">No comments yet.</p>`:n`<ul class="comment-tree">
                ${m.comments.map(c=>n`<${Vo} key=${c.comment_id} comment=${c} path=${a}
                    user=${o} open=${l} onPosted=${u} />`)}
              </ul>`}
      <//>
      ${o&&l&&n`<${Go} path=${a} label="Add a comment" onPosted=${u} />`}
    </div>
  `}function ur({competition:e,entry:t,onDone:o,onCancel:s}){let i=O({title:t.title,content:t.content},async r=>{await et(`/competitions/${e.competition_id}/submissions/${t.submission_id}`,r),y("Your entry is updated.",{kind:"success"}),o()});return n`
    <form class="form" onSubmit=${i.submit} ref=${i.ref} novalidate aria-label="Edit your entry" style="margin-top:12px">
      <${k} form=${i} name="title" label="Entry title" required />
      <${k} form=${i} name="content" label="Your entry" multiline rows="8" required />
      <${B} form=${i} />
      <div class="form-actions">
        <${H} form=${i}>Save changes<//>
        <button class="btn btn-ghost" type="button" onClick=${s}>Cancel</button>
      </div>
    </form>
  `}function zo({entry:e,competition:t,user:o,onChanged:s}){let i=o&&e.user_id===String(o.user_id),[r,a]=h(e.likes),[l,u]=h(e.liked_by_me===!0);P(()=>{a(e.likes),u(e.liked_by_me===!0)},[e.likes,e.liked_by_me]);let[m,c]=h(!1),[p,d]=h(!1),[$,f]=h(e.comments),[x,C]=h(!1),[N,Y]=h(!1),[U,R]=h(null),j=e.content.length>360,I=o&&!i&&t.status==="active",V=`comments-${e.submission_id}`,he=async()=>{c(!0),R(null);let re=`/competitions/${t.competition_id}/like/${e.submission_id}`;try{let ge=l?await Q(re):await S(re);a(ge.likes),u(ge.liked)}catch(ge){R(ge instanceof M?ge.summary:String(ge))}finally{c(!1)}};return n`
    <article class="card entry" data-testid="entry" data-entry-id=${e.submission_id}>
      <div class="row-between">
        <h3 style="margin:0">${e.title}</h3>
        ${e.place&&n`<${G} kind=${e.place===1?"warning":"primary"}>Place ${e.place}<//>`}
      </div>
      <div style="margin:6px 0 10px">
        <${se} id=${e.user_id} name=${e.username}>
          <span class="small muted"> · <${A} iso=${e.created_at} /></span>
        <//>
      </div>
      ${!x&&n`<p class=${`prose ${j&&!N?"clamp":""}`} style="margin:0">${e.content}</p>`}
      ${!x&&j&&n`<button class="link-btn small" type="button" aria-expanded=${N?"true":"false"}
        onClick=${()=>Y(!N)}>${N?"Show less":"Read more"}</button>`}
      ${x&&n`<${ur} competition=${t} entry=${e}
        onCancel=${()=>C(!1)} onDone=${()=>{C(!1),s()}} />`}
      <div class="entry-actions">
        ${I?n`<button class="btn btn-secondary btn-sm" type="button" aria-pressed=${l?"true":"false"}
              disabled=${m} onClick=${he} data-testid="like"
              aria-label=${`${l?"Unlike":"Like"} "${e.title}", ${D(r,"like")}`}>
              ${l?"\u2665 Liked":"\u2661 Like"} · <span data-testid="likes">${r}</span>
            </button>`:n`<span class="badge" data-testid="likes-count">♥ ${D(r,"like")}</span>`}
        <button class="btn btn-ghost btn-sm" type="button" aria-expanded=${p?"true":"false"}
          aria-controls=${V} onClick=${()=>d(!p)}>
          ${p?"Hide comments":`Comments (${$})`}
        </button>
        ${i&&t.status==="active"&&!x&&n`<button class="btn btn-ghost btn-sm" type="button" onClick=${()=>C(!0)}>Edit entry</button>`}
      </div>
      ${U&&n`<p class="form-error" role="alert" style="margin-top:10px">${U}</p>`}
      <div id=${V}>
        ${p&&n`<${cr} competition=${t} entry=${e} user=${o}
          onCount=${()=>f(re=>re+1)} />`}
      </div>
    </article>
  `}var Jo={upcoming:["warning","Opens soon"],active:["success","Open for entries"],closed:["","Closed"]};function mr({competitionId:e,onDone:t}){let o=O({title:"",content:""},async(s,{reset:i})=>{await S(`/competitions/${e}/submit`,s),i(),y("Your entry is in. Good luck!",{kind:"success"}),t()});return n`
    <form class="form" onSubmit=${o.submit} ref=${o.ref} novalidate aria-label="Submit your entry">
      <${k} form=${o} name="title" label="Entry title" required />
      <${k} form=${o} name="content" label="Your entry" multiline rows="8" required />
      <${B} form=${o} />
      <div class="form-actions"><${H} form=${o} busyText="Submitting…">Submit entry<//></div>
    </form>
  `}function dr({competitionId:e}){let t=_(()=>b(`/competitions/${e}/results`),[e]);return n`
    <${g} title="Results" label="results-title">
      <${w} resource=${t} loadingText="Loading the results…">
        ${o=>o.results.length===0?n`<${T}>Nobody entered this competition.<//>`:n`<ol class="list results" data-testid="results">
                ${o.results.map(s=>n`
                    <li key=${s.submission_id}>
                      <span class=${`place place-${s.place}`} aria-label=${`Place ${s.place}`}>${s.place}</span>
                      <div style="flex:1;min-width:0">
                        <strong>${s.title}</strong>
                        <div class="small muted">by <a href=${`#/users/${s.user_id}`}>${s.username}</a></div>
                      </div>
                      <span class="nowrap">${D(s.likes,"like")}</span>
                    </li>
                  `)}
              </ol>`}
      <//>
    <//>
  `}function pr({competitionId:e}){let t=_(()=>b("/users/profile/subscriptions?limit=200"),[]),[o,s]=h(!1);if(!t.data)return null;let i=t.data.some(a=>a.competition_id===String(e));return n`
    <button class="btn btn-secondary" type="button" aria-pressed=${i?"true":"false"}
      disabled=${o} onClick=${async()=>{s(!0);try{i?await Q(`/users/subscribe/${e}`):await S(`/users/subscribe/${e}`),y(i?"You will no longer hear about new entries.":"You will hear about new entries."),await t.reload()}catch(a){y(a instanceof M?a.summary:String(a))}finally{s(!1)}}}>
      ${i?"Subscribed":"Subscribe to new entries"}
    </button>
  `}function Ko({params:e}){let{user:t}=E(v),o=e.id,s=_(()=>b(`/competitions/${o}`),[o]),i=_(()=>b(`/competitions/${o}/submissions?limit=100`),[o]),r=n`<a href="#/competitions">Competitions</a> › Entries`;return n`
    <${w} resource=${s} loadingText="Loading the competition…">
      ${a=>{var p;let[l,u]=Jo[a.status]||Jo.closed,m=(((p=i.data)==null?void 0:p.submissions)||[]).filter(d=>t&&d.user_id===String(t.user_id)),c=t&&a.status==="active"&&(a.allow_multiple_entries||m.length===0);return n`
          <${L}
            title=${a.title}
            crumbs=${r}
            subtitle=${n`<${G} kind=${l}>${u}<//> ${" "}
              <${A} iso=${a.start_date} /> – <${A} iso=${a.end_date} /> · ${D(a.submission_count,"entry","entries")}`}
          >
            ${t&&a.status!=="closed"&&n`<${pr} competitionId=${o} />`}
          <//>
          <div class="grid">
            <div class="stack">
              ${a.description&&n`<${g}><p class="prose" style="margin:0">${a.description}</p><//>`}
              ${a.status==="closed"&&n`<${dr} competitionId=${o} />`}
              <${w} resource=${i} loadingText="Loading entries…">
                ${d=>n`
                  <section aria-labelledby="entries-title" class="stack" style="gap:14px">
                    <h2 id="entries-title">${D(d.submissions.length,"entry","entries")}</h2>
                    ${d.submissions.length===0?n`<${T}>No entries yet.${a.status==="active"?" Be the first!":""}<//>`:d.submissions.map($=>n`<${zo}
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
              ${c&&n`<${g} title="Submit your entry" label="submit-title">
                <${mr} competitionId=${o} onDone=${()=>{i.reload(),s.reload()}} />
              <//>`}
              ${!t&&a.status==="active"&&n`<${q}>to enter, like and comment<//>`}
              ${a.status==="upcoming"&&n`<${g} title="Not open yet"><p class="muted" style="margin:0">Entries open <${A} iso=${a.start_date} />.</p><//>`}
              <${g} title="How it works" label="how-title">
                <p class="small" style="margin:0">
                  Entries are accepted from <${A} iso=${a.start_date} /> until <${A} iso=${a.end_date} />.
                  When it closes, the most liked entries win; a tie goes to the earlier entry, and every
                  entrant hears their place.
                </p>
              <//>
              ${m.length>0&&n`<${g} title="Your entries" label="yours-title">
                <ul class="list">
                  ${m.map(d=>n`<li key=${d.submission_id}>
                      <strong>${d.title}</strong>
                      <div class="small muted">${D(d.likes,"like")} · ${D(d.comments,"comment")}${d.place?` \xB7 place ${d.place}`:""}</div>
                    </li>`)}
                </ul>
              <//>`}
            </div>
          </div>
        `}}
    <//>
  `}function fe(e){return String(e).trim().toLowerCase().replace(/[^a-z0-9]+/g,"-").replace(/^-+|-+$/g,"").slice(0,40)}function Pt({album:e}){let t=bo(`${e.artist}${e.title}`),o=`background: linear-gradient(135deg, hsl(${t} 38% 42%) 0%, hsl(${(t+40)%360} 45% 62%) 100%)`;return n`<div class="album-art" style=${o} aria-hidden="true">${e.artist}</div>`}function $r({onCancel:e}){let t=O({title:"",artist:"",year:"",genre:""},async o=>{let s={title:o.title,artist:o.artist,genre:o.genre};String(o.year).trim()&&(s.year=Number(o.year));let i=await S("/users-reviews/albums",s);y(`"${i.title}" is in the catalog.`,{kind:"success"}),J(`/music/albums/${i.albumId}`)});return n`
    <${g} title="Add an album" label="add-album-title">
      <form class="form" onSubmit=${t.submit} ref=${t.ref} novalidate aria-label="Add an album">
        <div class="form-row">
          <${k} form=${t} name="title" label="Title" required />
          <${k} form=${t} name="artist" label="Artist" required />
        </div>
        <div class="form-row">
          <${k} form=${t} name="genre" label="Genre" required hint="For example: jazz, rock, hip-hop" />
          <${k} form=${t} name="year" label="Year" type="number" inputmode="numeric" />
        </div>
        <${B} form=${t} />
        <div class="form-actions">
          <${H} form=${t} busyText="Adding…">Add album<//>
          <button class="btn btn-ghost" type="button" onClick=${e}>Cancel</button>
        </div>
      </form>
    <//>
  `}function Xo({query:e}){var c;let{user:t}=E(v),[o,s]=h(e.get("q")||""),[i,r]=h(o),[a,l]=h(!1);P(()=>{let p=setTimeout(()=>r(o.trim()),300);return()=>clearTimeout(p)},[o]);let u=_(()=>b(`/users-reviews/albums?limit=60${i?`&q=${encodeURIComponent(i)}`:""}`,{auth:!1}),[i]),m=[...new Set((((c=u.data)==null?void 0:c.albums)||[]).map(p=>p.genre))].sort();return n`
    <${L} title="Music" subtitle="Find albums, read what others think, and write your own review.">
      ${z(t)&&!a&&n`<button class="btn" type="button" onClick=${()=>l(!0)}>Add an album</button>`}
    <//>
    ${a&&n`<div style="margin-bottom:24px"><${$r} onCancel=${()=>l(!1)} /></div>`}
    <form class="search" role="search" onSubmit=${p=>{p.preventDefault(),r(o.trim())}}>
      <label class="visually-hidden" for="album-search">Search albums</label>
      <input id="album-search" type="search" placeholder="Search by title or artist" value=${o}
        onInput=${p=>s(p.currentTarget.value)} />
      <button class="btn btn-secondary" type="submit">Search</button>
    </form>
    ${m.length>0&&n`<div class="chips" style="margin:16px 0 4px" aria-label="Genre rooms">
      <span class="muted small" style="align-self:center">Genre rooms:</span>
      ${m.map(p=>n`<a class="chip" href=${`#/music/genres/${fe(p)}`} key=${p}>${p}</a>`)}
    </div>`}
    <div style="margin-top:18px" aria-live="polite">
      <${w} resource=${u} loadingText="Loading albums…">
        ${p=>p.albums.length===0?n`<${T}>${i?`No album matches "${i}".`:"The catalog is empty so far."}<//>`:n`<div class="cards" data-testid="albums">
                ${p.albums.map(d=>n`
                    <a class="card card-link album-card" href=${`#/music/albums/${d.albumId}`} key=${d.albumId}>
                      <${Pt} album=${d} />
                      <h3 style="margin-bottom:2px">${d.title}</h3>
                      <p class="muted small" style="margin-bottom:6px">${d.artist}${d.year?` \xB7 ${d.year}`:""} · ${d.genre}</p>
                      <div class="row">
                        <${ue} value=${d.averageRating} />
                        <span class="small muted">${d.averageRating==null?"No reviews yet":`${d.averageRating.toFixed(1)} \xB7 ${D(d.reviewCount,"review")}`}</span>
                      </div>
                    </a>
                  `)}
              </div>`}
      <//>
    </div>
  `}var fr=12,hr=1e3;async function gr(e,t,o){return(await b(`/forums/rooms?roomType=${e}&limit=200`,{auth:!1})).rooms.find(i=>String(i[t])===String(o))||null}function ke({kind:e,ref:t,canOpen:o}){let[s,i]=h({room:null,error:null,waiting:!0});return P(()=>{let r=!1,a=null,l={album:"albumId",genre:"genreId",game:"gameId"}[e],u=async m=>{try{let c=null;if(o&&e!=="game"?c=await S("/forums/rooms",e==="album"?{roomType:"album",albumId:t}:{roomType:"genre",genreId:t}):c=await gr(e,l,t),r)return;if(c){i({room:c,error:null,waiting:!1});return}}catch(c){if(r)return;if(!(c instanceof M&&(c.status===404||c.status===409))){i({room:null,error:c,waiting:!1});return}}if(m+1>=fr){i({room:null,error:null,waiting:!1});return}a=setTimeout(()=>u(m+1),hr)};return i({room:null,error:null,waiting:!0}),u(0),()=>{r=!0,clearTimeout(a)}},[e,t,o]),s}var Zo=["5.0","4.5","4.0","3.5","3.0","2.5","2.0","1.5","1.0","0.5"];function br(e){let t=String(e??"").trim();if(t==="")return;let o=Number(t);return Number.isNaN(o)?t:o}function _r({album:e}){let t=Math.max(...Zo.map(o=>e.ratingDistribution[o]||0),1);return n`
    <${g} title="Ratings" label="ratings-title">
      <table class="dist" aria-label="How many reviews gave each rating">
        <tbody>
          ${Zo.map(o=>{let s=e.ratingDistribution[o]||0;return n`
              <tr key=${o}>
                <th scope="row">${o}★</th>
                <td aria-hidden="true"><div class="bar"><span style=${`width:${100*s/t}%`}></span></div></td>
                <td style="text-align:right">${s}</td>
              </tr>
            `})}
        </tbody>
      </table>
    <//>
  `}function Qo({albumId:e,review:t,onSaved:o,onCancel:s}){let i=t?{rating:String(t.rating),reviewText:t.reviewText}:{rating:"",reviewText:""},r=O(i,async(l,{reset:u})=>{let m={reviewText:l.reviewText},c=br(l.rating);c!==void 0&&(m.rating=c),t?(await Qe(`/users-reviews/reviews/${t.reviewId}`,m),y("Your review is updated.",{kind:"success"})):(await S("/users-reviews/reviews",{albumId:Number(e),...m}),u(),y("Thanks for your review!",{kind:"success"})),o()}),a=Number(r.values.rating);return n`
    <form class="form" onSubmit=${r.submit} ref=${r.ref} novalidate aria-label=${t?"Edit your review":"Write a review"}>
      <div class="row" style="align-items:flex-end">
        <div style="width:150px">
          <${k} form=${r} name="rating" label="Rating (0.5 to 5)" type="number" step="0.5" min="0.5" max="5"
            inputmode="decimal" required />
        </div>
        ${a>=.5&&a<=5&&n`<span style="padding-bottom:10px"><${ue} value=${a} /></span>`}
      </div>
      <${k} form=${r} name="reviewText" label="Your review" multiline rows="5"
        hint="What did you think? Up to 5000 characters." />
      <${B} form=${r} />
      <div class="form-actions">
        <${H} form=${r}>${t?"Save review":"Post review"}<//>
        ${s&&n`<button class="btn btn-ghost" type="button" onClick=${s}>Cancel</button>`}
      </div>
    </form>
  `}function yr({review:e,albumId:t,onChanged:o}){let[s,i]=h(!1),[r,a]=h(!1),[l,u]=h(null),m=async()=>{u(null);try{await Q(`/users-reviews/reviews/${e.reviewId}`),y("Your review is deleted."),o()}catch(c){u(c instanceof M?c.summary:String(c))}};return s?n`<${Qo} albumId=${t} review=${e} onCancel=${()=>i(!1)}
      onSaved=${()=>{i(!1),o()}} />`:n`
    <div data-testid="my-review">
      <div class="row"><${ue} value=${e.rating} /> <strong>${e.rating.toFixed(1)}</strong></div>
      ${e.reviewText&&n`<p class="prose" style="margin:8px 0 0">${e.reviewText}</p>`}
      <div class="form-actions" style="margin-top:12px">
        <button class="btn btn-secondary btn-sm" type="button" onClick=${()=>i(!0)}>Edit review</button>
        ${!r&&n`<button class="btn btn-danger btn-sm" type="button" onClick=${()=>a(!0)}>Delete review</button>`}
        ${r&&n`
          <span role="alert">Delete your review?</span>
          <button class="btn btn-danger-solid btn-sm" type="button" onClick=${m}>Yes, delete it</button>
          <button class="btn btn-ghost btn-sm" type="button" onClick=${()=>a(!1)}>Keep it</button>
        `}
      </div>
      ${l&&n`<p class="form-error" role="alert" style="margin-top:10px">${l}</p>`}
    </div>
  `}function vr({albumId:e,user:t}){let{room:o,error:s,waiting:i}=ke({kind:"album",ref:e,canOpen:!!t});return o?n`<${$e} roomId=${o.roomId} label="Album room messages" />`:s?n`<${le} error=${s} />`:i?n`<p class="loading">Opening the album's room…</p>`:t?n`<${T}>The room is not open yet. Try again in a moment.<//>`:n`<${q}>to join the album's room<//>`}function es({params:e}){var u;let{user:t}=E(v),o=e.id,s=_(()=>b(`/users-reviews/albums/${o}`,{auth:!1}),[o]),i=_(()=>b(`/users-reviews/reviews/album/${o}?limit=100`,{auth:!!t}),[o,t==null?void 0:t.user_id]),r=()=>{s.reload(),i.reload()},a=n`<a href="#/music">Music</a> › Album`,l=t&&((u=i.data)==null?void 0:u.my_review);return n`
    <${w} resource=${s} loadingText="Loading the album…">
      ${m=>n`
        <div class="card hero">
          <div class="hero-art"><${Pt} album=${m} /></div>
          <div class="hero-main">
            <${L} title=${m.title} crumbs=${a}
              subtitle=${n`${m.artist}${m.year?` \xB7 ${m.year}`:""} · <a href=${`#/music/genres/${fe(m.genre)}`}>${m.genre}</a>`} />
          </div>
          <div class="hero-rating">
            <span class="rating-big" data-testid="average">${m.averageRating==null?"\u2013":m.averageRating.toFixed(1)}</span>
            <div>
              <${ue} value=${m.averageRating} />
              <div class="small muted" data-testid="review-count">${m.reviewCount?D(m.reviewCount,"review"):"No reviews yet"}</div>
            </div>
          </div>
        </div>
        <div class="grid">
          <div class="stack">
            <${g} title=${l?"Your review":"Write a review"} label="my-review-title">
              ${!t&&n`<${q}>to review this album<//>`}
              ${t&&i.data&&(l?n`<${yr} review=${l} albumId=${o} onChanged=${r} />`:n`<${Qo} albumId=${o} onSaved=${r} />`)}
            <//>
            <${g} title="Reviews" label="reviews-title">
              <${w} resource=${i} loadingText="Loading reviews…">
                ${c=>c.reviews.length===0?n`<${T}>No reviews yet. Be the first to write one.<//>`:n`<ul class="list" data-testid="reviews">
                        ${c.reviews.map(p=>n`
                            <li class="review" key=${p.reviewId}>
                              <div class="who">
                                <${se} id=${p.userId} name=${p.username} />
                                <${ue} value=${p.rating} />
                                <span class="small muted"><${A} iso=${p.updatedAt} /></span>
                              </div>
                              ${p.reviewText&&n`<p class="prose" style="margin:8px 0 0">${p.reviewText}</p>`}
                            </li>
                          `)}
                      </ul>`}
              <//>
            <//>
          </div>
          <div class="stack">
            <${_r} album=${m} />
            <${g} title="Album room" label="album-room-title"><${vr} albumId=${o} user=${t} /><//>
          </div>
        </div>
      `}
    <//>
  `}var K=["#2f5d62","#b8692e","#6d8fb3","#8a9a5b"];function Mt(e){return Number.isInteger(e)?String(e):Number(e).toFixed(2).replace(/0+$/,"")}function xe({items:e,title:t,unit:o=""}){if(!e.length)return n`<p class="empty">No data yet.</p>`;let s=560,i=30,r=150,a=e.length*i+8,l=Math.max(...e.map(m=>m.value),1),u=`${t}: ${e.map(m=>`${m.label} ${Mt(m.value)}${o}`).join(", ")}`;return n`
    <svg class="chart" viewBox=${`0 0 ${s} ${a}`} role="img" aria-label=${u}>
      ${e.map((m,c)=>{let p=c*i+4,d=Math.max((s-r-60)*m.value/l,2),$=m.label.length>20?`${m.label.slice(0,19)}\u2026`:m.label;return n`
          <g key=${m.label}>
            <text class="label" x="0" y=${p+16}>${$}</text>
            <rect x=${r} y=${p+2} width=${d} height="18" rx="4" fill=${K[0]} />
            <text class="value" x=${r+d+8} y=${p+16}>${Mt(m.value)}${o}</text>
          </g>
        `})}
    </svg>
  `}function nt({groups:e,series:t,title:o}){if(!e.length)return n`<p class="empty">No data yet.</p>`;let s=560,i=220,r=28,a=18,l=Math.max(...e.flatMap(d=>d.values),1),u=s/e.length,m=Math.min(28,(u-24)/t.length),c=d=>(i-r-a)*d/l,p=`${o}: ${e.map(d=>`${d.label}: ${t.map(($,f)=>`${d.values[f]} ${$}`).join(", ")}`).join("; ")}`;return n`
    <div>
      <svg class="chart" viewBox=${`0 0 ${s} ${i}`} role="img" aria-label=${p}>
        <line x1="0" x2=${s} y1=${i-r} y2=${i-r} stroke="#e2ddd5" />
        ${e.map((d,$)=>{let f=$*u+(u-m*t.length)/2;return n`
            <g key=${d.label}>
              ${d.values.map((x,C)=>{let N=Math.max(c(x),x?2:0),Y=f+C*m;return n`
                  <rect x=${Y+2} y=${i-r-N} width=${m-4} height=${N} rx="3"
                    fill=${K[C%K.length]} />
                  <text x=${Y+m/2} y=${i-r-N-4} text-anchor="middle">${Mt(x)}</text>
                `})}
              <text class="label" x=${$*u+u/2} y=${i-8} text-anchor="middle">${d.label}</text>
            </g>
          `})}
      </svg>
      <p class="legend" aria-hidden="true">
        ${t.map((d,$)=>n`<span><i style=${`background:${K[$%K.length]}`}></i>${d}</span>`)}
      </p>
    </div>
  `}function ts({events:e,team1:t,team2:o}){let s=[{a:0,b:0},...e.map($=>({a:$.score_team_1,b:$.score_team_2}))];if(s.length<2)return n`<p class="empty">The chart fills in as the game is scored.</p>`;let i=560,r=180,a=24,l=Math.max(...s.flatMap($=>[$.a,$.b]),1),u=$=>a+(i-2*a)*$/(s.length-1),m=$=>r-a-(r-2*a)*$/l,c=$=>s.map((f,x)=>`${x?"L":"M"}${u(x)},${m(f[$])}`).join(" "),p=s[s.length-1],d=`Score over the game: ${t} ${p.a}, ${o} ${p.b}`;return n`
    <div>
      <svg class="chart" viewBox=${`0 0 ${i} ${r}`} role="img" aria-label=${d}>
        <line x1=${a} x2=${i-a} y1=${r-a} y2=${r-a} stroke="#e2ddd5" />
        <path d=${c("a")} fill="none" stroke=${K[0]} stroke-width="3" stroke-linejoin="round" />
        <path d=${c("b")} fill="none" stroke=${K[1]} stroke-width="3" stroke-linejoin="round" />
        <text x=${i-a} y=${m(p.a)-6} text-anchor="end" class="value">${p.a}</text>
        <text x=${i-a} y=${m(p.b)+16} text-anchor="end" class="value">${p.b}</text>
      </svg>
      <p class="legend" aria-hidden="true">
        <span><i style=${`background:${K[0]}`}></i>${t}</span>
        <span><i style=${`background:${K[1]}`}></i>${o}</span>
      </p>
    </div>
  `}function Dt({days:e,series:t,title:o}){if(!e.length)return n`<p class="empty">No data yet.</p>`;let s=560,i=220,r={left:34,right:12,top:14,bottom:28},a=Math.max(...t.flatMap(f=>f.values),1),l=e.length>1?(s-r.left-r.right)/(e.length-1):0,u=f=>r.left+l*f,m=f=>i-r.bottom-(i-r.top-r.bottom)*f/a,c=f=>f.map((x,C)=>`${C?"L":"M"}${u(C).toFixed(1)},${m(x).toFixed(1)}`).join(" "),p=[...new Set([0,Math.floor((e.length-1)/2),e.length-1])],d=t.map(f=>`${f.name} ${f.values.reduce((x,C)=>x+C,0)}`).join(", "),$=`${o}, ${e[0]} to ${e[e.length-1]}: in total ${d}`;return n`
    <div>
      <svg class="chart" viewBox=${`0 0 ${s} ${i}`} role="img" aria-label=${$}>
        <line x1=${r.left} x2=${s-r.right} y1=${i-r.bottom} y2=${i-r.bottom} stroke="#e2ddd5" />
        <text class="label" x=${r.left-6} y=${r.top+4} text-anchor="end">${a}</text>
        <text class="label" x=${r.left-6} y=${i-r.bottom} text-anchor="end">0</text>
        ${p.map(f=>n`<text class="label" key=${f} x=${u(f)} y=${i-8}
            text-anchor=${f===0?"start":f===e.length-1?"end":"middle"}>${e[f].slice(5)}</text>`)}
        ${t.map((f,x)=>n`<path key=${f.name} d=${c(f.values)} fill="none" stroke=${K[x%K.length]}
            stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round" />`)}
      </svg>
      <p class="legend" aria-hidden="true">
        ${t.map((f,x)=>n`<span key=${f.name}><i style=${`background:${K[x%K.length]}`}></i>${f.name}</span>`)}
      </p>
    </div>
  `}function it({buckets:e,title:t}){if(!e.reduce((c,p)=>c+p.value,0))return n`<p class="empty">No data yet.</p>`;let s=560,i=170,r=24,a=16,l=Math.max(...e.map(c=>c.value),1),u=s/e.length,m=`${t}: ${e.map(c=>`${c.label} ${c.value}`).join(", ")}`;return n`
    <svg class="chart" viewBox=${`0 0 ${s} ${i}`} role="img" aria-label=${m}>
      <line x1="0" x2=${s} y1=${i-r} y2=${i-r} stroke="#e2ddd5" />
      ${e.map((c,p)=>{let d=(i-r-a)*c.value/l;return n`<g key=${c.label}>
          <rect x=${p*u+4} y=${i-r-d} width=${u-8} height=${d} rx="3" fill=${K[2]} />
          ${c.value?n`<text x=${p*u+u/2} y=${i-r-d-4} text-anchor="middle">${c.value}</text>`:""}
          <text class="label" x=${p*u+u/2} y=${i-6} text-anchor="middle">${c.label}</text>
        </g>`})}
    </svg>
  `}function os({params:e}){let{user:t}=E(v),o=fe(e.genre),{room:s,error:i,waiting:r}=ke({kind:"genre",ref:o,canOpen:!!t}),a=_(()=>b("/users-reviews/albums?limit=200",{auth:!1}),[]),l=_(()=>b("/analytics/reviews",{auth:!1}),[]),u=n`<a href="#/music">Music</a> › Genre`;return n`
    <${L} title=${`#${o}`} crumbs=${u} subtitle=${`Talk about ${o} music with everyone here now.`} />
    <div class="grid">
      <${g} title="Genre room" label="genre-room-title">
        ${s&&n`<${$e} roomId=${s.roomId} label="Genre room messages" />`}
        ${!s&&i&&n`<${le} error=${i} />`}
        ${!s&&!i&&r&&n`<p class="loading">Opening the room…</p>`}
        ${!s&&!i&&!r&&(t?n`<${T}>This room is not open yet.<//>`:n`<${q}>to join the room<//>`)}
      <//>
      <${g} title="Albums" label="genre-albums-title">
        <${w} resource=${a}>
          ${m=>{let c=m.albums.filter(p=>fe(p.genre)===o);return c.length===0?n`<${T}>No albums in this genre yet.<//>`:n`<ul class="list">
                  ${c.map(p=>n`<li key=${p.albumId}>
                      <a href=${`#/music/albums/${p.albumId}`}><strong>${p.title}</strong></a>
                      <div class="row small muted">${p.artist} <${ue} value=${p.averageRating} /></div>
                    </li>`)}
                </ul>`}}
        <//>
        <h3 style="margin-top:16px">Ratings</h3>
        <${w} resource=${l}>
          ${m=>{let c=m.data.genres.find(d=>fe(d.genre)===o),p=Array.from({length:10},(d,$)=>String(($+1)/2));return c&&c.reviews?n`<${it} title=${`Reviews of ${o} albums by stars`}
                  buckets=${p.map((d,$)=>({label:d,value:c.distribution[$]}))} />
                <p class="muted small">Average ${c.average_rating}★ over ${c.reviews} reviews, as of the last refresh.</p>`:n`<${T}>No ratings counted yet.<//>`}}
        <//>
      <//>
    </div>
  `}function at(e){return _(async()=>{if(!e)return new Set;let t=await b(`/users/${e.user_id}/followings?limit=200`);return new Set(t.followings.map(String))},[e==null?void 0:e.user_id])}function lt({user:e,target:t,followings:o,onChange:s,small:i=!1}){let[r,a]=h(!1);if(!e||!o.data||String(t.id)===String(e.user_id))return null;let l=o.data.has(String(t.id)),u=async()=>{a(!0);try{l?(await Q(`/users/${e.user_id}/unfollow`,{unfollowUserId:Number(t.id)}),y(`You unfollowed ${t.name}.`)):(await S(`/users/${e.user_id}/follow`,{followUserId:Number(t.id)}),y(`You follow ${t.name} now.`)),o.setData(m=>{let c=new Set(m);return l?c.delete(String(t.id)):c.add(String(t.id)),c}),s&&s(!l)}catch(m){y(m instanceof M?m.summary:String(m))}finally{a(!1)}};return n`
    <button
      class=${`btn ${l?"btn-secondary":""} ${i?"btn-sm":""}`}
      type="button"
      aria-pressed=${l?"true":"false"}
      aria-label=${l?`Unfollow ${t.name}`:`Follow ${t.name}`}
      disabled=${r}
      onClick=${u}
    >
      ${l?"Following":"Follow"}
    </button>
  `}function wr({tweet:e,user:t,onDeleted:o}){let[s,i]=h(!1),r=t&&e.userId===String(t.user_id),a=async()=>{i(!0);try{await Q(`/tweets/${e.tweetId}`),o(e.tweetId),y("Your post is deleted.")}catch(l){y(l instanceof M?l.summary:String(l)),i(!1)}};return n`
    <li class=${`tweet ${e.fresh?"fresh":""}`} data-testid="tweet" data-tweet-id=${e.tweetId}>
      <${ce} name=${e.username} />
      <div class="tweet-body">
        <div class="tweet-head">
          <a href=${`#/users/${e.userId}`}>${e.username}</a>
          <span class="small muted"><${A} iso=${e.timestamp} /></span>
          ${r&&n`<${rt} label="Delete this post" question="Delete this post?" busy=${s}
            onConfirm=${a} />`}
        </div>
        <p class="tweet-text">${e.content}</p>
      </div>
    </li>
  `}function ct({tweets:e,user:t,onDeleted:o,empty:s="Nothing here yet."}){return e.length?n`
    <ul class="list" data-testid="tweets" aria-live="polite">
      ${e.map(i=>n`<${wr} key=${i.tweetId} tweet=${i} user=${t} onDeleted=${o} />`)}
    </ul>
  `:n`<${T}>${s}<//>`}var kr=280;function xr({onPosted:e}){let t=O({content:""},async(i,{reset:r})=>{let a=await S("/tweets",{content:i.content});r(),e(a)}),o=kr-t.values.content.length,s=t.bind("content");return n`
    <form class="form" onSubmit=${t.submit} ref=${t.ref} novalidate aria-label="New post">
      <div class="field">
        <label for="compose">What's happening?</label>
        <textarea id="compose" name="content" rows="3" value=${s.value} onInput=${s.onInput}
          aria-invalid=${s.error?"true":void 0}
          aria-describedby=${s.error?"compose-count compose-error":"compose-count"} />
        <div class="row-between">
          <span id="compose-count" class=${`counter ${o<0?"over":""}`}>${o} characters left</span>
        </div>
        ${s.error&&n`<span class="field-error" id="compose-error">${s.error}</span>`}
      </div>
      <${B} form=${t} />
      <div class="form-actions"><${H} form=${t} busyText="Posting…">Post<//></div>
    </form>
  `}function Sr({user:e,followings:t}){var u;let[o,s]=h(""),[i,r]=h(""),a=_(()=>i?b(`/users?q=${encodeURIComponent(i)}&limit=10`,{auth:!1}):Promise.resolve(null),[i]),l=(((u=a.data)==null?void 0:u.users)||[]).filter(m=>m.user_id!==String(e.user_id));return n`
    <${g} title="Find people" label="find-people-title">
      <form class="search" role="search" onSubmit=${m=>{m.preventDefault(),r(o.trim().toLowerCase())}}>
        <label class="visually-hidden" for="people-search">Username starts with</label>
        <input id="people-search" type="search" placeholder="Username" value=${o}
          onInput=${m=>s(m.currentTarget.value)} />
        <button class="btn btn-secondary" type="submit">Find</button>
      </form>
      ${a.data&&(l.length===0?n`<p class="muted small" style="margin-top:12px">Nobody found.</p>`:n`<ul class="list" style="margin-top:12px">
            ${l.map(m=>n`<li class="row-between" key=${m.user_id}>
                <${se} id=${m.user_id} name=${m.username} />
                <${lt} user=${e} target=${{id:m.user_id,name:m.username}} followings=${t} small />
              </li>`)}
          </ul>`)}
    <//>
  `}function ss(){let{user:e}=E(v),t=at(e),o=_(()=>e?b(`/tweets/homeTimeline/${e.user_id}?limit=30`):Promise.resolve(null),[e==null?void 0:e.user_id]),[s,i]=h(!1),r=(u,m=!0)=>o.setData(c=>{if(!c||c.tweets.some(d=>d.tweetId===u.tweetId))return c;let p=[{...u,fresh:m},...c.tweets].sort((d,$)=>Number($.tweetId)-Number(d.tweetId));return{...c,tweets:p}}),a=u=>o.setData(m=>m&&{...m,tweets:m.tweets.filter(c=>c.tweetId!==String(u))});ee({enabled:!!e,path:"/tweets/live",auth:"required",onFrame:u=>{u.type==="tweet"?r(u):u.type==="tweet_deleted"?a(u.tweetId):(u.type==="reload"||u.type==="follows_changed")&&o.reload()}},[e==null?void 0:e.user_id]);let l=async()=>{i(!0);try{let u=await b(`/tweets/homeTimeline/${e.user_id}?limit=30&before=${o.data.next_cursor}`);o.setData(m=>({tweets:[...m.tweets,...u.tweets],next_cursor:u.next_cursor}))}finally{i(!1)}};return e?n`
    <${L} title="Timeline" subtitle="Short posts from you and the people you follow, as they happen." />
    <div class="grid">
      <div class="stack">
        <${g}><${xr} onPosted=${u=>r(u,!1)} /><//>
        <${g} title="Home" label="home-title">
          <${w} resource=${o} loadingText="Loading your timeline…">
            ${u=>n`
              <${ct} tweets=${u.tweets} user=${e} onDeleted=${a}
                empty="Nothing here yet. Follow people to fill your timeline." />
              ${u.next_cursor&&n`<div style="margin-top:14px"><button class="btn btn-secondary" type="button" disabled=${s}
                onClick=${l}>${s?"Loading\u2026":"Load older posts"}</button></div>`}
            `}
          <//>
        <//>
      </div>
      <div class="stack">
        <${Sr} user=${e} followings=${t} />
        <${g} title="You follow" label="you-follow-title">
          ${t.data&&t.data.size===0?n`<${T}>You don't follow anyone yet.<//>`:n`<p class="muted small" style="margin:0">
                ${t.data?`${D(t.data.size,"person","people")}.`:""} <a href=${"#/profile"}>See them on your profile</a>.
              </p>`}
        <//>
      </div>
    </div>
  `:n`
      <${L} title="Timeline" subtitle="Short posts from the people you follow, as they happen." />
      <${q}>to see your timeline<//>
    `}function Me({page:e,emptyText:t}){return e.users.length?n`
    <ul class="list">
      ${e.users.map(o=>n`<li key=${o.user_id}><${se} id=${o.user_id} name=${o.username} /></li>`)}
    </ul>
  `:n`<${T}>${t}<//>`}function rs({params:e}){let{user:t}=E(v),o=e.id,s=_(()=>b(`/users/profile/${o}`,{auth:!1}),[o]),i=_(()=>b(`/tweets/userTimeline/${o}?limit=50`,{auth:!1}),[o]),r=_(()=>b(`/users/${o}/followers?limit=20`,{auth:!1}),[o]),a=_(()=>b(`/users/${o}/followings?limit=20`,{auth:!1}),[o]),l=at(t),u=()=>{s.reload(),r.reload()},m=c=>i.setData(p=>({...p,tweets:p.tweets.filter(d=>d.tweetId!==c)}));return n`
    <${w} resource=${s} loadingText="Loading the profile…">
      ${c=>n`
        <div class="card" style="margin-bottom:24px">
          <div class="row" style="gap:18px;align-items:flex-start">
            <${ce} name=${c.username} src=${c.profile_picture} large />
            <div style="flex:1;min-width:200px">
              <${L} title=${c.username}
                subtitle=${n`Joined <${A} iso=${c.created_at} time=${!1} />${c.role==="admin"?n` · <${G} kind="primary">Admin<//>`:""}`}>
                <${lt} user=${t} target=${{id:c.userId,name:c.username}} followings=${l} onChange=${u} />
              <//>
              ${c.bio?n`<p class="prose">${c.bio}</p>`:n`<p class="muted">No bio yet.</p>`}
              <div class="stats">
                <div class="stat"><strong data-testid="followers-count">${c.followers_count}</strong><span>followers</span></div>
                <div class="stat"><strong>${c.followings_count}</strong><span>following</span></div>
                <div class="stat"><strong>${i.data?i.data.tweets.length:"\u2013"}</strong><span>recent posts</span></div>
              </div>
            </div>
          </div>
        </div>
        <div class="grid">
          <${g} title="Posts" label="posts-title">
            <${w} resource=${i}>
              ${p=>n`<${ct} tweets=${p.tweets} user=${t} onDeleted=${m}
                empty=${`${c.username} has not posted yet.`} />`}
            <//>
          <//>
          <div class="stack">
            <${g} title=${`Followers (${c.followers_count})`} label="followers-title">
              <${w} resource=${r}>${p=>n`<${Me} page=${p} emptyText="No followers yet." />`}<//>
            <//>
            <${g} title=${`Following (${c.followings_count})`} label="following-title">
              <${w} resource=${a}>${p=>n`<${Me} page=${p} emptyText="Follows nobody yet." />`}<//>
            <//>
          </div>
        </div>
      `}
    <//>
  `}var Tr={live:["live","Live"],paused:["warning","Paused"],scheduled:["primary","Scheduled"],finished:["","Final"],postponed:["warning","Postponed"],cancelled:["danger","Cancelled"]};function De({game:e}){let[t,o]=Tr[e.status]||["",e.status];return n`<${G} kind=${t}>${o}${e.status==="live"&&e.current_period?` \xB7 ${e.current_period}`:""}<//>`}function Ot(e,t){if(t.type==="snapshot")return{...t.game};if(!e)return e;if(t.type==="score"&&t.version>=(e.version||0))return{...e,version:t.version,score_team_1:t.score_team_1,score_team_2:t.score_team_2,status:t.status,current_period:t.current_period,period_running:t.period_running};if(t.type==="event"&&t.event){let o=e.event_details||[];return o.some(s=>s.event_id===t.event.event_id)?e:{...e,event_details:[...o,t.event]}}return e}function ns({initial:e}){let[t,o]=h(e);return ee({path:`/sports/games/${e.game_id}/live`,auth:"optional",onFrame:s=>o(i=>Ot(i,s))},[e.game_id]),n`
    <a class="card card-link score-card" href=${`#/sports/games/${t.game_id}`} data-testid="score-card"
      aria-label=${`${t.team_1} ${t.score_team_1}, ${t.team_2} ${t.score_team_2}, ${t.status}`}>
      <div class="row-between">
        <span class="small muted">${t.sport_category}</span>
        <${De} game=${t} />
      </div>
      <div class="scoreline">
        <span class="team">${t.team_1}</span>
        <span class="score" data-testid="score">${t.score_team_1} – ${t.score_team_2}</span>
        <span class="team">${t.team_2}</span>
      </div>
      <span class="small muted">Started <${A} iso=${t.started_at||t.start_time} /></span>
    </a>
  `}function ut(e){return _(async()=>e?(await b("/sports/teams/following?limit=200")).data:[],[e==null?void 0:e.user_id])}function Oe({team:e,followed:t,small:o=!0,compact:s=!1}){let[i,r]=h(!1);if(!t.data)return null;let a=t.data.some(u=>u.team.toLowerCase()===e.toLowerCase());return n`
    <button class=${`btn btn-secondary ${o?"btn-sm":""}`} type="button" disabled=${i}
      aria-pressed=${a?"true":"false"} onClick=${async()=>{r(!0);try{a?await Q("/sports/teams/follow",{team:e}):await S("/sports/teams/follow",{team:e}),y(a?`You unfollowed ${e}.`:`You follow ${e}: you will hear about its scores.`),await t.reload()}catch(u){y(u instanceof M?u.summary:String(u))}finally{r(!1)}}}
      aria-label=${a?`Unfollow ${e}`:`Follow ${e}`}>
      ${s?a?"Unfollow":"Follow":a?`Following ${e}`:`Follow ${e}`}
    </button>
  `}var Cr=3e4,Er=[["all","All time"],["24h","Last 24 hours"],["7d","Last 7 days"],["4w","Last 4 weeks"]];function Rr({onDone:e}){let t=O({category_name:""},async(o,{reset:s})=>{let i=await S("/sports/categories",o);return s(),e(),`"${i.data.category_name}" is added.`});return n`
    <form class="form" onSubmit=${t.submit} ref=${t.ref} novalidate aria-label="New category">
      <${k} form=${t} name="category_name" label="Category name" required hint="For example: Football" />
      <${B} form=${t} />
      <div class="form-actions"><${H} form=${t} busyText="Adding…">Add category<//></div>
    </form>
  `}function Lr({categories:e}){var s;let t=new Date;t.setSeconds(0,0);let o=O({category_id:((s=e[0])==null?void 0:s.category_id)||"",team_1:"",team_2:"",start_time:Re(t)},async i=>{let r=await S("/sports/games",{...i,start_time:Le(i.start_time)});y(`${r.data.team_1} v ${r.data.team_2} is scheduled.`,{kind:"success"}),J(`/sports/games/${r.data.game_id}`)},{labels:{team_1:"the home team",team_2:"the away team",start_time:"the start"}});return e.length?n`
    <form class="form" onSubmit=${o.submit} ref=${o.ref} novalidate aria-label="New game">
      <${Ne} form=${o} name="category_id" label="Category"
        options=${e.map(i=>[i.category_id,i.category_name])} />
      <div class="form-row">
        <${k} form=${o} name="team_1" label="Home team" required />
        <${k} form=${o} name="team_2" label="Away team" required />
      </div>
      <${k} form=${o} name="start_time" label="Starts" type="datetime-local" required />
      <${B} form=${o} />
      <div class="form-actions"><${H} form=${o} busyText="Scheduling…">Create game<//></div>
    </form>
  `:n`<p class="muted">Add a category first.</p>`}function Fr({category:e}){let[t,o]=h("all"),s=_(()=>b(`/sports/analytics?time_range=${t}${e?`&sport_category=${encodeURIComponent(e)}`:""}`,{auth:!1}),[t,e]);return n`
    <${g}
      title="Analytics"
      label="analytics-title"
      actions=${n`
        <label class="visually-hidden" for="range">Time range</label>
        <select id="range" value=${t} onChange=${i=>o(i.currentTarget.value)} style="min-height:34px;padding:4px 8px">
          ${Er.map(([i,r])=>n`<option value=${i} selected=${i===t}>${r}</option>`)}
        </select>
      `}
    >
      <${w} resource=${s} loadingText="Crunching numbers…">
        ${i=>{let r=i.data,a=(u,m)=>{var c;return((c=u.metrics.find(p=>p.metric_name===m))==null?void 0:c.value)||0},l=r.detailed_reports.map(u=>({label:u.report_name.replace(/ \(.*\)$/,""),values:[a(u,"games"),a(u,"events"),a(u,"scoring_events")]}));return n`
            <p class="muted small" data-testid="analytics-as-of">
              ${r.as_of?n`As of <${A} iso=${r.as_of} /> (the warehouse refreshes every few minutes)`:"Not computed yet: the warehouse has not been refreshed."}
            </p>
            <div class="stats" style="margin-bottom:16px">
              <div class="stat"><strong>${r.analytics_summary.total_events}</strong><span>games</span></div>
              <div class="stat"><strong>${r.analytics_summary.total_game_events}</strong><span>game events</span></div>
              <div class="stat"><strong>${r.analytics_summary.average_score}</strong><span>average score per team</span></div>
            </div>
            <h3>Top teams by average score</h3>
            <${xe} title="Top teams by average score"
              items=${r.analytics_summary.top_teams.map(u=>({label:u.team_name,value:u.average_score}))} />
            <h3 style="margin-top:18px">Activity per category</h3>
            <${nt} title="Activity per category" groups=${l} series=${["games","events","scoring events"]} />
          `}}
      <//>
    <//>
  `}function Ir({user:e,followed:t}){var u;let[o,s]=h(""),[i,r]=h(null),a=_(()=>b("/sports/teams?limit=200",{auth:!1}),[]),l=async m=>{if(m.preventDefault(),r(null),!o.trim()){r("Type a team name.");return}try{await S("/sports/teams/follow",{team:o.trim()}),y(`You follow ${o.trim()}: you will hear about its scores.`),s(""),t.reload()}catch(c){r(c.summary||String(c))}};return e?n`
    <${g} title="Teams you follow" label="teams-title">
      <${w} resource=${t}>
        ${m=>m.length===0?n`<p class="muted small">You follow no team yet. Their score changes reach your bell.</p>`:n`<ul class="list" style="margin-bottom:12px">
                ${m.map(c=>n`<li class="row-between" key=${c.team_id}>
                  <strong>${c.team}</strong>
                  <${Oe} team=${c.team} followed=${t} compact />
                </li>`)}
              </ul>`}
      <//>
      <form class="inline-form" onSubmit=${l} novalidate>
        <label class="visually-hidden" for="team-name">Team to follow</label>
        <input id="team-name" type="text" list="team-names" placeholder="Team name" value=${o}
          aria-invalid=${i?"true":void 0} aria-describedby=${i?"team-error":void 0}
          onInput=${m=>{s(m.currentTarget.value),r(null)}} />
        <datalist id="team-names">
          ${(((u=a.data)==null?void 0:u.data)||[]).map(m=>n`<option value=${m.team_name} />`)}
        </datalist>
        <button class="btn btn-secondary" type="submit">Follow</button>
      </form>
      ${i&&n`<p class="field-error" id="team-error" role="alert" style="margin-top:6px">${i}</p>`}
    <//>
  `:n`<${g} title="Teams you follow"><${q}>to follow teams<//><//>`}var Ar=[["Live",e=>e.status==="live"||e.status==="paused",1],["Upcoming",e=>["scheduled","postponed","cancelled"].includes(e.status),1],["Final",e=>e.status==="finished",-1]];function Nr({games:e}){return Ar.map(([t,o,s])=>{let i=e.filter(o).sort((r,a)=>s*(Date.parse(r.start_time)-Date.parse(a.start_time))||r.game_id-a.game_id);return i.length===0?null:n`
      <section class="schedule-group" aria-label=${t} data-testid=${`schedule-${t.toLowerCase()}`}>
        <h3 class="small muted">${t}</h3>
        <ul class="list">
          ${i.map(r=>n`
            <li class="row-between" key=${r.game_id}>
              <div>
                <a href=${`#/sports/games/${r.game_id}`}><strong>${r.team_1} v ${r.team_2}</strong></a>
                <div class="small muted">${r.sport_category} · <${A} iso=${r.start_time} /></div>
              </div>
              <div class="row">
                ${r.status!=="scheduled"&&n`<span class="score" style="font-size:1.1rem">${r.score_team_1} – ${r.score_team_2}</span>`}
                <${De} game=${r} />
              </div>
            </li>`)}
        </ul>
      </section>
    `})}function is({query:e}){var p;let{user:t}=E(v),o=e.get("category")||"",s=_(()=>b("/sports/categories",{auth:!1}),[]),i=o?`sport_category=${encodeURIComponent(o)}`:"",r=_(()=>b(`/sports/ongoing-events?limit=12&${i}`,{auth:!1}),[o]),a=_(()=>b(`/sports/games?limit=15&${i}`,{auth:!1}),[o]),l=ut(t),[u,m]=h(null);P(()=>{let d=setInterval(()=>{r.reload(),a.reload()},Cr);return()=>clearInterval(d)},[o]);let c=((p=s.data)==null?void 0:p.data)||[];return n`
    <${L} title="Sports" subtitle="Live scores, game chat and numbers from every game.">
      ${z(t)&&n`<button class="btn btn-secondary" type="button" aria-expanded=${u==="category"?"true":"false"}
        onClick=${()=>m(u==="category"?null:"category")}>New category</button>`}
      ${ot(t)&&n`<button class="btn" type="button" aria-expanded=${u==="game"?"true":"false"}
        onClick=${()=>m(u==="game"?null:"game")}>New game</button>`}
    <//>
    ${u==="category"&&n`<div style="margin-bottom:24px"><${g} title="New category"><${Rr} onDone=${s.reload} /><//></div>`}
    ${u==="game"&&n`<div style="margin-bottom:24px"><${g} title="New game"><${Lr} categories=${c} /><//></div>`}
    ${c.length>0&&n`<nav class="chips" aria-label="Categories" style="margin-bottom:20px">
      <a class="chip" href="#/sports" aria-current=${o?void 0:"page"}>All</a>
      ${c.map(d=>n`<a class="chip" key=${d.category_id} href=${`#/sports?category=${encodeURIComponent(d.category_name)}`}
        aria-current=${o.toLowerCase()===d.category_name.toLowerCase()?"page":void 0}>${d.category_name}</a>`)}
    </nav>`}
    <div class="grid">
      <div class="stack">
        <section aria-labelledby="live-title">
          <h2 id="live-title">Live now</h2>
          <${w} resource=${r} loadingText="Loading live games…">
            ${d=>d.data.length===0?n`<${T}>No game is being played right now.<//>`:n`<div class="cards" data-testid="live-games">
                    ${d.data.map($=>n`<${ns} key=${$.game_id} initial=${$} />`)}
                  </div>`}
          <//>
        </section>
        <${Fr} category=${o} />
      </div>
      <div class="stack">
        <${Ir} user=${t} followed=${l} />
        <${g} title="Schedule and results" label="schedule-title">
          <${w} resource=${a}>
            ${d=>d.data.length===0?n`<${T}>No games yet.<//>`:n`<${Nr} games=${d.data} />`}
          <//>
        <//>
      </div>
    </div>
  `}var Pr=[["period_start","Start a period"],["goal","Goal"],["point","Points"],["card","Card"],["substitution","Substitution"],["note","Note"],["pause","Pause"],["resume","Resume"],["period_end","End the period"],["final","Final whistle"],["postpone","Postpone"],["cancel","Cancel"]],Bt=new Set(["goal","point"]);function Mr({game:e}){let t=e.status==="scheduled"?"period_start":"goal",o=O({event_type:t,team:"team_1",points:"",description:"",period:""},async(r,{setValues:a})=>{let l={event_type:r.event_type};r.team&&(l.team=r.team),String(r.points).trim()&&(l.points=Number(r.points)),r.description.trim()&&(l.description=r.description.trim()),r.period.trim()&&(l.period=r.period.trim());let u=await S(`/sports/games/${e.game_id}/events`,l);return a(m=>({...m,description:"",points:"",period:""})),`Recorded: ${u.data.event.description}`}),s=o.values.event_type,i=[["","No team"],["team_1",e.team_1],["team_2",e.team_2]];return n`
    <form class="form" onSubmit=${o.submit} ref=${o.ref} novalidate aria-label="Record an event">
      <div class="form-row">
        <${Ne} form=${o} name="event_type" label="What happened" options=${Pr} />
        <${Ne} form=${o} name="team" label="Team" options=${i} />
      </div>
      <div class="form-row">
        ${Bt.has(s)&&n`<${k} form=${o} name="points" label="Points" type="number" min="1" hint="Default 1" />`}
        ${s==="period_start"&&n`<${k} form=${o} name="period" label="Period name" hint="Default: Period N" />`}
        <${k} form=${o} name="description" label="Description" hint="Optional" />
      </div>
      <${B} form=${o} />
      <div class="form-actions"><${H} form=${o} busyText="Recording…">Record event<//></div>
    </form>
  `}function Dr({events:e}){if(!e.length)return n`<${T}>Nothing has happened yet.<//>`;let t=[...e].reverse();return n`
    <ol class="list events" data-testid="events" aria-live="polite">
      ${t.map(o=>n`
          <li key=${o.event_id}>
            <span class=${`kind ${Bt.has(o.event_type)?"scoring":""}`}>${o.event_type.replace("_"," ")}</span>
            <span>${o.description}<span class="small muted"> · ${o.period||""}</span></span>
            <span class="at">${o.score_team_1}–${o.score_team_2}</span>
          </li>
        `)}
    </ol>
  `}function Or({gameId:e}){let{room:t,error:o,waiting:s}=ke({kind:"game",ref:e,canOpen:!1});return t?n`<${$e} roomId=${t.roomId} label="Game chat messages" />`:o?n`<${le} error=${o} />`:s?n`<p class="loading">Opening the chatroom…</p>`:n`<${T}>The chatroom is not open yet.<//>`}function as({params:e}){let{user:t}=E(v),o=e.id,s=_(async()=>(await b(`/sports/games/${o}`,{auth:!1})).data,[o]),i=ut(t);ee({path:`/sports/games/${o}/live`,auth:"optional",onFrame:a=>{a.type==="reload"?s.reload():s.setData(l=>Ot(l,a))}},[o]);let r=n`<a href="#/sports">Sports</a> › Game`;return n`
    <${w} resource=${s} loadingText="Loading the game…">
      ${a=>n`
        <${L} title=${`${a.team_1} v ${a.team_2}`} crumbs=${r}
          subtitle=${n`${a.sport_category} · starts <${A} iso=${a.start_time} />`} />
        <div class="card scoreboard" style="margin-bottom:24px" data-testid="scoreboard">
          <div class="row-between" style="margin-bottom:10px">
            <${De} game=${a} />
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
            <${g} title="Events" label="events-title"><${Dr} events=${a.event_details||[]} /><//>
            <${g} title="Score over the game" label="chart-title">
              <${ts} events=${(a.event_details||[]).filter(l=>Bt.has(l.event_type))}
                team1=${a.team_1} team2=${a.team_2} />
            <//>
            ${ot(t)&&!["finished","cancelled"].includes(a.status)&&n`<${g} title="Record an event" label="record-title"><${Mr} game=${a} /><//>`}
          </div>
          <div class="stack">
            <${g} title="Follow the teams" label="follow-teams-title">
              ${t?n`<div class="row">
                    <${Oe} team=${a.team_1} followed=${i} />
                    <${Oe} team=${a.team_2} followed=${i} />
                  </div>
                  <p class="small muted" style="margin:10px 0 0">Score changes of the teams you follow reach your bell.</p>`:n`<${q}>to follow these teams<//>`}
            <//>
            <${g} title="Game chat" label="game-chat-title"><${Or} gameId=${o} /><//>
          </div>
        </div>
      `}
    <//>
  `}var Br=[[7,"Last 7 days"],[30,"Last 30 days"],[90,"Last 90 days"]],Hr=[["active_users","active members"],["new_users","new members"]],ls=[["posts","posts"],["reviews","reviews"],["votes","votes"],["entries","entries"],["likes","likes"],["chat_messages","chat messages"]],qr=Array.from({length:10},(e,t)=>String((t+1)/2));function Ur(e){return e.toISOString().slice(0,10)}function cs(e,t){return t.map(([o,s])=>({name:s,values:e[o]}))}function Yr({onDone:e}){let[t,o]=h(!1);return n`<button class="btn btn-sm" type="button" onClick=${async()=>{o(!0);try{let i=(await S("/analytics/refresh")).data;y(`Refreshed: ${i.rows_changed} rows changed in ${i.seconds.toFixed(2)} s.`,{kind:"success"}),e()}catch(i){y(i.summary||String(i),{kind:"error"})}finally{o(!1)}}} disabled=${t} data-testid="refresh">
    ${t?"Refreshing\u2026":"Refresh now"}
  </button>`}function Wr({data:e}){let t=e.daily,o=ls.map(([r,a])=>[a,t[r].reduce((l,u)=>l+u,0)]),s=e.genres.map(r=>({label:r.genre,value:r.average_rating})),i=qr.map((r,a)=>({label:r,value:e.genres.reduce((l,u)=>l+u.distribution[a],0)}));return n`
    <div class="stats" style="margin-bottom:16px">
      ${o.map(([r,a])=>n`<div class="stat" key=${r}><strong>${a}</strong><span>${r}</span></div>`)}
    </div>
    <div class="grid insights">
      <${g} title="Members, day by day" label="members-title">
        <${Dt} title="Members, day by day" days=${t.days} series=${cs(t,Hr)} />
      <//>
      <${g} title="Activity, day by day" label="activity-title">
        <${Dt} title="Activity, day by day" days=${t.days} series=${cs(t,ls.slice(0,4))} />
      <//>
      <${g} title="Best-rated albums" label="albums-title">
        <${xe} title="Best-rated albums" unit="★"
          items=${e.top_albums.map(r=>({label:r.title,value:r.average_rating}))} />
      <//>
      <${g} title="Ratings" label="ratings-title">
        <h3>Average per genre</h3>
        <${xe} title="Average rating per genre" unit="★" items=${s} />
        <h3 style="margin-top:14px">All reviews by stars</h3>
        <${it} title="Reviews by rating" buckets=${i} />
      <//>
      <${g} title="Most followed members" label="followed-title">
        <${xe} title="Most followed members"
          items=${e.most_followed.map(r=>({label:`member #${r.user_id}`,value:r.followers}))} />
      <//>
      <${g} title="Competitions" label="competitions-title">
        <${nt} title="Competition participation" series=${["entries","entrants","likes","comments"]}
          groups=${e.competitions.map(r=>({label:r.title.slice(0,18),values:[r.entries,r.entrants,r.likes,r.comments]}))} />
      <//>
      <${g} title="Books of the month" label="books-title">
        ${e.books_of_the_month.length===0?n`<${T}>No poll has closed yet.<//>`:n`<ul class="list">
              ${e.books_of_the_month.map(r=>n`<li class="row-between" key=${r.poll_id}>
                  <span><strong>${r.title}</strong> · ${r.author}</span>
                  <span class="muted small">${ie(r.month)} · ${r.votes} of ${r.total_votes} votes</span>
                </li>`)}
            </ul>`}
      <//>
    </div>
  `}function us(){let{user:e}=E(v),[t,o]=h(30),[s,i]=h(null),r=_(async()=>{if(!z(e))return null;if(!s){let u=await b("/analytics/overview");if(i(u.data.to),t===30)return u}let a=s||(await b("/analytics/overview")).data.to,l=Ur(new Date(Date.parse(`${a}T00:00:00Z`)-(t-1)*864e5));return b(`/analytics/overview?from=${l}&to=${a}`)},[t,e==null?void 0:e.user_id]);return e?z(e)?n`
    <${L} title="Insights" subtitle="How the community is doing, from the warehouse.">
      <label class="visually-hidden" for="span">Period</label>
      <select id="span" value=${t} onChange=${a=>o(Number(a.currentTarget.value))} style="min-height:34px;padding:4px 8px">
        ${Br.map(([a,l])=>n`<option value=${a} selected=${a===t}>${l}</option>`)}
      </select>
      <${Yr} onDone=${r.reload} />
    <//>
    <${w} resource=${r} loadingText="Reading the warehouse…">
      ${a=>n`
        <p class="muted small" data-testid="as-of">
          ${a.data.as_of?n`As of <${A} iso=${a.data.as_of} />`:"The warehouse has not been refreshed yet."}
        </p>
        <${Wr} data=${a.data} />
      `}
    <//>
  `:n`<${L} title="Insights" /><${T}>Insights are for admins.<//>`:n`<${L} title="Insights" /><${q}>as an admin to see insights<//>`}var jr={like:"Like",comment:"Comment",reply:"Reply",placement:"Results",new_submission:"New entry",score_update:"Score",news:"News",follow:"Follower",book_of_the_month:"Bookclub",review:"Review"};function Ht(e){let t=e.data||{};return t.competition_id?`/competitions/${t.competition_id}`:t.thread_id?`/bookclub/threads/${t.thread_id}`:t.game_id?`/sports/games/${t.game_id}`:t.follower_id?`/users/${t.follower_id}`:t.album_id?`/music/albums/${t.album_id}`:e.type==="book_of_the_month"?"/bookclub":null}function ms(){let{user:e}=E(v),{items:t,unread:o,loaded:s}=E(te),[i,r]=h(!1),a=async u=>{u.read||await Lo(u.notification_id).catch(()=>null);let m=Ht(u);m&&J(m)},l=async()=>{r(!0);try{await Fo(),y("All caught up.")}finally{r(!1)}};return e?n`
    <${L} title="Notifications" subtitle=${o?`${D(o,"unread notification")}.`:"You are all caught up."}>
      <button class="btn btn-secondary" type="button" disabled=${i||!o} onClick=${l}>Mark all as read</button>
    <//>
    <${g}>
      ${s?t.length===0?n`<${T}>Nothing yet. Likes, comments, results and scores of the teams you follow show up here.<//>`:n`<ul class="list" data-testid="notifications" aria-live="polite">
              ${t.map(u=>n`
                  <li class=${`notice ${u.read?"":"unread"}`} key=${u.notification_id} data-testid="notification">
                    <span class="dot" aria-hidden="true"></span>
                    <div class="notice-body">
                      <div class="type-tag">${jr[u.type]||u.type}${u.read?"":n`<span class="visually-hidden"> (unread)</span>`}</div>
                      <div class="notice-text">${u.message}</div>
                      <div class="small muted"><${A} iso=${u.created_at} /></div>
                    </div>
                    ${(Ht(u)||!u.read)&&n`<button class="btn btn-ghost btn-sm" type="button" onClick=${()=>a(u)}>
                      ${Ht(u)?"Open":"Mark read"}
                    </button>`}
                  </li>
                `)}
            </ul>`:n`<${ae} text="Loading notifications…" />`}
    <//>
  `:n`<${L} title="Notifications" /><${q}>to see your notifications<//>`}var mt=[["like","Likes on my entries"],["comment","Comments on my entries"],["reply","Replies to my comments and threads"],["placement","My places in results"],["new_submission","New entries where I subscribed"],["score_update","Scores of teams I follow"],["follow","New followers"],["news","News"]];function Gr({user:e}){let t=O({bio:e.bio||"",profile_picture:e.profile_picture||""},async o=>{let s=await et("/users/profile",o);return Ct(s),"Your profile is saved."});return n`
    <form class="form" onSubmit=${t.submit} ref=${t.ref} novalidate aria-label="About you">
      <${k} form=${t} name="bio" label="Bio" multiline rows="4" hint="Up to 500 characters." />
      <${k} form=${t} name="profile_picture" label="Picture URL" type="url"
        hint="An http(s) address of an image, or empty for your initials." />
      <${B} form=${t} />
      <div class="form-actions"><${H} form=${t}>Save profile<//></div>
    </form>
  `}function Vr({user:e}){var i;let t=((i=e.preferences)==null?void 0:i.notifications)||{enabled:!0,types:mt.map(([r])=>r)},o={enabled:t.enabled};for(let[r]of mt)o[r]=t.types.includes(r);let s=O(o,async r=>{let a=mt.map(([u])=>u).filter(u=>r[u]),l=await Qe(`/users/${e.user_id}/preferences/notifications`,{enabled:r.enabled,types:a});return Ct({preferences:{notifications:l.data}}),"Your notification preferences are saved."});return n`
    <form class="form" onSubmit=${s.submit} ref=${s.ref} novalidate aria-label="Notification preferences">
      <${Pe} form=${s} name="enabled" label="Send me notifications" />
      <fieldset class="checks" disabled=${!s.values.enabled}>
        <legend>Tell me about</legend>
        ${mt.map(([r,a])=>n`<${Pe} form=${s} name=${r} label=${a} />`)}
      </fieldset>
      <${B} form=${s} />
      <div class="form-actions"><${H} form=${s}>Save preferences<//></div>
    </form>
  `}function ds(){let{user:e}=E(v),t=_(()=>e?b("/users/profile"):Promise.resolve(null),[e==null?void 0:e.user_id]),o=_(()=>e?b(`/users/${e.user_id}/followers?limit=50`):Promise.resolve(null),[e==null?void 0:e.user_id]),s=_(()=>e?b(`/users/${e.user_id}/followings?limit=50`):Promise.resolve(null),[e==null?void 0:e.user_id]),i=_(()=>e?b("/users/profile/submissions?limit=20"):Promise.resolve(null),[e==null?void 0:e.user_id]);return e?n`
    <${w} resource=${t} loadingText="Loading your profile…">
      ${r=>n`
        <div class="card" style="margin-bottom:24px">
          <div class="row" style="gap:18px;align-items:flex-start">
            <${ce} name=${r.username} src=${r.profile_picture} large />
            <div style="flex:1;min-width:200px">
              <${L} title=${r.username}
                subtitle=${n`${r.email||"No email"} · joined <${A} iso=${r.created_at} time=${!1} /> ·
                  <${G} kind=${r.role==="admin"?"primary":""}>${r.role}<//>`}>
                <a class="btn btn-secondary" href=${`#/users/${r.userId}`}>See your public page</a>
              <//>
              <div class="stats">
                <div class="stat"><strong>${r.followers_count}</strong><span>followers</span></div>
                <div class="stat"><strong>${r.followings_count}</strong><span>following</span></div>
              </div>
            </div>
          </div>
        </div>
        <div class="grid">
          <div class="stack">
            <${g} title="About you" label="about-title"><${Gr} user=${r} /><//>
            <${g} title="Notifications" label="prefs-title"><${Vr} user=${r} /><//>
            <${g} title="Your competition entries" label="entries-title">
              <${w} resource=${i}>
                ${a=>!a||a.length===0?n`<${T}>You have not entered a competition yet. <a href="#/competitions">See what is open</a>.<//>`:n`<ul class="list">
                        ${a.map(l=>n`<li key=${l.submission_id}>
                          <a href=${`#/competitions/${l.competition_id}`}><strong>${l.title}</strong></a>
                          <div class="small muted">${D(l.likes,"like")} · ${D(l.comments,"comment")}${l.place?` \xB7 place ${l.place}`:""}</div>
                        </li>`)}
                      </ul>`}
              <//>
            <//>
          </div>
          <div class="stack">
            <${g} title=${`Followers (${r.followers_count})`} label="my-followers-title">
              <${w} resource=${o}>${a=>n`<${Me} page=${a} emptyText="No followers yet." />`}<//>
            <//>
            <${g} title=${`Following (${r.followings_count})`} label="my-following-title">
              <${w} resource=${s}>${a=>n`<${Me} page=${a} emptyText="You follow nobody yet. Find people on the timeline." />`}<//>
            <//>
          </div>
        </div>
      `}
    <//>
  `:n`<${L} title="Your profile" /><${q}>to see your profile<//>`}function ps(){return n`
    <${L} title="Page not found" subtitle="There is nothing at this address." />
    <p><a class="btn" href="#/bookclub">Go to the bookclub</a></p>
  `}function zr({spans:e}){let t=new Set(e.map(l=>l.span_id)),o=new Map;for(let l of e){let u=t.has(l.parent_id)?l.parent_id:null;o.has(u)||o.set(u,[]),o.get(u).push(l)}let s=Math.min(...e.map(l=>l.start_ns)),i=Math.max(Math.max(...e.map(l=>l.end_ns))-s,1),r=[],a=(l,u)=>{r.push({span:l,depth:u});for(let m of o.get(l.span_id)||[])a(m,u+1)};for(let l of o.get(null)||[])a(l,0);return n`
    <ol class="waterfall" aria-label="Spans of the trace">
      ${r.map(({span:l,depth:u})=>{let m=(l.start_ns-s)/i*100,c=Math.max((l.end_ns-l.start_ns)/i*100,.5),p=((l.end_ns-l.start_ns)/1e6).toFixed(1);return n`
          <li class=${`waterfall-row${l.status==="error"?" is-error":""}`}>
            <span class="waterfall-name" style=${`padding-left: ${u*1.1}rem`}>
              ${l.name} <span class="muted">${l.instance||l.service}</span>
            </span>
            <span class="waterfall-track" aria-hidden="true">
              <span class="waterfall-bar" style=${`left: ${m}%; width: ${c}%`}></span>
            </span>
            <span class="waterfall-ms">${p} ms</span>
          </li>
        `})}
    </ol>
  `}function Jr({traceId:e}){let t=_(()=>de(`/admin/traces/${e}`,{base:""}),[e]);return t.error?n`<${le} error=${t.error} retry=${t.reload} />`:t.data===void 0?n`<${ae} text="Loading the trace…" />`:n`<${zr} spans=${t.data.spans} />`}function Kr({request:e}){let[t,o]=h(!1),s=e.status>=500;return n`
    <li class="request-row" data-testid="slow-request">
      <div class="request-line">
        <${G} kind=${s?"danger":"warning"}>${e.status}<//>
        <code>${e.method} ${e.path}</code>
        <span>${e.duration_ms} ms</span>
        <span class="muted">${e.instance||e.service}</span>
        <span class="muted"><${A} iso=${e.at} /></span>
        ${e.traced?n`<button class="link-btn" type="button" aria-expanded=${t?"true":"false"}
              onClick=${()=>o(!t)}>${t?"Hide trace":"Show trace"}</button>`:n`<span class="muted">${e.trace_id?"trace not sampled":"no trace"}</span>`}
      </div>
      <p class="muted request-ids">request ${e.request_id}${e.trace_id?` \xB7 trace ${e.trace_id}`:""}</p>
      ${t&&n`<${Jr} traceId=${e.trace_id} />`}
    </li>
  `}function $s({query:e}){let{user:t}=E(v),o=z(t),s=e.get("slow"),i=`/admin/requests${s?`?slow=${encodeURIComponent(s)}`:""}`,r=_(()=>o?de(i,{base:""}):Promise.resolve(null),[o,i]);return t?o?n`
    <${L}
      title="Slow and failed requests"
      subtitle="The latest requests that failed (5xx) or were slow, with their traces."
    >
      <button class="btn btn-secondary" type="button" onClick=${r.reload}>Refresh</button>
    <//>
    <${w} resource=${r}>
      ${a=>n`
        <${g} title=${`Slower than ${a.slow_ms} ms, or failed`}>
          ${a.requests.length===0?n`<${T}>None lately.<//>`:n`<ul class="request-list">${a.requests.map(l=>n`<${Kr} key=${l.request_id+l.at} request=${l} />`)}</ul>`}
        <//>
      `}
    <//>
  `:n`<${L} title="Slow and failed requests" /><${T}>Only admins see this page.<//>`:n`<${L} title="Slow and failed requests" /><${q}>as an admin<//>`}var Xr=[{path:"/",page:Nt},{path:"/bookclub",page:Nt},{path:"/bookclub/threads/:id",page:Wo},{path:"/login",page:Bo},{path:"/signup",page:Ho},{path:"/competitions",page:jo},{path:"/competitions/:id",page:Ko},{path:"/music",page:Xo},{path:"/music/albums/:id",page:es},{path:"/music/genres/:genre",page:os},{path:"/timeline",page:ss},{path:"/users/:id",page:rs},{path:"/sports",page:is},{path:"/sports/games/:id",page:as},{path:"/insights",page:us},{path:"/notifications",page:ms},{path:"/profile",page:ds},{path:"/admin/requests",page:$s}];function Zr(){let e=E(ne),{status:t,user:o}=E(v),s=o==null?void 0:o.user_id;P(()=>{s?Ro():Rt()},[s]),P(()=>{window.scrollTo(0,0)},[e.path]);let i=fo(Xr,e.path),r=i?i.entry.page:ps;return n`
    <${Po} />
    <${Ao} />
    <main id="main" class="page" tabindex="-1">
      ${t==="loading"?n`<${ae} />`:n`<${r} key=${e.path} params=${i?i.params:{}} query=${e.query} />`}
    </main>
    <${No} />
  `}var fs=document.getElementById("app");fs.textContent="";ft(n`<${Zr} />`,fs);To();
