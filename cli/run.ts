/** Process entry point: wires the real stdio and exit code to runCli. */
import { readFileSync } from 'node:fs';
import { runCli } from './main.js';

function packageVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      return (JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { version: string }).version;
    } catch {
      // try the next location (source tree vs dist/)
    }
  }
  return 'unknown';
}

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  version: packageVersion(),
});
process.exitCode = code;
