import { createHash } from 'node:crypto';

/**
 * The portal's only stylesheet and script, kept as strings (they ship inside the build without a copy
 * step) and served under a content hash, cached for a year. Mobile first; colours pass WCAG AA
 * (text #1b1b1b and links #0a4d8c on white ≥ 7:1, white on #0a4d8c 8.6:1, errors #a4001d 8.3:1).
 * The script is an enhancement only: every page works without it.
 */

export const CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1b1b;background:#f4f6f8}
a{color:#0a4d8c}
a:hover{color:#06325c}
:focus-visible{outline:3px solid #e8a400;outline-offset:2px}
.skip{position:absolute;left:-9999px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:9}
header.site{background:#0a4d8c;color:#fff;padding-bottom:.5rem}
header.site .in{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center;justify-content:space-between}
header.site a{color:#fff}
.brand{font-weight:700;text-decoration:none;display:block;padding:.5rem 0}
.brand small{display:block;font-weight:400;font-size:.8rem}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
nav form{display:inline}
nav button{background:none;border:0;color:#fff;text-decoration:underline;font:inherit;padding:0;cursor:pointer}
.in{max-width:60rem;margin:0 auto;padding:0 1rem}
main{padding:1rem 0 2rem}
main .in>section,main form>section,.card{background:#fff;border:1px solid #d5dbe1;border-radius:6px;padding:1rem;margin:0 0 1rem}
h1{font-size:1.5rem;line-height:1.25;margin:.25rem 0 1rem}
h2{font-size:1.2rem;margin:0 0 .75rem}
h3{font-size:1.05rem;margin:1rem 0 .5rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
.hint{display:block;font-weight:400;color:#4a4f55;font-size:.9rem;margin:0 0 .25rem}
input[type=text],input[type=search],input[type=email],input[type=tel],input[type=password],select,textarea{width:100%;max-width:32rem;font:inherit;padding:.55rem .6rem;border:1px solid #6b7178;border-radius:4px;background:#fff;color:#1b1b1b}
input[type=file]{font:inherit;max-width:100%}
textarea{min-height:6rem}
fieldset{border:1px solid #d5dbe1;border-radius:6px;margin:1rem 0;padding:.5rem 1rem 1rem;min-width:0}
legend{font-weight:700;padding:0 .25rem}
.opt{display:flex;gap:.5rem;align-items:flex-start;margin:.35rem 0;font-weight:400}
.opt input{margin-top:.3rem}
.btn,button.btn{display:inline-block;background:#0a4d8c;color:#fff;border:2px solid #0a4d8c;border-radius:4px;padding:.55rem 1rem;font:inherit;font-weight:600;text-decoration:none;cursor:pointer;margin:.5rem .5rem 0 0}
.btn:hover{background:#06325c;color:#fff}
.btn.alt{background:#fff;color:#0a4d8c}
.err{color:#a4001d;font-weight:600;display:block}
[aria-invalid=true]{border-color:#a4001d;border-width:2px}
.alert{border-left:5px solid #a4001d;background:#fff5f6;padding:.75rem 1rem;margin:0 0 1rem}
.ok{border-left:5px solid #1d6b35;background:#f1f9f3;padding:.75rem 1rem;margin:0 0 1rem}
.note{border-left:5px solid #0a4d8c;background:#eef4fa;padding:.75rem 1rem;margin:0 0 1rem}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{border-bottom:1px solid #d5dbe1;padding:.45rem .4rem;text-align:left;vertical-align:top}
th{background:#eef1f4}
.scroll{overflow-x:auto}
dl.kv{display:grid;grid-template-columns:1fr;gap:.1rem 1rem;margin:0}
dl.kv dt{font-weight:600;color:#3b4047}
dl.kv dd{margin:0 0 .5rem}
.badge{display:inline-block;border-radius:3px;padding:0 .4rem;font-size:.85rem;background:#e3ebf3;color:#06325c;font-weight:600}
.badge.on{background:#1d6b35;color:#fff}
.list{list-style:none;padding:0;margin:0}
.list>li{border-bottom:1px solid #d5dbe1;padding:.75rem 0}
.list>li:last-child{border-bottom:0}
.meta{color:#4a4f55;font-size:.9rem}
.pager{display:flex;gap:1rem;margin-top:1rem}
.filters{display:grid;gap:0 1rem}
footer{color:#4a4f55;font-size:.85rem;padding:1rem 0 2rem}
@media (min-width:40rem){dl.kv{grid-template-columns:14rem 1fr}.filters{grid-template-columns:2fr 1fr 1fr}h1{font-size:1.75rem}}
`.trim().replace(/\n/g, '');

/**
 * Enhancement of the submission form: text fields are saved as the citizen types (a draft is created
 * on the first save), and choosing a file saves the draft at once, so nothing typed or chosen is lost.
 */
export const JS = `
(function(){var f=document.querySelector('form[data-autosave]');if(!f||!window.fetch)return;
var t,st=document.getElementById('autosave-status'),dr=f.querySelector('input[name=draftId]');
function say(s){if(st)st.textContent=s}
function save(){var d=new URLSearchParams();new FormData(f).forEach(function(v,k){if(typeof v==='string')d.append(k,v)});
d.set('hanh-dong','tu-luu');fetch(f.getAttribute('data-autosave'),{method:'POST',body:d,headers:{'accept':'application/json'},credentials:'same-origin'})
.then(function(r){return r.ok?r.json():Promise.reject(r)}).then(function(j){if(j.draftId&&dr)dr.value=j.draftId;say('Đã tự động lưu nháp lúc '+j.savedAt)})
.catch(function(){say('Chưa tự động lưu được; hãy bấm "Lưu nháp".')})}
f.addEventListener('input',function(e){if(e.target.type==='file')return;clearTimeout(t);t=setTimeout(save,1500)});
f.addEventListener('change',function(e){if(e.target.type!=='file'||!e.target.files.length)return;var b=f.querySelector('button[value=luu-nhap]');say('Đang tải tệp lên…');if(f.requestSubmit&&b)f.requestSubmit(b);else if(b)b.click()});
})();
`.trim();

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);

export const CSS_URL = `/cong/portal.${hash(CSS)}.css`;
export const JS_URL = `/cong/portal.${hash(JS)}.js`;
