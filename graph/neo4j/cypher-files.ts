/**
 * Loads the Cypher statements of `cypher/` (every statement the Neo4j store runs lives there).
 *
 * Each file starts with a header comment naming its parameters (`// params: $a, $b`) and
 * returned columns (`// returns: …`). The loader checks that the `$parameters` the body uses
 * are exactly those the header names, so a header cannot drift from its statement.
 *
 * The only text substitution is an integer bound (`{{NAME}}`), validated before it is placed
 * (see `withIntBound`); user text only ever travels as a parameter.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packagePath } from '../../lib/package-root.js';
import { StoreError } from '../store.js';

export interface CypherFile {
  /** path relative to `cypher/`, e.g. `query/search.cypher` */
  name: string;
  /** the header comment lines, without the leading `//` */
  header: string[];
  /** statements (a file may hold several, separated by `;` at the end of a line) */
  statements: string[];
  /** parameters the header declares (without `$`) */
  params: string[];
  /** `{{NAME}}` placeholders the statements contain */
  bounds: string[];
}

/** The `cypher/` folder at the package root (lib/package-root.ts finds it from sources and dist/ alike). */
export function cypherRoot(): string {
  const dir = packagePath('cypher');
  if (!existsSync(join(dir, 'schema'))) {
    throw new StoreError(`cannot find the cypher/ folder of accessgraph (expected ${dir})`, 'INTERNAL');
  }
  return dir;
}

const cache = new Map<string, CypherFile>();

const PARAM_RE = /\$([A-Za-z_][A-Za-z0-9_]*)/g;
const BOUND_RE = /\{\{([A-Z_]+)\}\}/g;

/** Parse one file's text (exported for tests). */
export function parseCypher(name: string, text: string): CypherFile {
  const lines = text.split(/\r?\n/);
  const header: string[] = [];
  let i = 0;
  while (i < lines.length && /^\s*\/\//.test(lines[i]!)) {
    header.push(lines[i]!.replace(/^\s*\/\/ ?/, ''));
    i++;
  }
  const body = lines.slice(i).join('\n');
  if (header.length === 0) throw new StoreError(`cypher/${name}: missing header comment`, 'INTERNAL');
  // The params section runs from `params:` to the next `returns:`/`substitutes:` line.
  const paramsAt = header.findIndex((l) => l.startsWith('params:'));
  const returnsAt = header.findIndex((l) => l.startsWith('returns:'));
  if (paramsAt < 0 || returnsAt < 0) {
    throw new StoreError(`cypher/${name}: header must name its params: and returns:`, 'INTERNAL');
  }
  const paramsText: string[] = [];
  for (let j = paramsAt; j < header.length; j++) {
    const l = header[j]!;
    if (j > paramsAt && /^(returns|substitutes):/.test(l)) break;
    // Only the parameter names count, not the descriptions in parentheses.
    paramsText.push(l.replace(/\([^)]*\)/g, ''));
  }
  const declared = new Set([...paramsText.join(' ').matchAll(PARAM_RE)].map((m) => m[1]!));
  const usedInBody = new Set([...body.matchAll(PARAM_RE)].map((m) => m[1]!));
  const missing = [...usedInBody].filter((p) => !declared.has(p));
  const unused = [...declared].filter((p) => !usedInBody.has(p));
  if (missing.length || unused.length) {
    throw new StoreError(
      `cypher/${name}: header params out of date (undeclared: ${missing.join(', ') || '-'}; unused: ${unused.join(', ') || '-'})`,
      'INTERNAL',
    );
  }
  const bounds = [...new Set([...body.matchAll(BOUND_RE)].map((m) => m[1]!))];
  const statements = body
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (statements.length === 0) throw new StoreError(`cypher/${name}: no statement`, 'INTERNAL');
  return { name, header, statements, params: [...declared], bounds };
}

/** Load (once) a file by its path relative to `cypher/`. */
export function cypher(name: string): CypherFile {
  const hit = cache.get(name);
  if (hit) return hit;
  const file = join(cypherRoot(), name);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new StoreError(`cannot read cypher/${name}: ${(err as Error).message}`, 'INTERNAL');
  }
  const parsed = parseCypher(name, text);
  cache.set(name, parsed);
  return parsed;
}

/** The single statement of a file (files with bounds must go through `withIntBound`). */
export function statement(name: string): string {
  const f = cypher(name);
  if (f.statements.length !== 1) throw new StoreError(`cypher/${name}: expected one statement`, 'INTERNAL');
  if (f.bounds.length > 0) throw new StoreError(`cypher/${name}: needs its bounds substituted`, 'INTERNAL');
  return f.statements[0]!;
}

/**
 * Place validated integers into a file's `{{NAME}}` placeholders. Every value must be an
 * integer within [min, max], and every placeholder of the file must be given.
 */
export function withIntBound(
  name: string,
  values: Record<string, { value: number; min: number; max: number }>,
): string {
  const f = cypher(name);
  if (f.statements.length !== 1) throw new StoreError(`cypher/${name}: expected one statement`, 'INTERNAL');
  for (const b of f.bounds) {
    if (!(b in values)) throw new StoreError(`cypher/${name}: no value for {{${b}}}`, 'INTERNAL');
  }
  let text = f.statements[0]!;
  for (const [key, { value, min, max }] of Object.entries(values)) {
    if (!f.bounds.includes(key)) throw new StoreError(`cypher/${name}: has no {{${key}}}`, 'INTERNAL');
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new StoreError(
        `${key} must be an integer from ${min} to ${max}, got ${String(value)}`,
        'BAD_INPUT',
      );
    }
    text = text.split(`{{${key}}}`).join(String(value));
  }
  return text;
}

/** Every `.cypher` file under a folder of `cypher/`, sorted by name. */
export function cypherFilesIn(folder: string): CypherFile[] {
  const dir = join(cypherRoot(), folder);
  const out: CypherFile[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.cypher'))
        out.push(cypher(relative(cypherRoot(), p).split('\\').join('/')));
    }
  };
  walk(dir);
  return out;
}
