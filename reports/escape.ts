/**
 * Escaping for every output format. Names, tags and policy excerpts come from cloud data
 * that an attacker may control (a role named `<script>…`, a tag value starting with `=`),
 * so nothing reaches an output without passing through one of these.
 */

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * C0 control characters other than tab, newline and carriage return are invalid in XML
 * (inline SVG) and serve only to confuse readers.
 */
function dropControls(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) continue;
    out += ch;
  }
  return out;
}

/** Safe in HTML/SVG text and in double- or single-quoted attribute values. */
export function escapeHtml(s: string): string {
  return dropControls(s).replace(/[&<>"']/g, (c) => HTML[c]!);
}

/**
 * A Markdown table cell or inline text: backslash-escape the characters Markdown gives
 * meaning to, turn newlines into spaces (a newline would end the table row), and escape
 * `<`/`>` as entities so renderers that allow inline HTML see text, not tags.
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * One CSV field (RFC 4180 quoting). A value that a spreadsheet would read as a formula
 * (starts with = + - @, tab or carriage return) is prefixed with a quote so it stays text.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Shorten for display; the full text goes into a title/tooltip beside it. */
export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(1, max - 1))}…`;
}
