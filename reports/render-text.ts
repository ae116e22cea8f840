/** Markdown, CSV and JSON renderings of a report document. */
import type { Hop } from '../graph/queries/access.js';
import type { OutputFormat } from './config.js';
import { csvField, escapeMarkdown as md } from './escape.js';
import { edgeMeaning, viaText } from './hop-text.js';
import { renderHtml, TOP_RISKS } from './render-html.js';
import type { ReportDocument } from './run-report.js';

function name(doc: ReportDocument, id: string): string {
  return doc.nodes[id]?.name ?? id;
}

function hopLine(doc: ReportDocument, hop: Hop): string {
  return `${md(name(doc, hop.from))} *${edgeMeaning(hop)}* ${md(name(doc, hop.to))}: ${md(viaText(hop))}`;
}

export function renderMarkdown(doc: ReportDocument): string {
  const s = doc.summary;
  const out: string[] = [
    `# Path\\-risk report: ${md(doc.report)}`,
    '',
    `Run \\#${doc.runId}, generated ${md(doc.generatedAt)}.`,
    '',
  ];
  if (doc.description) out.push(md(doc.description), '');
  out.push(
    '## Summary',
    '',
    '| risks | highest score | critical | high | medium | low | info |',
    '|---|---|---|---|---|---|---|',
    `| ${s.items} | ${s.maxScore} | ${s.byBand.critical} | ${s.byBand.high} | ${s.byBand.medium} | ${s.byBand.low} | ${s.byBand.info} |`,
    '',
  );
  for (const n of doc.notes) out.push(`> ${md(n)}`, '');
  out.push('## Changes since the last run', '');
  if (!doc.diff) out.push('First run of this report: nothing to compare with yet.', '');
  else {
    const d = doc.diff;
    out.push(
      `Compared with run \\#${d.previousRunId}: ${d.added.length} new, ${d.resolved.length} resolved, ${d.changed.length} changed score, ${d.unchanged} unchanged.`,
      '',
    );
    for (const i of d.added) out.push(`- new: **${i.score}** ${md(i.title)}`);
    for (const i of d.resolved) out.push(`- resolved: ~~${i.score}~~ ${md(i.title)}`);
    for (const c of d.changed) out.push(`- changed: ${c.from} → **${c.to}** ${md(c.title)}`);
    out.push('');
  }
  out.push('## Trend', '', '| run | at | risks | highest | critical | high |', '|---|---|---|---|---|---|');
  for (const p of doc.trend) {
    out.push(
      `| \\#${p.runId} | ${md(p.at)} | ${p.total} | ${p.maxScore} | ${p.byBand.critical} | ${p.byBand.high} |`,
    );
  }
  out.push('', '## Crown jewels', '');
  if (doc.crownJewels.length === 0) out.push('No crown jewels configured.');
  else {
    out.push('| crown jewel | sensitivity | resource | principals |', '|---|---|---|---|');
    for (const j of doc.crownJewels) {
      if (j.resources.length === 0)
        out.push(`| ${md(j.name)} | ${j.sensitivity} | no resource matched | 0 |`);
      for (const r of j.resources) {
        out.push(
          `| ${md(j.name)} | ${j.sensitivity} | ${md(r.name)} (${md(r.id)}) | ${r.principals}${r.truncated ? '\\+' : ''} |`,
        );
      }
    }
  }
  out.push('', '## Top risks', '');
  if (doc.items.length === 0) out.push('Nothing found in scope.');
  doc.items.slice(0, TOP_RISKS).forEach((p, i) => {
    out.push(`### ${i + 1}. ${p.score} ${p.band}: ${md(p.title)}`, '');
    const f = p.facts;
    out.push(
      `${md(p.source === 'finding' ? p.kind : `crown jewel ${p.jewel ?? ''}`)}; sensitivity ${f.sensitivity}, access ${f.access}, exposure ${f.exposure}, ${f.hops} hop${f.hops === 1 ? '' : 's'}${f.escalation ? ', escalation' : ''}${f.conditional ? ', conditional' : ''}${f.dormant ? ', dormant principal' : ''}.`,
      '',
    );
    for (const [j, hop] of p.path.entries()) out.push(`${j + 1}. ${hopLine(doc, hop)}`);
    if (p.remediation) out.push('', `**Remediation:** ${md(p.remediation)}`);
    out.push('');
  });
  if (doc.items.length > TOP_RISKS) {
    out.push(`${doc.items.length - TOP_RISKS} more in the CSV and JSON outputs.`, '');
  }
  return `${out.join('\n')}\n`;
}

const CSV_COLUMNS = [
  'rank',
  'key',
  'source',
  'kind',
  'score',
  'band',
  'finding_severity',
  'title',
  'principal',
  'principal_name',
  'target',
  'target_name',
  'hops',
  'sensitivity',
  'access',
  'exposure',
  'escalation',
  'conditional',
  'dormant',
  'path',
  'remediation',
] as const;

export function renderCsv(doc: ReportDocument): string {
  const lines = [CSV_COLUMNS.join(',')];
  doc.items.forEach((p, i) => {
    const path = p.path
      .map((hop) => `${name(doc, hop.from)} -${hop.edge}-> ${name(doc, hop.to)}`)
      .join(' | ');
    const row = [
      i + 1,
      p.key,
      p.source,
      p.kind,
      p.score,
      p.band,
      p.severity ?? '',
      p.title,
      p.principal,
      name(doc, p.principal),
      p.target,
      name(doc, p.target),
      p.facts.hops,
      p.facts.sensitivity,
      p.facts.access,
      p.facts.exposure,
      p.facts.escalation,
      p.facts.conditional,
      p.facts.dormant,
      path,
      p.remediation ?? '',
    ];
    lines.push(row.map(csvField).join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}

export function renderJson(doc: ReportDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function render(doc: ReportDocument, format: OutputFormat): string {
  switch (format) {
    case 'html':
      return renderHtml(doc);
    case 'md':
      return renderMarkdown(doc);
    case 'csv':
      return renderCsv(doc);
    case 'json':
      return renderJson(doc);
  }
}
