#!/usr/bin/env node
// The accessgraph command. Runs the compiled CLI from dist/ (built by `npm install` via
// the prepare script, or `npm run build`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/run.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'accessgraph is not built yet: run `npm run build` in the accessgraph folder, then try again.\n',
  );
  process.exit(1);
}
await import(entry.href);
