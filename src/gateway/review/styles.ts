// The app's one stylesheet, served from /static/app.css (the CSP allows no inline styles). Calm colours; severity is
// never shown by colour alone (always a word too), and every text colour meets WCAG AA contrast on its background.

export const STYLESHEET = `
:root {
  --ink: #1b2330; --muted: #4f5b6b; --line: #d7dde5; --page: #f4f6f9; --card: #ffffff;
  --brand: #1d3f66; --brand-ink: #ffffff; --link: #1d4f91; --focus: #f2a900;
  --high-bg: #fbe4e4; --high-ink: #8a1616; --high-mark: #ffc9c9; --high-edge: #b42318;
  --medium-bg: #fdf0d2; --medium-ink: #6e4400; --medium-mark: #ffe08a; --medium-edge: #b26b00;
  --low-bg: #e3edf9; --low-ink: #1d4a7a; --low-mark: #cfe2ff; --low-edge: #2f6db5;
  --ok-bg: #e3f4ea; --ok-ink: #1e5b34;
  font-size: 16px;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: var(--page); line-height: 1.5; }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: var(--card); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; top: .5rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

header.top { background: var(--brand); color: var(--brand-ink); }
header.top .bar { max-width: 78rem; margin: 0 auto; padding: .6rem 1rem; display: flex; flex-wrap: wrap; gap: .5rem 1.5rem;
  align-items: center; }
.brand { font-weight: 700; font-size: 1.1rem; letter-spacing: .01em; color: var(--brand-ink); text-decoration: none; }
.brand small { font-weight: 400; opacity: .9; margin-left: .4rem; }
header.top nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem; }
header.top nav a { color: var(--brand-ink); text-decoration: none; padding: .35rem .7rem; border-radius: .35rem; display: inline-block; }
header.top nav a:hover { background: rgba(255,255,255,.12); }
header.top nav a[aria-current="page"] { background: rgba(255,255,255,.2); font-weight: 600; }
.who { margin-left: auto; display: flex; align-items: center; gap: .75rem; font-size: .92rem; }
.who form { margin: 0; }
.who button { background: transparent; color: var(--brand-ink); border: 1px solid rgba(255,255,255,.6); border-radius: .35rem;
  padding: .25rem .7rem; font: inherit; cursor: pointer; }

main { max-width: 78rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
h1 { font-size: 1.6rem; margin: .25rem 0 1rem; line-height: 1.25; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .6rem; }
h3 { font-size: 1.02rem; margin: 0 0 .3rem; }
.lede { color: var(--muted); margin-top: -.5rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: .6rem; padding: 1rem 1.1rem; }
.notice { border-left: 4px solid var(--brand); background: var(--card); padding: .75rem 1rem; border-radius: .35rem; margin: 0 0 1rem; }
.notice.warn { border-color: var(--medium-edge); background: var(--medium-bg); color: var(--medium-ink); }
.notice.error { border-color: var(--high-edge); background: var(--high-bg); color: var(--high-ink); }
.notice.ok { border-color: #2e7d4f; background: var(--ok-bg); color: var(--ok-ink); }
.muted { color: var(--muted); }
.small { font-size: .88rem; }

.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: .75rem; margin: 0 0 1.25rem; padding: 0; list-style: none; }
.stats li { background: var(--card); border: 1px solid var(--line); border-radius: .6rem; padding: .8rem 1rem; }
.stats .num { display: block; font-size: 1.7rem; font-weight: 700; line-height: 1.2; }
.stats .label { color: var(--muted); font-size: .92rem; }
.stats .overdue .num { color: var(--high-ink); }

form.filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .6rem .9rem; align-items: end;
  background: var(--card); border: 1px solid var(--line); border-radius: .6rem; padding: .9rem 1rem; margin-bottom: 1rem; }
label { display: block; font-weight: 600; font-size: .92rem; margin-bottom: .2rem; }
input[type=text], input[type=email], input[type=password], input[type=search], input[type=date], select, textarea {
  width: 100%; font: inherit; padding: .45rem .55rem; border: 1px solid #8a96a6; border-radius: .35rem; background: #fff; color: var(--ink); }
textarea { min-height: 5rem; resize: vertical; }
.actions-row { display: flex; gap: .5rem; flex-wrap: wrap; align-items: center; }
button, .button { font: inherit; font-weight: 600; border-radius: .4rem; padding: .5rem 1rem; border: 1px solid transparent; cursor: pointer;
  text-decoration: none; display: inline-block; line-height: 1.3; }
.primary { background: var(--brand); color: #fff; }
.secondary { background: #fff; color: var(--brand); border-color: var(--brand); }
.release { background: #1e6b3c; color: #fff; }
.reject { background: #a31d1d; color: #fff; }
.escalate { background: #7a4b00; color: #fff; }
.linkish { background: none; border: none; color: var(--link); text-decoration: underline; padding: 0; font-weight: 400; }

table.queue { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); border-radius: .6rem; overflow: hidden; }
table.queue th, table.queue td { text-align: left; padding: .65rem .8rem; border-bottom: 1px solid var(--line); vertical-align: top; }
table.queue th { font-size: .85rem; color: var(--muted); font-weight: 600; background: #fafbfc; }
table.queue tr:last-child td { border-bottom: none; }
table.queue td.subject a { font-weight: 600; text-decoration: none; }
table.queue td.subject a:hover { text-decoration: underline; }
table.queue tr.overdue td:first-child { box-shadow: inset 4px 0 0 var(--high-edge); }
.recipient { display: block; }
.tag { display: inline-block; font-size: .78rem; padding: .05rem .45rem; border-radius: 1rem; background: #eef1f5; color: var(--muted);
  margin: 0 .25rem .2rem 0; white-space: nowrap; }
.sev { display: inline-block; font-size: .8rem; font-weight: 700; padding: .1rem .5rem; border-radius: .3rem; white-space: nowrap; border: 1px solid; }
.sev-high { background: var(--high-bg); color: var(--high-ink); border-color: var(--high-edge); }
.sev-medium { background: var(--medium-bg); color: var(--medium-ink); border-color: var(--medium-edge); }
.sev-low { background: var(--low-bg); color: var(--low-ink); border-color: var(--low-edge); }
.state { font-size: .85rem; }
.overdue-flag { display: inline-block; font-size: .78rem; font-weight: 700; color: var(--high-ink); background: var(--high-bg);
  border-radius: .3rem; padding: .05rem .4rem; margin-top: .2rem; }
.pager { display: flex; gap: 1rem; margin-top: 1rem; align-items: center; }

.message-layout { display: grid; grid-template-columns: minmax(0, 1fr) 22rem; grid-template-areas: "message aside" "history aside";
  grid-template-rows: auto 1fr; gap: 0 1.25rem; align-items: start; }
.message-area { grid-area: message; }
.message-layout > aside { grid-area: aside; }
.history-area { grid-area: history; }
@media (max-width: 60rem) {
  .message-layout { grid-template-columns: minmax(0, 1fr); grid-template-areas: "message" "aside" "history"; grid-template-rows: auto; }
}
dl.headers { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .2rem 1rem; margin: 0 0 1rem; }
dl.headers dt { color: var(--muted); font-weight: 600; }
dl.headers dd { margin: 0; overflow-wrap: anywhere; }
.letter { background: #fff; border: 1px solid var(--line); border-radius: .6rem; padding: 1.1rem 1.25rem; overflow-wrap: anywhere; }
.letter .plain { white-space: pre-wrap; font-family: inherit; margin: 0; }
.letter .signature { color: var(--muted); border-top: 1px dashed var(--line); margin-top: 1rem; padding-top: .6rem; }
.letter blockquote, .letter .quoted { border-left: 3px solid #b8c2cf; margin: 1rem 0 0; padding: .2rem 0 .2rem .9rem; color: var(--muted); }
.letter .html-body { max-width: 100%; overflow-x: auto; }
.letter .html-body table { max-width: 100%; }
.quoted-label { font-size: .85rem; color: var(--muted); margin: 1rem 0 .2rem; font-weight: 600; }
mark.finding { color: inherit; border-radius: .15rem; padding: 0 .1rem; border-bottom: 2px solid; }
mark.sev-high { background: var(--high-mark); border-color: var(--high-edge); }
mark.sev-medium { background: var(--medium-mark); border-color: var(--medium-edge); }
mark.sev-low { background: var(--low-mark); border-color: var(--low-edge); }
mark.finding:target, .anchor:target + mark { outline: 3px solid var(--focus); }
/* Screen readers rarely announce <mark>; say where a flagged passage starts and ends, without showing it. */
mark.finding::before, mark.finding::after { clip-path: inset(100%); clip: rect(1px, 1px, 1px, 1px); height: 1px; width: 1px;
  overflow: hidden; position: absolute; white-space: nowrap; }
mark.finding::before { content: " [flagged] "; }
mark.finding::after { content: " [end of flagged text] "; }
.inert-link { text-decoration: underline dotted; color: var(--link); }
.inert-image { display: inline-block; background: #eef1f5; color: var(--muted); font-size: .85rem; padding: 0 .3rem; border-radius: .2rem; }
.view-switch { font-size: .9rem; margin: 0 0 .6rem; }

ol.findings { list-style: none; padding: 0; margin: 0; display: grid; gap: .75rem; }
ol.findings li { background: var(--card); border: 1px solid var(--line); border-radius: .6rem; padding: .8rem .9rem; }
ol.findings li.sev-high-item { border-left: 5px solid var(--high-edge); }
ol.findings li.sev-medium-item { border-left: 5px solid var(--medium-edge); }
ol.findings li.sev-low-item { border-left: 5px solid var(--low-edge); }
.finding-head { display: flex; gap: .5rem; align-items: baseline; flex-wrap: wrap; margin-bottom: .3rem; }
.finding-text { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f1f3f6; padding: .05rem .3rem; border-radius: .2rem; overflow-wrap: anywhere; }
.finding p { margin: .3rem 0; }
.finding .guidance { font-size: .88rem; color: var(--muted); }
.finding form { margin-top: .4rem; }
.feedback-given { font-size: .88rem; color: var(--ok-ink); }

.decide { display: grid; gap: .9rem; margin-top: 1rem; }
.decide details { background: var(--card); border: 1px solid var(--line); border-radius: .6rem; padding: .7rem .9rem; }
.decide summary { cursor: pointer; font-weight: 600; }
.decide form { margin: .6rem 0 0; display: grid; gap: .5rem; }
.checkbox { display: flex; gap: .5rem; align-items: flex-start; font-weight: 400; }
.checkbox input { margin-top: .3rem; }

ul.history { list-style: none; padding: 0; margin: 0; }
ul.history li { padding: .5rem 0; border-bottom: 1px solid var(--line); }
ul.history li:last-child { border-bottom: none; }

table.plain-table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); }
table.plain-table th, table.plain-table td { text-align: left; padding: .5rem .7rem; border-bottom: 1px solid var(--line); vertical-align: top; }
table.plain-table th { font-size: .85rem; color: var(--muted); background: #fafbfc; }

form.card { max-width: 36rem; display: grid; gap: .8rem; }
fieldset { border: 1px solid var(--line); border-radius: .4rem; padding: .5rem .8rem .6rem; margin: 0; }
legend { font-weight: 600; font-size: .92rem; padding: 0 .3rem; }
section > h3 { margin: 1.5rem 0 .5rem; }
.decision-panel { background: var(--card); border: 1px solid var(--line); border-radius: .6rem; padding: .2rem 1rem 1rem; margin-top: 1.25rem; }
.decision-panel h2 { margin-top: .8rem; }
.decide > p { margin: 0; }
.login { max-width: 24rem; margin: 3rem auto; }
.login .card { padding: 1.5rem; }
.login form { display: grid; gap: .9rem; }

@media (max-width: 40rem) {
  table.queue thead { display: none; }
  table.queue, table.queue tbody, table.queue tr, table.queue td { display: block; width: 100%; }
  table.queue tr { border-bottom: 1px solid var(--line); padding: .4rem 0; }
  table.queue td { border: none; padding: .2rem .8rem; }
  .who { margin-left: 0; }
  h1 { font-size: 1.35rem; }
}
`;
