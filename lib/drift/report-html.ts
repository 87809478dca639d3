// The HTML report of `drift`, `check` and `test-booking` (--html FILE): one self-contained file, no URL fetched, that
// a pipeline attaches to its run and an on-call engineer opens first. A pure function of the same report data the
// table, JSON and Markdown come from: a summary band, charts drawn here as inline SVG, and the findings as JSON that
// a small script renders into a paged, sortable, searchable <table> (10,000 rows stay quick: only a page is in the DOM).
import { isSystemTag } from '../contract';
import { DriftReport, exitCode, Finding } from './compare';
import { driftFix } from './fix';
import { DesiredLink, DesiredState, LiveState } from './model';

/** One row of the table: a finding, or a room's result. */
export interface HtmlRow {
  readonly resource: string;
  readonly name: string;
  readonly kind: string;
  readonly field?: string;
  readonly declared?: string;
  readonly live?: string;
  readonly detail?: string;
  /** The command or step that fixes it. */
  readonly fix?: string;
  readonly mailbox?: string;
  /** The resource's page in the A4B console. */
  readonly console?: string;
  /** What the row is charted and filtered by: `profile`, and tags such as `office`, `floor`. */
  readonly groups: Record<string, string>;
}

export interface HtmlReport {
  /** `A4B drift`, `Office 365 check`, `Test booking`. */
  readonly title: string;
  /** The status in words, and how bad it is. */
  readonly status: string;
  readonly tone: 'ok' | 'warn' | 'bad';
  readonly exitCode: number;
  readonly exitMeaning: string;
  /** When the report was made (ISO 8601; given, so the writer stays pure). */
  readonly generated: string;
  /** What was compared or tested: the inventory file or cloud assembly, and what was read. */
  readonly source: string;
  /** The summary band: counts by status. */
  readonly counts: ReadonlyArray<{ readonly label: string; readonly value: number; readonly tone?: 'ok' | 'warn' | 'bad' }>;
  readonly errors: readonly string[];
  readonly notes: readonly string[];
  readonly rows: readonly HtmlRow[];
  /** The noun of a row: `finding`, `room`. */
  readonly rowNoun: string;
}

/** What `check` and `test-booking` give their HTML report besides their own report. */
export interface HtmlSource {
  readonly generated: string;
  /** What was read, in words. */
  readonly source: string;
  /** A room's profile and tags, from the declaration. */
  readonly groupsOf?: (room: string) => Record<string, string>;
}

const PREFERRED_GROUPS = ['profile', 'office', 'site', 'building', 'floor'];
const MAX_TAG_CHARTS = 4;
const MAX_BARS = 12;

/** The groups charted: profile, then office/site/building/floor tags, then other tags that tell rows apart. */
export function chartedGroups(rows: readonly HtmlRow[]): string[] {
  const values = new Map<string, Set<string>>();
  for (const r of rows) for (const [k, v] of Object.entries(r.groups)) (values.get(k) ?? values.set(k, new Set()).get(k)!).add(v);
  const preferred = PREFERRED_GROUPS.filter((k) => values.has(k));
  const others = [...values.keys()].filter((k) => !PREFERRED_GROUPS.includes(k) && values.get(k)!.size > 1).sort();
  return [...preferred, ...others].slice(0, 1 + MAX_TAG_CHARTS);
}

/** Counts of `label` over rows, largest first (ties by label), the tail past `max` folded into one bar. */
export function tally(labels: readonly string[], max = MAX_BARS): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (sorted.length <= max) return sorted;
  const rest = sorted.slice(max - 1);
  return [...sorted.slice(0, max - 1), [`${rest.length} others`, rest.reduce((n, [, c]) => n + c, 0)]];
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON for a <script type="application/json">: nothing in a value can end the script (`</script>`, `<!--`) or the
 * line of an older parser (U+2028, U+2029); the escapes are JSON, so JSON.parse reads the values back unchanged.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A horizontal bar chart as inline SVG, sized by its viewBox; the bars' colours come from the page's CSS (light, dark). */
