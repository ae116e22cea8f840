/**
 * Coverage of the public pathfinding.cloud catalogue: every path it lists must map to a
 * technique we detect, with the same category and every permission it requires, so a new
 * catalogue entry fails here until it is handled. The catalogue is not vendored: the test
 * reads ACCESSGRAPH_PATHFINDING_PATHS, else the team's shared copy beside the repository
 * (`../shared/catalogues/pathfinding.cloud/data/paths`), and skips when neither exists.
 * (Some catalogue files repeat a key; YAML parsers differ, so the last one wins, as in PyYAML.)
 * The documentation table must list exactly the techniques we handle.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ASSUME_TECHNIQUE,
  CATALOGUE_TECHNIQUE_IDS,
  HANDLED_TECHNIQUE_IDS,
  TECHNIQUES,
} from './techniques.js';

const SHARED = fileURLToPath(
  new URL('../../../../shared/catalogues/pathfinding.cloud/data/paths', import.meta.url),
);
const CATALOGUE = process.env.ACCESSGRAPH_PATHFINDING_PATHS ?? (existsSync(SHARED) ? SHARED : undefined);
const DOC = fileURLToPath(new URL('../../../docs/aws-escalation.md', import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(name) ? [p] : [];
  });
}

interface CataloguePath {
  id: string;
  category: string;
  permissions?: { required?: Array<{ permission: string }> };
}

describe.skipIf(!CATALOGUE)('pathfinding.cloud catalogue coverage', () => {
  const entries = CATALOGUE
    ? yamlFiles(CATALOGUE).map((f) => ({
        file: f,
        path: parse(readFileSync(f, 'utf8'), { uniqueKeys: false }) as CataloguePath,
      }))
    : [];

  it('has entries', () => {
    expect(entries.length).toBeGreaterThan(0);
  });

  it.each(entries.map((e) => [e.path.id, e] as const))('%s is handled', (id, e) => {
    expect(HANDLED_TECHNIQUE_IDS, `${e.file}: ${id} has no technique`).toContain(id);
    if (id === ASSUME_TECHNIQUE) return;
    const t = TECHNIQUES.find((x) => x.id === id);
    expect(t?.category).toBe(e.path.category);
    const ours = new Set(
      [
        ...(t?.steps.map((s) => (s.operand.on === 'pass' ? 'iam:PassRole' : s.action)) ?? []),
        ...(t?.become === 'assume' ? ['sts:AssumeRole'] : []),
        ...(t?.become === 'trust-update' ? ['iam:UpdateAssumeRolePolicy'] : []),
      ].map((a) => a.toLowerCase()),
    );
    for (const r of e.path.permissions?.required ?? []) expect(ours).toContain(r.permission.toLowerCase());
  });

  it('every technique we take from the catalogue is still in it', () => {
    expect(entries.map((e) => e.path.id).sort()).toEqual([...CATALOGUE_TECHNIQUE_IDS].sort());
  });
});

describe('docs/aws-escalation.md', () => {
  it('lists every technique exactly once, and nothing else', () => {
    const rows = readFileSync(DOC, 'utf8')
      .split('\n')
      .map((l) => /^\| (?:`[a-z0-9-]+`|—) \| `([a-z0-9-]+)` \(/.exec(l)?.[1])
      .filter((x): x is string => !!x);
    expect(rows.sort()).toEqual([...HANDLED_TECHNIQUE_IDS].sort());
  });

  it('technique ids are unique', () => {
    expect(new Set(HANDLED_TECHNIQUE_IDS).size).toBe(HANDLED_TECHNIQUE_IDS.length);
  });
});
