/**
 * Inline SVG drawings for the HTML report: an access path as a vertical chain of nodes
 * with each hop labelled, and the trend of findings by band over recent runs. Pure string
 * building, every text through escapeHtml, no external references.
 */
import type { Severity } from '../graph/findings/types.js';
import type { Hop } from '../graph/queries/access.js';
import type { TrendPoint } from './diff.js';
import { escapeHtml, truncate } from './escape.js';
import { actionsText } from './hop-text.js';

export const BAND_COLORS: Record<Severity, string> = {
  critical: '#b3261e',
  high: '#e8710a',
  medium: '#c9a400',
  low: '#3b78c4',
  info: '#8a8f98',
};

export interface NodeLabel {
  name: string;
  kind: string;
}

const W = 640;
const BOX_W = 360;
const BOX_H = 40;
const GAP = 54;
const BOX_X = 20;

/** The path principal → … → target, one box per node, each arrow labelled with its hop. */
export function pathSvg(path: readonly Hop[], label: (id: string) => NodeLabel): string {
  const ids = path.length === 0 ? [] : [path[0]!.from, ...path.map((h) => h.to)];
  const height = ids.length * BOX_H + Math.max(0, ids.length - 1) * GAP + 10;
  const parts: string[] = [];
  ids.forEach((id, i) => {
    const y = 5 + i * (BOX_H + GAP);
    const n = label(id);
    const fill = i === 0 ? '#eef3fb' : i === ids.length - 1 ? '#fdeeee' : '#f6f6f7';
    parts.push(
      `<g><title>${escapeHtml(`${n.name} (${n.kind})\n${id}`)}</title>` +
        `<rect x="${BOX_X}" y="${y}" width="${BOX_W}" height="${BOX_H}" rx="6" fill="${fill}" stroke="#9aa0a6"/>` +
        `<text x="${BOX_X + 10}" y="${y + 17}" font-size="13" font-weight="600">${escapeHtml(truncate(n.name, 44))}</text>` +
        `<text x="${BOX_X + 10}" y="${y + 32}" font-size="11" fill="#5f6368">${escapeHtml(truncate(`${n.kind} · ${id}`, 56))}</text></g>`,
    );
    const hop = path[i];
    if (hop && i < ids.length - 1) {
      const x = BOX_X + 40;
      const y1 = y + BOX_H;
      const y2 = y1 + GAP;
      const color = hop.conditional ? '#c9a400' : hop.edge === 'CAN_ESCALATE' ? '#b3261e' : '#5f6368';
      const dash = hop.conditional ? ' stroke-dasharray="5 3"' : '';
      const detail = hop.technique ?? actionsText(hop.actions);
      parts.push(
        `<line x1="${x}" y1="${y1}" x2="${x}" y2="${y2 - 6}" stroke="${color}" stroke-width="2"${dash}/>` +
          `<polygon points="${x - 5},${y2 - 8} ${x + 5},${y2 - 8} ${x},${y2}" fill="${color}"/>` +
          `<text x="${x + 12}" y="${y1 + 22}" font-size="12" font-weight="600" fill="${color}">${i + 1}. ${escapeHtml(hop.edge)}${hop.conditional ? ' (conditional)' : ''}</text>` +
          (detail
            ? `<text x="${x + 12}" y="${y1 + 38}" font-size="11" fill="#5f6368">${escapeHtml(truncate(detail, 80))}</text>`
            : ''),
      );
    }
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="access path" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="system-ui, sans-serif">${parts.join('')}</svg>`;
}

const BANDS_BOTTOM_UP: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** Stacked bars of items per band, one bar per run, oldest left. */
export function trendSvg(points: readonly TrendPoint[]): string {
  const width = 640;
  const height = 240;
  const left = 40;
  const bottom = 180;
  const top = 20;
  const maxTotal = Math.max(1, ...points.map((p) => p.total));
  const slot = (width - left - 10) / Math.max(1, points.length);
  const barW = Math.min(48, slot * 0.7);
  const scale = (bottom - top) / maxTotal;
  const parts: string[] = [
    `<line x1="${left}" y1="${bottom}" x2="${width - 10}" y2="${bottom}" stroke="#9aa0a6"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#9aa0a6"/>`,
    `<text x="${left - 6}" y="${top + 4}" font-size="11" text-anchor="end">${maxTotal}</text>`,
    `<text x="${left - 6}" y="${bottom}" font-size="11" text-anchor="end">0</text>`,
  ];
  points.forEach((p, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    let y = bottom;
    for (const band of BANDS_BOTTOM_UP) {
      const h = p.byBand[band] * scale;
      if (h <= 0) continue;
      y -= h;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${BAND_COLORS[band]}"><title>${escapeHtml(`run ${p.runId}: ${p.byBand[band]} ${band}`)}</title></rect>`,
      );
    }
    parts.push(
      `<text x="${(x + barW / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" font-size="11" text-anchor="middle">${p.total}</text>`,
      `<text x="${(x + barW / 2).toFixed(1)}" y="${bottom + 14}" font-size="10" text-anchor="middle" fill="#5f6368">${escapeHtml(p.at.slice(5, 10))}</text>`,
      `<text x="${(x + barW / 2).toFixed(1)}" y="${bottom + 26}" font-size="10" text-anchor="middle" fill="#5f6368">#${p.runId}</text>`,
    );
  });
  const legend = BANDS_BOTTOM_UP.slice()
    .reverse()
    .map(
      (b, i) =>
        `<rect x="${left + 10 + i * 90}" y="${height - 12}" width="10" height="10" fill="${BAND_COLORS[b]}"/><text x="${left + 24 + i * 90}" y="${height - 3}" font-size="11">${b}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="trend of findings by band" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">${parts.join('')}${legend}</svg>`;
}