export function barChart(title: string, bars: ReadonlyArray<[string, number]>): string {
  const rowH = 22;
  const labelW = 190;
  const barW = 260;
  const height = bars.length * rowH + 4;
  const max = Math.max(1, ...bars.map(([, n]) => n));
  const short = (s: string) => (s.length > 28 ? `${s.slice(0, 27)}…` : s);
  const spoken = `${title}: ${bars.map(([l, n]) => `${l} ${n}`).join(', ')}`;
  const body = bars.map(([label, n], i) => {
    const y = i * rowH + 2;
    const w = Math.max(2, Math.round((n / max) * barW));
    return `<g><title>${escapeHtml(`${label}: ${n}`)}</title>`
      + `<text x="${labelW - 6}" y="${y + 15}" text-anchor="end">${escapeHtml(short(label))}</text>`
      + `<rect class="bar" x="${labelW}" y="${y + 3}" width="${w}" height="${rowH - 6}" rx="2"></rect>`
      + `<text x="${labelW + w + 6}" y="${y + 15}">${n}</text></g>`;
  }).join('');
  return `<figure class="chart"><figcaption>${escapeHtml(title)}</figcaption>`
    + `<svg role="img" aria-label="${escapeHtml(spoken)}" viewBox="0 0 ${labelW + barW + 50} ${height}" width="${labelW + barW + 50}" height="${height}">${body}</svg></figure>`;
}

const COLUMNS: ReadonlyArray<[key: string, label: string]> = [
  ['resource', 'Resource'], ['name', 'Name'], ['kind', 'Kind'], ['field', 'Field'], ['declared', 'Declared'], ['live', 'Live'], ['fix', 'Fix'], ['group', 'Group'],
];

