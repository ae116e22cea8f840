/**
 * The accessgraph package root (where package.json, docs/ and cypher/ live), found by
 * walking up from a module, so the same code works from the TypeScript sources and from
 * the compiled dist/ tree.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'accessgraph'
    ) {
      cached = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir)
      throw new Error('cannot find the accessgraph package root (package.json) above this module');
    dir = up;
  }
}

/** A path inside the package, e.g. `packagePath('docs', 'schema', 'x.json')`. */
export function packagePath(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}
