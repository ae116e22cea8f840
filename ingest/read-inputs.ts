/**
 * Turn the paths given to `accessgraph ingest` into parsed documents: files as given,
 * directories expanded to the `.json` / `.ndjson` files inside them (sorted, hidden
 * entries skipped). Unparseable JSON is an IngestError naming the file, line and column.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { IngestError } from './errors.js';
import { locateJsonError } from './json-locate.js';

export interface InputDoc {
  file: string;
  doc: unknown;
}

function expand(path: string): string[] {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    throw new IngestError(path, '$', 'no such file or directory');
  }
  if (st.isFile()) return [path];
  if (!st.isDirectory()) throw new IngestError(path, '$', 'not a file or directory');
  const out: string[] = [];
  for (const name of readdirSync(path).sort()) {
    if (name.startsWith('.')) continue;
    const child = join(path, name);
    if (statSync(child).isDirectory()) out.push(...expand(child));
    else if (/\.(json|ndjson|jsonl)$/i.test(name)) out.push(child);
  }
  if (out.length === 0) throw new IngestError(path, '$', 'the directory holds no .json or .ndjson files');
  return out;
}

export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const at = locateJsonError(text);
    if (!at) throw new IngestError(file, '$', `invalid JSON: ${(err as Error).message}`);
    throw new IngestError(
      file,
      at.path,
      `invalid JSON at line ${at.line} column ${at.column}: ${at.problem}`,
    );
  }
}

/** Newline-delimited JSON (Cloud Asset Inventory exports): one document per line, as an array. */
function parseNdjson(text: string, file: string): unknown[] {
  return text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), i }))
    .filter((l) => l.line.length > 0)
    .map(({ line, i }) => {
      try {
        return JSON.parse(line) as unknown;
      } catch (err) {
        throw new IngestError(file, `$[${i}]`, `invalid JSON on line ${i + 1}: ${(err as Error).message}`);
      }
    });
}

export function readInputs(paths: readonly string[]): InputDoc[] {
  if (paths.length === 0)
    throw new IngestError('(no input)', '$', 'give at least one file or directory to ingest');
  const files = [...new Set(paths.flatMap(expand))];
  return files.map((file) => {
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    const doc = /\.(ndjson|jsonl)$/i.test(file) ? parseNdjson(text, file) : parseJsonText(text, file);
    return { file, doc };
  });
}
