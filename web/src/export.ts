/** Downloads of the current view: PNG (from the graph), JSON and CSV. */
import type { AccessAnswer } from './api';
import { answerLevels, answerVia } from './model';

export function download(name: string, data: Blob | string) {
  const url = typeof data === 'string' ? data : URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  if (typeof data !== 'string') setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadJson(name: string, value: unknown) {
  download(name, new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
}

const cell = (v: string | number | boolean) => {
  const s = String(v);
  // quote, and defuse spreadsheet formulas
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function answersCsv(answers: readonly AccessAnswer[]): string {
  const head = [
    'id',
    'name',
    'kind',
    'type',
    'cloud',
    'source',
    'depth',
    'levels',
    'actions',
    'conditional',
    'via',
    'path',
  ];
  const lines = [head.join(',')];
  for (const a of answers) {
    const path = a.path
      .map((e) => `${e.from} -[${e.kind}${e.via ? `:${e.via.label}` : ''}]-> ${e.to}`)
      .join(' ; ');
    lines.push(
      [
        a.node.id,
        a.node.name,
        a.node.kind,
        a.node.type ?? '',
        a.node.cloud,
        a.node.source,
        a.depth,
        answerLevels(a).join(' '),
        a.actions.join(' '),
        a.conditional,
        answerVia(a),
        path,
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function slug(s: string): string {
  return s.replace(/[^a-zA-Z0-9._-]+/g, '_').slice(0, 60) || 'view';
}
