/**
 * Browser-test harness: builds what is missing, starts the real accessgraph server on a free
 * port with a temporary data directory, reads the login link it prints, and drives Debian's
 * Chromium through playwright-core.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const CLI = join(ROOT, 'bin', 'accessgraph.js');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Newest modification time of the files under `dir`, in ms. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) t = Math.max(t, statSync(join(e.parentPath, e.name)).mtimeMs);
  return t;
}

export function ensureBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'run.js')))
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const page = join(ROOT, 'web', 'dist', 'index.html');
  // a stale web build would test yesterday's explorer: rebuild when a source is newer
  if (!existsSync(page) || newest(join(ROOT, 'web', 'src')) > statSync(page).mtimeMs)
    execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts'], { cwd: ROOT, stdio: 'inherit' });
  mkdirSync(SHOTS, { recursive: true });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export function tempDataDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `accessgraph-e2e-${prefix}-`));
}

export function cli(dataDir: string, args: string[], timeoutMs = 300_000): string {
  return execFileSync('node', [CLI, '--data-dir', dataDir, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
}

export interface Served {
  url: string;
  loginLink: string;
  dataDir: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** `accessgraph demo` (loads the demo company) or `serve`, on a free port; resolves once the login link is printed. */
export async function startServer(command: 'demo' | 'serve', dataDir: string): Promise<Served> {
  const port = await freePort();
  const proc = spawn(
    'node',
    [CLI, '--data-dir', dataDir, command, '--port', String(port), '--host', '127.0.0.1'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const link = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server printed no login link in 120 s:\n${out}`)),
      120_000,
    );
    const on = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /(http:\/\/\S+\/login#code=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout!.on('data', on);
    proc.stderr!.on('data', on);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before printing a login link:\n${out}`));
    });
  });
  const url = new URL(link).origin;
  return {
    url,
    loginLink: link,
    dataDir,
    proc,
    stop: async () => {
      if (proc.exitCode === null) {
        const gone = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export async function shot(page: Page, name: string): Promise<string> {
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
