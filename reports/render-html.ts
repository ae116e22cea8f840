/**
 * The self-contained HTML report: inline CSS and SVG only, and a Content-Security-Policy
 * that forbids every fetch, so opening it offline shows everything and a hostile name that
 * slipped past escaping could still load nothing.
 */
import type { Severity } from '../graph/findings/types.js';
import type { Hop } from '../graph/queries/access.js';
import { escapeHtml as h } from './escape.js';
import { edgeMeaning, excerptText, viaText } from './hop-text.js';
import type { ReportDocument, ScoredPath } from './run-report.js';
import { BAND_COLORS, type NodeLabel, pathSvg, trendSvg } from './svg.js';

export const TOP_RISKS = 20;

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#202124;margin:0;background:#fafafa}
main{max-width:1040px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 12px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:15px;margin:14px 0 6px}
.risk h3{margin-top:0}
.meta{color:#5f6368}
.cards{display:flex;gap:12px;flex-wrap:wrap}
.card{background:#fff;border:1px solid #ddd;border-radius:8px;padding:10px 14px;min-width:96px}
.card .n{font-size:22px;font-weight:700}
.badge{display:inline-block;color:#fff;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:600}
table{border-collapse:collapse;width:100%;background:#fff;margin:0 0 14px}
th.s,td.s{white-space:nowrap;word-break:normal;width:1%}
th,td{border:1px solid #e0e0e0;padding:4px 8px;text-align:left;vertical-align:top;word-break:break-word}
th{background:#f1f3f4}
.risk{background:#fff;border:1px solid #ddd;border-radius:8px;padding:14px;margin:0 0 16px}
.risk .facts{color:#5f6368;font-size:13px;margin:4px 0 8px}
ol.hops li{margin:0 0 6px}
code,pre{font:12px/1.4 ui-monospace,Menlo,Consolas,monospace}
pre{background:#f6f8fa;border:1px solid #e0e0e0;padding:6px;overflow:auto;max-height:180px;margin:4px 0}
details summary{cursor:pointer;color:#1a73e8}
.note{background:#fff8e1;border:1px solid #f0d58c;padding:6px 10px;border-radius:6px;margin:4px 0}
.up{color:#b3261e}.down{color:#188038}
svg{max-width:100%;height:auto}
`;

function badge(band: Severity, text?: string): string {
  return `<span class="badge" style="background:${BAND_COLORS[band]}">${h(text ?? band)}</span>`;
}

function labeler(doc: ReportDocument): (id: string) => NodeLabel {
  return (id) => {
    const n = doc.nodes[id];
    return n ? { name: n.name, kind: n.kind } : { name: id, kind: 'unknown' };
  };
}

function nodeRef(doc: ReportDocument, id: string): string {
  const n = doc.nodes[id];
  return n ? `<strong>${h(n.name)}</strong> <code>${h(id)}</code>` : `<code>${h(id)}</code>`;
}

function hopItem(doc: ReportDocument, hop: Hop): string {
  const excerpt = excerptText(hop);
  return (
    `<li>${nodeRef(doc, hop.from)} <em>${h(edgeMeaning(hop))}</em> ${nodeRef(doc, hop.to)}` +
    `<br><span class="meta">${h(viaText(hop))}</span>` +
    (excerpt ? `<details><summary>statement</summary><pre>${h(excerpt)}</pre></details>` : '') +
    '</li>'
  );
}

function factsLine(p: ScoredPath): string {
  const f = p.facts;
  const bits = [
    `target sensitivity ${f.sensitivity}`,
    `access ${f.access}`,
    `exposure ${f.exposure}`,
    `${f.hops} hop${f.hops === 1 ? '' : 's'}`,
  ];
  if (f.escalation) bits.push('privilege escalation');
  if (f.conditional) bits.push('conditional');
  if (f.dormant) bits.push('dormant principal');
  return bits.join(' · ');
}

function riskCard(doc: ReportDocument, p: ScoredPath, rank: number): string {
  const kind = p.source === 'finding' ? p.kind : `crown jewel: ${p.jewel ?? ''}`;
  return (
    `<section class="risk" id="risk-${rank}"><h3>${badge(p.band, `${p.score} ${p.band}`)} ${h(p.title)}</h3>` +
    `<div class="facts">${h(kind)}${p.technique ? ` · technique ${h(p.technique)}` : ''} · ${h(factsLine(p))}</div>` +
    `<div>${nodeRef(doc, p.principal)} → ${nodeRef(doc, p.target)}</div>` +
    pathSvg(p.path, labeler(doc)) +
    `<ol class="hops">${p.path.map((hop) => hopItem(doc, hop)).join('')}</ol>` +
    (p.remediation ? `<div><strong>Remediation:</strong> ${h(p.remediation)}</div>` : '') +
    '</section>'
  );
}

function diffSection(doc: ReportDocument): string {
  const d = doc.diff;
  if (!d) return '<p class="meta">First run of this report: nothing to compare with yet.</p>';
  const rows = (items: ReadonlyArray<{ key: string; title: string; score: number; band: Severity }>) =>
    items
      .map(
        (i) =>
          `<tr><td class="s">${badge(i.band, String(i.score))}</td><td>${h(i.title)}</td><td><code>${h(i.key)}</code></td></tr>`,
      )
      .join('');
  const table = (title: string, body: string, n: number) =>
    `<h3>${h(title)} (${n})</h3>` +
    (n === 0
      ? '<p class="meta">none</p>'
      : `<table><tr><th class="s">score</th><th>title</th><th>key</th></tr>${body}</table>`);
  const changed = d.changed
    .map(
      (c) =>
        `<tr><td class="s ${c.to > c.from ? 'up' : 'down'}">${c.from} → ${c.to}</td><td>${h(c.title)}</td><td><code>${h(c.key)}</code></td></tr>`,
    )
    .join('');
  return (
    `<p class="meta">Compared with run #${d.previousRunId} of ${h(d.previousStartedAt)}; ${d.unchanged} unchanged.</p>` +
    table('New', rows(d.added), d.added.length) +
    table('Resolved', rows(d.resolved), d.resolved.length) +
    `<h3>Score changed (${d.changed.length})</h3>` +
    (d.changed.length === 0
      ? '<p class="meta">none</p>'
      : `<table><tr><th class="s">score</th><th>title</th><th>key</th></tr>${changed}</table>`)
  );
}

function jewelsSection(doc: ReportDocument): string {
  if (doc.crownJewels.length === 0) return '<p class="meta">No crown jewels configured.</p>';
  const rows = doc.crownJewels
    .flatMap((j) =>
      j.resources.length === 0
        ? [
            `<tr><td>${h(j.name)}</td><td class="s">${h(j.sensitivity)}</td><td colspan="2" class="meta">no resource matched</td></tr>`,
          ]
        : j.resources.map(
            (r) =>
              `<tr><td>${h(j.name)}</td><td class="s">${h(j.sensitivity)}</td><td>${h(r.name)} <code>${h(r.id)}</code></td><td class="s">${r.principals}${r.truncated ? '+' : ''}</td></tr>`,
          ),
    )
    .join('');
  return `<table><tr><th>crown jewel</th><th class="s">sensitivity</th><th>resource</th><th class="s">principals</th></tr>${rows}</table>`;
}

function allItemsTable(doc: ReportDocument): string {
  if (doc.items.length === 0) return '<p class="meta">Nothing found in scope.</p>';
  const rows = doc.items
    .map(
      (p, i) =>
        `<tr><td class="s">${i + 1}</td><td class="s">${badge(p.band, String(p.score))}</td><td class="s">${h(p.source === 'finding' ? p.kind : 'crown jewel')}</td><td>${h(p.title)}</td><td class="s">${p.facts.hops}</td></tr>`,
    )
    .join('');
  return `<table><tr><th class="s">#</th><th class="s">score</th><th class="s">kind</th><th>title</th><th class="s">hops</th></tr>${rows}</table>`;
}

export function renderHtml(doc: ReportDocument): string {
  const s = doc.summary;
  const scope = [
    doc.scope.clouds.length ? `clouds ${doc.scope.clouds.join(', ')}` : 'all clouds',
    doc.scope.accounts.length ? `accounts ${doc.scope.accounts.join(', ')}` : 'all accounts',
  ].join(' · ');
  const cards =
    `<div class="card"><div class="n">${s.items}</div>risks</div>` +
    `<div class="card"><div class="n">${s.maxScore}</div>highest score</div>` +
    (['critical', 'high', 'medium', 'low', 'info'] as const)
      .map(
        (b) =>
          `<div class="card" style="border-top:4px solid ${BAND_COLORS[b]}"><div class="n">${s.byBand[b]}</div>${b}</div>`,
      )
      .join('');
  const top = doc.items.slice(0, TOP_RISKS);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${h(`accessgraph report: ${doc.report}`)}</title><style>${CSS}</style></head>
<body><main>
<h1>Path-risk report: ${h(doc.report)}</h1>
<div class="meta">run #${doc.runId} · generated ${h(doc.generatedAt)} · ${h(scope)}</div>
${doc.description ? `<p>${h(doc.description)}</p>` : ''}
<h2>Summary</h2>
<div class="cards">${cards}</div>
<p class="meta">${s.findings} finding${s.findings === 1 ? '' : 's'} and ${s.crownJewelPaths} crown-jewel path${s.crownJewelPaths === 1 ? '' : 's'}; scores run 0–100 (see docs/risk-scoring.md).</p>
${doc.notes.map((n) => `<div class="note">${h(n)}</div>`).join('')}
<h2>Changes since the last run</h2>
${diffSection(doc)}
<h2>Trend</h2>
${trendSvg(doc.trend)}
<h2>Crown jewels</h2>
${jewelsSection(doc)}
<h2>Top risks</h2>
${top.length === 0 ? '<p class="meta">Nothing found in scope.</p>' : top.map((p, i) => riskCard(doc, p, i + 1)).join('\n')}
<h2>All risks</h2>
${allItemsTable(doc)}
</main></body></html>
`;
}