/** The report as one self-contained HTML document. */
export function toHtml(report: HtmlReport): string {
  const groups = chartedGroups(report.rows);
  const charts = [
    barChart(`${cap(report.rowNoun)}s by kind`, tally(report.rows.map((r) => r.kind))),
    ...groups.map((g) => barChart(`${cap(report.rowNoun)}s by ${g}`, tally(report.rows.map((r) => r.groups[g] ?? `(no ${g})`)))),
  ];
  const counts = report.counts.map((c) => `<div class="count${c.tone ? ` ${c.tone}` : ''}"><dt>${escapeHtml(c.label)}</dt><dd>${c.value.toLocaleString('en-US')}</dd></div>`).join('');
  const list = (cls: string, heading: string, items: readonly string[]) => (items.length
    ? `<section class="${cls}" aria-label="${heading}"><h2>${heading}</h2><ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul></section>` : '');
  const head = COLUMNS.map(([key, label]) => `<th scope="col" aria-sort="none" data-key="${key}"><button type="button">${label}</button></th>`).join('');
  const data = { noun: report.rowNoun, rows: report.rows, groups };
  const title = `${report.title}: ${report.status}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header class="band ${report.tone}">
<h1>${escapeHtml(report.title)}: <span class="status">${escapeHtml(report.status)}</span></h1>
<p class="exit">Exit code ${report.exitCode}: ${escapeHtml(report.exitMeaning)}</p>
<p class="meta">${escapeHtml(report.source)} · made ${escapeHtml(report.generated)}</p>
<dl class="counts">${counts}</dl>
</header>
<main>
${list('errors', 'Errors', report.errors)}${list('notes', 'Notes', report.notes)}
<section aria-label="Charts" class="charts">${charts.join('')}</section>
<section aria-label="${cap(report.rowNoun)}s">
<form class="controls" role="search" id="controls">
<label>Search <input id="q" type="search" autocomplete="off" placeholder="room, field, value, fix"></label>
<label>Kind <select id="kind"><option value="">all</option></select></label>
<label>Resource <select id="resource"><option value="">all</option></select></label>
<label>Group <select id="group"><option value="">all</option></select></label>
</form>
<p id="shown" role="status" aria-live="polite"></p>
<p class="print-note" id="print-note"></p>
<div class="scroll"><table id="findings">
<caption>${cap(report.rowNoun)}s: ${report.rows.length.toLocaleString('en-US')} (sort by a column's header; search and filter above)</caption>
<thead><tr>${head}</tr></thead>
<tbody></tbody>
</table></div>
<nav class="pager" aria-label="Pages"><button type="button" id="prev">Previous page</button> <span id="page"></span> <button type="button" id="next">Next page</button></nav>
<noscript><p>The table needs JavaScript; the same ${report.rowNoun}s are in the command's --json output.</p></noscript>
</section>
</main>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// Colours meet WCAG AA (4.5:1 for text) on their background in both schemes; test/drift/report-html-browser.test.ts measures them.
const CSS = `
:root{--bg:#fff;--fg:#1b1f24;--muted:#555e68;--line:#d0d7de;--alt:#f6f8fa;--link:#0550ae;--bar:#0969da;--focus:#bf3989;
--ok:#116329;--okbg:#dafbe1;--warn:#7d4e00;--warnbg:#fff8c5;--bad:#a40e26;--badbg:#ffebe9}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9da7b3;--line:#3d444d;--alt:#161b22;--link:#79c0ff;--bar:#4493f8;
--focus:#f778ba;--ok:#56d364;--okbg:#0f2e1a;--warn:#e3b341;--warnbg:#2e2306;--bad:#ff7b72;--badbg:#3b1218}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
a{color:var(--link)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:.5rem 0}
.band{padding:1rem 1.5rem;border-bottom:4px solid var(--line)}
.band.ok{background:var(--okbg);border-color:var(--ok)}.band.warn{background:var(--warnbg);border-color:var(--warn)}.band.bad{background:var(--badbg);border-color:var(--bad)}
.band.ok .status{color:var(--ok)}.band.warn .status{color:var(--warn)}.band.bad .status{color:var(--bad)}
.exit{margin:.25rem 0;font-weight:600}.meta{margin:.25rem 0;color:var(--muted)}
.counts{display:flex;flex-wrap:wrap;gap:.5rem;margin:.75rem 0 0}
.count{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.35rem .75rem;min-width:7rem}
.count dt{color:var(--muted);font-size:.85rem}.count dd{margin:0;font-size:1.35rem;font-weight:700}
.count.ok dd{color:var(--ok)}.count.warn dd{color:var(--warn)}.count.bad dd{color:var(--bad)}
main{padding:0 1.5rem 1.5rem}
.errors li{color:var(--bad)}
.charts{display:flex;flex-wrap:wrap;gap:1rem 2rem;margin:1rem 0}
.chart{margin:0}.chart figcaption{font-weight:600;margin-bottom:.25rem}
.chart svg{max-width:100%;height:auto;font-size:12px}.chart text{fill:var(--fg)}.chart .bar{fill:var(--bar)}
.controls{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin:.5rem 0}
.controls label{display:flex;flex-direction:column;font-weight:600;font-size:.85rem}
input,select,button{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--muted);border-radius:4px;padding:.25rem .5rem}
input[type=search]{min-width:18rem}
button{cursor:pointer}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
caption{text-align:left;color:var(--muted);padding:.25rem 0}
th,td{border-bottom:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
tbody tr:nth-child(even){background:var(--alt)}
th button{border:0;background:none;padding:0;font-weight:700;color:var(--fg)}
th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
td.val{overflow-wrap:anywhere;min-width:7rem}td.kind,td.field{white-space:nowrap}td.fix{min-width:16rem}td.fix code{white-space:pre-wrap}th[scope=row]{min-width:10rem;font-weight:600}
th .sub,td .sub{display:block;font-weight:400;color:var(--muted);font-size:.85rem}
.kind{font-weight:600}
.pager{margin:.75rem 0;display:flex;gap:.75rem;align-items:center}
.print-note{display:none}
@media print{.controls,.pager,#shown{display:none}.print-note{display:block}.band{border-width:2px}
body{font-size:11px}tbody tr{break-inside:avoid}a{color:inherit}.scroll{overflow:visible}}
`;

// Plain ES2017 in the browser, no library: the table is rendered from the data with textContent (never innerHTML),
// one page at a time; printing renders every row that matches the filter.
const SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var rows = data.rows, PAGE = 100;
  var st = { q: '', kind: '', resource: '', group: '', key: null, dir: 1, page: 0 };
  var $ = function (id) { return document.getElementById(id); };
  rows.forEach(function (r, i) {
    r._i = i;
    r._p = data.groups.filter(function (g) { return r.groups[g] !== undefined; }).map(function (g) { return g + ': ' + r.groups[g]; });
    r._g = r._p.join(' · ');
    r._s = [r.resource, r.name, r.kind, r.field, r.declared, r.live, r.detail, r.fix, r.mailbox, r._g].join('\\n').toLowerCase();
  });
  function options(sel, values) {
    values.forEach(function (v) { var o = document.createElement('option'); o.value = v; o.textContent = v; sel.appendChild(o); });
  }
  function distinct(f) { var s = {}; rows.forEach(function (r) { var v = f(r); if (v) s[v] = 1; }); return Object.keys(s).sort(); }
  options($('kind'), distinct(function (r) { return r.kind; }));
  options($('resource'), distinct(function (r) { return r.resource; }));
  var pairs = {};
  rows.forEach(function (r) { data.groups.forEach(function (g) { if (r.groups[g] !== undefined) pairs[g + ': ' + r.groups[g]] = 1; }); });
  options($('group'), Object.keys(pairs).sort());
  function value(r, key) { return key === 'group' ? r._g : (r[key] || ''); }
  function matching() {
    var q = st.q.toLowerCase();
    var out = rows.filter(function (r) {
      return (!st.kind || r.kind === st.kind) && (!st.resource || r.resource === st.resource)
        && (!st.group || r._p.indexOf(st.group) >= 0) && (!q || r._s.indexOf(q) >= 0);
    });
    if (st.key) {
      var k = st.key, d = st.dir;
      out.sort(function (a, b) { return d * value(a, k).localeCompare(value(b, k), undefined, { numeric: true, sensitivity: 'base' }) || a._i - b._i; });
    }
    return out;
  }
  function safeUrl(u) { return /^(https:|mailto:)/.test(u || '') ? u : null; }
  function link(text, href) {
    var url = safeUrl(href);
    if (!url) return document.createTextNode(text);
    var a = document.createElement('a'); a.href = url; a.textContent = text; a.rel = 'noreferrer'; return a;
  }
  function cell(tr, content, cls) {
    var td = document.createElement('td');
    if (cls) td.className = cls;
    if (typeof content === 'string') td.textContent = content; else content.forEach(function (n) { if (n) td.appendChild(n); });
    tr.appendChild(td);
  }
  function sub(node) { var s = document.createElement('span'); s.className = 'sub'; s.appendChild(node); return s; }
  function row(r) {
    var tr = document.createElement('tr');
    cell(tr, r.resource);
    var th = document.createElement('th'); th.scope = 'row'; th.appendChild(link(r.name, r.console));
    if (r.mailbox) th.appendChild(sub(link(r.mailbox, 'mailto:' + r.mailbox)));
    tr.appendChild(th);
    cell(tr, r.kind, 'kind');
    cell(tr, r.field || '', 'field');
    cell(tr, r.declared || '', 'val');
    cell(tr, [document.createTextNode(r.live || ''), r.detail ? sub(document.createTextNode(r.detail)) : null], 'val');
    var code = document.createElement('code'); code.textContent = r.fix || '';
    cell(tr, [code], 'fix');
    cell(tr, r._g);
    return tr;
  }
  function render(all) {
    var list = matching();
    var pages = Math.max(1, Math.ceil(list.length / PAGE));
    if (st.page >= pages) st.page = pages - 1;
    var from = all ? 0 : st.page * PAGE, to = all ? list.length : Math.min(list.length, from + PAGE);
    var body = document.createElement('tbody');
    for (var i = from; i < to; i++) body.appendChild(row(list[i]));
    if (!list.length) {
      var tr = document.createElement('tr'), td = document.createElement('td');
      td.colSpan = 8; td.textContent = rows.length ? 'No ' + data.noun + ' matches the search and filters.' : 'No ' + data.noun + 's.';
      tr.appendChild(td); body.appendChild(tr);
    }
    var table = $('findings');
    table.replaceChild(body, table.tBodies[0]);
    $('shown').textContent = list.length ? 'Showing ' + (from + 1) + '–' + to + ' of ' + list.length + ' ' + data.noun + (list.length === 1 ? '' : 's')
      + (list.length < rows.length ? ' (filtered from ' + rows.length + ')' : '') : 'No ' + data.noun + ' matches.';
    $('page').textContent = 'Page ' + (st.page + 1) + ' of ' + pages;
    $('prev').disabled = st.page === 0;
    $('next').disabled = st.page >= pages - 1;
    $('print-note').textContent = 'All ' + list.length + ' ' + data.noun + (list.length === 1 ? '' : 's') + (list.length < rows.length ? ' matching the filters' : '') + ' are printed.';
  }
  function changed() { st.page = 0; render(false); }
  // Enter in the search box submits the form, which would reload the file: the table filters as one types instead.
  $('controls').addEventListener('submit', function (e) { e.preventDefault(); });
  $('q').addEventListener('input', function (e) { st.q = e.target.value; changed(); });
  ['kind', 'resource', 'group'].forEach(function (id) { $(id).addEventListener('change', function (e) { st[id] = e.target.value; changed(); }); });
  $('prev').addEventListener('click', function () { st.page--; render(false); });
  $('next').addEventListener('click', function () { st.page++; render(false); });
  Array.prototype.forEach.call(document.querySelectorAll('thead th'), function (th) {
    th.querySelector('button').addEventListener('click', function () {
      var key = th.getAttribute('data-key');
      st.dir = st.key === key ? -st.dir : 1; st.key = key;
      Array.prototype.forEach.call(document.querySelectorAll('thead th'), function (o) { o.setAttribute('aria-sort', 'none'); });
      th.setAttribute('aria-sort', st.dir === 1 ? 'ascending' : 'descending');
      changed();
    });
  });
  window.addEventListener('beforeprint', function () { render(true); });
  window.addEventListener('afterprint', function () { render(false); });
  render(false);
  document.documentElement.setAttribute('data-ready', String(Math.round(performance.now())));
})();
`;

/** What the HTML report knows of a room beyond its findings: where it is, to chart and link it. */
export interface RoomFacts {
  readonly mailbox?: string;
  readonly profile?: string;
  readonly tags: Record<string, string>;
  readonly arn?: string;
}

/** Per resource (`room:name`, `profile:name`, `skill group:name`, lower-cased): declared facts, with the live ARN and, for rooms not declared, the live facts. */
export function driftFacts(desired: DesiredState, live: LiveState): Map<string, RoomFacts> {
  const out = new Map<string, RoomFacts>();
  const own = (tags: Record<string, string>) => Object.fromEntries(Object.entries(tags).filter(([k]) => !isSystemTag(k)));
  for (const [k, have] of live.rooms) out.set(`room:${k}`, { mailbox: have.mailbox, profile: have.profile, tags: own(have.tags), arn: have.arn });
  for (const [k, want] of desired.rooms) {
    out.set(`room:${k}`, { mailbox: want.mailbox, profile: want.profile, tags: own(want.tags), arn: live.rooms.get(k)?.arn });
  }
  for (const [k, p] of live.profiles) out.set(`profile:${k}`, { profile: p.name, tags: {}, arn: p.arn });
  for (const [k, p] of desired.profiles) out.set(`profile:${k}`, { profile: p.name, tags: {}, arn: live.profiles.get(k)?.arn });
  for (const [k, g] of live.skillGroups) out.set(`skill group:${k}`, { tags: {}, arn: g.arn });
  return out;
}

export interface DriftHtmlOptions {
  readonly generated: string;
  /** What was compared: `examples/rooms.yaml against the local emulators of .a4b-local`. */
  readonly source: string;
  /** The command that puts the declaration back (the fix of missing and changed). */
  readonly deploy: string;
  /** The A4B region, for the console links. */
  readonly region: string;
  readonly link?: DesiredLink;
}

const CONSOLE_PATH: Record<string, string> = { 'room': 'rooms', 'profile': 'profiles', 'skill group': 'skillGroups' };
const EXIT_MEANING: Record<DriftReport['status'], string> = {
  'in-sync': 'in sync, the live fleet matches the declaration',
  'drift': 'drift, the live fleet differs from the declaration (each difference below, with its fix)',
  'error': 'a read failed, so the fleet is not fully known; what could be read is reported',
};
const STATUS_WORDS: Record<DriftReport['status'], string> = { 'in-sync': 'in sync', 'drift': 'drifted', 'error': 'not read (error)' };
/** Findings that mean a room is there but differs. */
const DRIFTED = new Set(['changed', 'mailbox-missing', 'not-a-room', 'permission-lost']);

/** Rooms by status: in sync, drifted, missing, unmanaged, unknown (the drift monitor's metrics). */
export function roomStatusCounts(report: DriftReport): Record<'inSync' | 'drifted' | 'missing' | 'unmanaged' | 'unknown', number> {
  const names = (kinds: (k: string) => boolean) => new Set(report.findings.filter((f) => f.resource === 'room' && kinds(f.kind)).map((f) => f.name.toLowerCase()));
  const missing = names((k) => k === 'missing');
  const unknown = names((k) => k === 'unknown');
  // A missing room's mailbox can be missing too: the room counts once, as missing.
  const drifted = [...names((k) => DRIFTED.has(k))].filter((n) => !missing.has(n) && !unknown.has(n)).length;
  const unmanaged = names((k) => k === 'unmanaged').size;
  const inSync = Math.max(0, report.checked.rooms - missing.size - unknown.size - drifted);
  return { inSync, drifted, missing: missing.size, unmanaged, unknown: unknown.size };
}

export function driftHtml(report: DriftReport, facts: ReadonlyMap<string, RoomFacts>, o: DriftHtmlOptions): HtmlReport {
  const rows = report.findings.map((f: Finding): HtmlRow => {
    const fact = facts.get(`${f.resource}:${f.name.toLowerCase()}`);
    const path = CONSOLE_PATH[f.resource];
    return {
      resource: f.resource, name: f.name, kind: f.kind, field: f.field, declared: f.declared, live: f.live, detail: f.detail,
      fix: driftFix(f, { deploy: o.deploy, link: o.link, mailbox: fact?.mailbox }),
      mailbox: fact?.mailbox,
      console: fact?.arn && path ? `https://console.aws.amazon.com/a4b/home?region=${encodeURIComponent(o.region)}#${path}/${encodeURIComponent(fact.arn)}` : undefined,
      groups: { ...(fact?.profile ? { profile: fact.profile } : {}), ...fact?.tags },
    };
  });
  const s = roomStatusCounts(report);
  const tone = report.status === 'in-sync' ? 'ok' : report.status === 'drift' ? 'warn' : 'bad';
  return {
    title: 'A4B drift', status: STATUS_WORDS[report.status], tone, exitCode: exitCode(report), exitMeaning: EXIT_MEANING[report.status],
    generated: o.generated, source: o.source, rowNoun: 'finding', errors: report.errors, notes: [], rows,
    counts: [
      { label: 'rooms in sync', value: s.inSync, tone: 'ok' }, { label: 'rooms drifted', value: s.drifted, tone: s.drifted ? 'warn' : undefined },
      { label: 'rooms missing', value: s.missing, tone: s.missing ? 'bad' : undefined }, { label: 'rooms unmanaged', value: s.unmanaged, tone: s.unmanaged ? 'warn' : undefined },
      { label: 'rooms unknown', value: s.unknown, tone: s.unknown ? 'bad' : undefined }, { label: 'findings', value: report.findings.length },
      { label: 'profiles checked', value: report.checked.profiles }, { label: 'skill groups checked', value: report.checked.skillGroups },
      { label: 'mailboxes checked', value: report.checked.mailboxes },
    ],
  };
}
