import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ids } from '../graph/store-fixtures.js';
import { toDefinitions } from './config.js';
import { csvField, escapeHtml, escapeMarkdown } from './escape.js';
import { executeReport } from './execute.js';
import { RunHistory } from './history.js';
import { renderHtml } from './render-html.js';
import { renderCsv, renderJson, renderMarkdown } from './render-text.js';
import type { ReportDocument } from './run-report.js';
import { extra, type FixtureStore, HOSTILE_NAME, openFixtureStore, publicFinding } from './test-support.js';

let fx: FixtureStore;
let doc: ReportDocument;
beforeAll(async () => {
  fx = await openFixtureStore();
  const history = RunHistory.open(fx.dir);
  const [def] = toDefinitions(
    {
      reports: [
        {
          name: 'hostile',
          description: HOSTILE_NAME,
          crownJewels: [
            {
              name: HOSTILE_NAME,
              sensitivity: 'critical',
              select: [{ id: extra.vault }, { id: ids.bucket }],
            },
          ],
        },
      ],
    },
    'test.yaml',
  );
  const out = await executeReport(
    { store: fx.store, history, findings: async () => [publicFinding()] },
    def!,
    {
      trigger: 'manual',
      outDir: `${fx.dir}/out`,
    },
  );
  history.close();
  doc = out.document!;
});
afterAll(() => fx.cleanup());

describe('escaping', () => {
  it('escapes HTML metacharacters and drops control characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&\u0007`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;',
    );
  });
  it('keeps Markdown text inert and on one line', () => {
    const s = escapeMarkdown('**b** | [l](u) <i>\n# h');
    expect(s).toBe('\\*\\*b\\*\\* \\| \\[l\\]\\(u\\) &lt;i&gt; \\# h');
  });
  it('quotes CSV fields and defuses spreadsheet formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"\n')).toBe('"say ""hi""\n"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-1+2')).toBe("'-1+2");
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
  });
});

describe('outputs of a report with hostile names', () => {
  it('HTML carries no markup from cloud data and fetches nothing', () => {
    const html = renderHtml(doc);
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/<[a-z]+[^>]*\sonmouseover=/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain("default-src 'none'");
    // no external references: no src= or href= at all, and no url(...) in CSS
    expect(html).not.toMatch(/\s(src|href)=/i);
    expect(html).not.toMatch(/url\(/i);
    // every hop explained with its via label
    expect(html).toContain('arn:aws:s3:::acme-vault#bucket-policy');
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(2);
  });

  it('Markdown keeps the hostile name as text', () => {
    const md = renderMarkdown(doc);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('[link](http');
    expect(md).not.toMatch(/^# heading/m);
    expect(md).toContain('&lt;script&gt;');
  });

  it('CSV has one parseable row per item and no live formulas', () => {
    const csv = renderCsv(doc);
    const rows = parseCsv(csv);
    expect(rows[0]?.[0]).toBe('rank');
    expect(rows).toHaveLength(doc.items.length + 1);
    for (const row of rows) {
      expect(row).toHaveLength(rows[0]!.length);
      for (const cell of row) expect(cell).not.toMatch(/^[=+@]/);
    }
    const hostile = rows.find((r) => r[9] === `'${HOSTILE_NAME}` || r[9] === HOSTILE_NAME);
    expect(hostile).toBeDefined();
  });

  it('JSON round-trips the document', () => {
    expect(JSON.parse(renderJson(doc))).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});

/** Minimal RFC 4180 reader, to prove the output parses back into the same grid. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}
