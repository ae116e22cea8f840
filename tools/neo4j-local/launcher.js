// Starts a real Neo4j 5.26 (community, from Maven Central jars) as a child JVM, without Docker.
// Used by tools/neo4j-local/run.js (npm run neo4j:start) and by the vitest global setup.
// Plain Node ESM so it runs without a TypeScript step; types are in launcher.d.ts.

import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TOOL_DIR = dirname(fileURLToPath(import.meta.url));
export const POM = join(TOOL_DIR, 'pom.xml');
export const TARGET_DIR = join(TOOL_DIR, 'target');
export const LAUNCHER_JAR = join(TARGET_DIR, 'neo4j-local.jar');
const STAMP = join(TARGET_DIR, 'build-stamp.txt');
const LOCK_DIR = join(TARGET_DIR, '.build-lock');

const READY_RE = /^NEO4J_READY (bolt:\/\/\S+)\s*$/;
const DEFAULT_START_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_BUILD_TIMEOUT_MS = 20 * 60_000;
const STDERR_TAIL_LINES = 80;
/** JVM max heap (a cap: the JVM starts at 256m and grows only when a load needs it). */
const DEFAULT_HEAP = '2g';
/**
 * Page cache: the M tier (~220k nodes, hundreds of thousands of edges, 14 relationship indexes)
 * outgrows 256 MiB, and every page fault during a load is a disk read inside the transaction.
 */
const DEFAULT_PAGE_CACHE_MB = 512;

/** @param {string} msg */
const defaultLog = (msg) => process.stderr.write(`[neo4j-local] ${msg}\n`);

function javaBin() {
  const home = process.env.JAVA_HOME;
  if (home && existsSync(join(home, 'bin', 'java'))) return join(home, 'bin', 'java');
  return 'java';
}

/** @param {string} cmd @param {string[]} args */
function runs(cmd, args) {
  try {
    const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 30_000 });
    return r.status === 0;
  } catch {
    return false;
  }
}

/** @type {boolean | undefined} */
let availability;

/**
 * True when this machine can run neo4j-local: Java is on PATH (or JAVA_HOME) and either Maven is present or
 * the launcher is already built and up to date (then Maven is not needed).
 */
export function javaAndMavenAvailable() {
  if (availability === undefined) {
    availability = runs(javaBin(), ['-version']) && (isBuilt() || runs('mvn', ['-v']));
  }
  return availability;
}

/** Hash of everything the build depends on, so a fresh git checkout (new mtimes) is not a rebuild. */
function sourceHash() {
  const h = createHash('sha256');
  /** @param {string} dir */
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(relative(TOOL_DIR, p)).update('\0').update(readFileSync(p)).update('\0');
    }
  };
  h.update(readFileSync(POM));
  walk(join(TOOL_DIR, 'src'));
  return h.digest('hex');
}

/** True when target/ holds a launcher built from the current pom.xml and sources. */
export function isBuilt() {
  try {
    return (
      existsSync(LAUNCHER_JAR) &&
      existsSync(join(TARGET_DIR, 'lib')) &&
      readFileSync(STAMP, 'utf8').trim() === sourceHash()
    );
  } catch {
    return false;
  }
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** @param {number} pid */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return /** @type {NodeJS.ErrnoException} */ (e).code === 'EPERM';
  }
}

/**
 * Cross-process build lock (several vitest runs or a run.js may start at once): mkdir is atomic.
 * @param {(msg: string) => void} log
 */
async function withBuildLock(log, /** @type {() => Promise<void>} */ fn) {
  mkdirSync(TARGET_DIR, { recursive: true });
  const started = Date.now();
  let told = false;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'EEXIST') throw e;
      let owner = 0;
      try {
        owner = Number(readFileSync(join(LOCK_DIR, 'pid'), 'utf8'));
      } catch {}
      const age = Date.now() - statSync(LOCK_DIR, { throwIfNoEntry: false })?.mtimeMs;
      if ((owner && !alive(owner)) || (!owner && age > 30_000)) {
        rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (!told) {
        log(`waiting for another build of neo4j-local (pid ${owner || '?'}) to finish`);
        told = true;
      }
      if (Date.now() - started > DEFAULT_BUILD_TIMEOUT_MS)
        throw new Error(`timed out waiting for ${LOCK_DIR}`);
      await sleep(500);
    }
  }
  try {
    await fn();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

/**
 * Resolves Neo4j from Maven Central and builds the launcher, unless target/ is already up to date.
 * The first run downloads ~110 MB of jars into ~/.m2 (minutes); later runs skip Maven entirely.
 * @param {{ log?: (msg: string) => void, force?: boolean, timeoutMs?: number }} [opts]
 */
export async function ensureBuilt(opts = {}) {
  const log = opts.log ?? defaultLog;
  if (!opts.force && isBuilt()) return;
  await withBuildLock(log, async () => {
    if (!opts.force && isBuilt()) return; // built by whoever held the lock
    const hash = sourceHash();
    const t0 = Date.now();
    log(
      'building tools/neo4j-local with Maven (first time: downloads Neo4j 5.26 jars from Maven Central, ' +
        'can take several minutes)',
    );
    rmSync(STAMP, { force: true });
    await runMaven(['-B', '-f', POM, 'package'], log, opts.timeoutMs ?? DEFAULT_BUILD_TIMEOUT_MS);
    if (!existsSync(LAUNCHER_JAR)) throw new Error(`Maven finished but ${LAUNCHER_JAR} is missing`);
    writeFileSync(STAMP, `${hash}\n`);
    log(`built in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  });
}

/**
 * @param {string[]} args
 * @param {(msg: string) => void} log
 * @param {number} timeoutMs
 */
function runMaven(args, log, timeoutMs) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('mvn', args, { cwd: TOOL_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    /** @type {string[]} */
    const tail = [];
    let downloads = 0;
    let lastReport = Date.now();
    /** @param {string} line */
    const onLine = (line) => {
      tail.push(line);
      if (tail.length > 60) tail.shift();
      if (/^Downloaded from /.test(line)) {
        downloads++;
        if (downloads % 25 === 0 || Date.now() - lastReport > 15_000) {
          log(`maven: ${downloads} files downloaded so far`);
          lastReport = Date.now();
        }
      } else if (/^\[(ERROR|WARNING)\]|BUILD (SUCCESS|FAILURE)|--- [\w.-]+:/.test(line)) {
        log(`maven: ${line}`); // -B: no colours
      }
    };
    lineReader(child.stdout, onLine);
    lineReader(child.stderr, onLine);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mvn ${args.join(' ')} timed out after ${timeoutMs / 1000}s`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run mvn (is Maven installed?): ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (downloads) log(`maven: ${downloads} files downloaded`);
      if (code === 0) resolvePromise(undefined);
      else reject(new Error(`mvn ${args.join(' ')} failed with exit code ${code}:\n${tail.join('\n')}`));
    });
  });
}

/**
 * @param {import('node:stream').Readable} stream
 * @param {(line: string) => void} onLine
 */
function lineReader(stream, onLine) {
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    buf += chunk;
    let i = buf.indexOf('\n');
    while (i >= 0) {
      onLine(buf.slice(0, i).replace(/\r$/, ''));
      buf = buf.slice(i + 1);
      i = buf.indexOf('\n');
    }
  });
  stream.on('end', () => {
    if (buf) onLine(buf);
    buf = '';
  });
}

/** A password that satisfies Neo4j's 8-character minimum and is safe on any command line or URL. */
export function randomPassword() {
  return randomBytes(18).toString('base64url');
}

/**
 * JVM options. Startup dominates test runs on a 2-core machine, so by default the JIT stops at C1
 * (`quick`), which roughly halves the time to ready; pass quick: false for long-running use.
 * @param {{ heap?: string, quick?: boolean }} o
 */
function jvmOptions(o) {
  const opts = [
    // replaceSource writes a whole source in ONE transaction, whose state lives on the heap until
    // commit: with 1g, a 40k-node + 40k-edge load already paused for GC 0.3-1 s at a time.
    `-Xmx${o.heap ?? DEFAULT_HEAP}`,
    '-Xms256m',
    '-XX:+UseG1GC',
    '-XX:+ExitOnOutOfMemoryError',
    '-XX:-OmitStackTraceInFastThrow',
    '-Djdk.nio.maxCachedBufferSize=1024',
    '-Dio.netty.tryReflectionSetAccessible=true',
    '-Dlog4j2.disable.jmx=true',
    // JVM warnings go to stderr, never into the stdout protocol line.
    '-Xlog:all=warning:stderr',
  ];
  if (o.quick !== false) opts.push('-XX:TieredStopAtLevel=1');
  const extra = process.env.NEO4J_LOCAL_JAVA_OPTS?.trim();
  if (extra) opts.push(...extra.split(/\s+/));
  return opts;
}

/**
 * Starts Neo4j and resolves once the default database accepts Bolt connections.
 * @param {import('./launcher.js').StartOptions} [options]
 * @returns {Promise<import('./launcher.js').Neo4jLocal>}
 */
export async function startNeo4j(options = {}) {
  const log = options.log ?? defaultLog;
  const noAuth = options.noAuth === true;
  if (noAuth && options.password) throw new Error('startNeo4j: give either password or noAuth, not both');
  const password = noAuth ? '' : (options.password ?? randomPassword());
  if (!noAuth && password.length < 8)
    throw new Error('startNeo4j: Neo4j needs a password of at least 8 characters');
  const port = options.port ?? 0;

  await ensureBuilt({ log });

  const tempDir = options.dataDir === undefined;
  const dataDir = tempDir
    ? await mkdtemp(join(tmpdir(), 'accessgraph-neo4j-'))
    : resolve(/** @type {string} */ (options.dataDir)); // the launcher creates it

  const args = [
    ...jvmOptions(options),
    '-jar',
    LAUNCHER_JAR,
    '--port',
    String(port),
    '--data-dir',
    dataDir,
    '--page-cache-mb',
    String(options.pageCacheMb ?? DEFAULT_PAGE_CACHE_MB),
    '--exit-on-stdin-eof',
    ...(noAuth ? ['--no-auth'] : ['--password', '-']),
  ];
  const t0 = Date.now();
  log(`starting Neo4j 5.26 (data ${tempDir ? 'in a temp dir' : dataDir}, port ${port || 'auto'})`);
  // detached: the JVM leads its own process group, so stop() can kill the whole tree and a Ctrl-C in
  // the terminal reaches only our parent, which then stops Neo4j cleanly. stdin stays an open pipe that
  // we never write: if this process dies, the pipe closes and the launcher shuts Neo4j down.
  const child = spawn(javaBin(), args, {
    cwd: TOOL_DIR,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NEO4J_LOCAL_PASSWORD: password },
  });

  /** @type {string[]} */
  const stderrTail = [];
  lineReader(child.stderr, (line) => {
    stderrTail.push(line);
    if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
    if (line.startsWith('neo4j-local: ') && !line.includes('neo4j-local: starting Neo4j in')) {
      log(line.slice('neo4j-local: '.length));
    }
  });

  /** @type {Promise<number | null>} */
  const exited = new Promise((resolveExit) => {
    child.on('exit', (code, signal) => resolveExit(code ?? (signal ? -1 : null)));
    child.on('error', () => resolveExit(null));
  });

  const failure = (/** @type {string} */ why) =>
    new Error(
      `Neo4j (tools/neo4j-local) ${why}.\n` +
        `--- last JVM stderr lines ---\n${stderrTail.join('\n') || '(none)'}\n` +
        `--- Neo4j's own log: ${join(dataDir, 'logs', 'debug.log')} ---`,
    );

  /** @type {string} */
  let uri;
  try {
    uri = await new Promise((resolveReady, reject) => {
      const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
      const progress = setInterval(() => {
        log(`still starting Neo4j (${Math.round((Date.now() - t0) / 1000)}s)`);
      }, 15_000);
      const timer = setTimeout(
        () => reject(failure(`did not become ready within ${timeoutMs / 1000}s`)),
        timeoutMs,
      );
      const done = () => {
        clearInterval(progress);
        clearTimeout(timer);
      };
      lineReader(child.stdout, (line) => {
        const m = READY_RE.exec(line);
        if (m) {
          done();
          resolveReady(/** @type {string} */ (m[1]));
        }
      });
      child.on('error', (e) => {
        done();
        reject(new Error(`cannot start Java (${javaBin()}): ${e.message}`));
      });
      // 'close', not 'exit': stderr is fully read by then, so the tail in the error is complete.
      child.on('close', (code, signal) => {
        done();
        reject(
          failure(`exited before it was ready (exit code ${code}${signal ? `, signal ${signal}` : ''})`),
        );
      });
    });
  } catch (e) {
    killTree(child.pid, 'SIGKILL');
    /** @type {NodeJS.Timeout | undefined} */
    let t;
    await Promise.race([exited, new Promise((r) => (t = setTimeout(r, 5000)))]);
    clearTimeout(t);
    if (tempDir) await rm(dataDir, { recursive: true, force: true }).catch(() => {});
    throw e;
  }
  log(`Neo4j ready on ${uri} after ${((Date.now() - t0) / 1000).toFixed(1)}s`);

  // Do not keep the caller's event loop alive just for Neo4j: if the caller ends without stop(), stdin
  // closes and the launcher shuts down by itself.
  child.unref();
  for (const s of [child.stdin, child.stdout, child.stderr]) {
    /** @type {{ unref?: () => void }} */ (/** @type {unknown} */ (s)).unref?.();
  }

  /**
   * Waits for the JVM to exit, at most ms; keeps this process alive meanwhile (the child is unref'd).
   * @param {number} ms
   * @returns {Promise<number | null | 'timeout'>}
   */
  const waitExit = (ms) => {
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    const timedOut = new Promise((r) => {
      timer = setTimeout(() => r('timeout'), ms);
    });
    return Promise.race([exited, timedOut]).finally(() => clearTimeout(timer));
  };

  /** @type {Promise<void> | undefined} */
  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        killTree(child.pid, 'SIGTERM');
        const code = await waitExit(options.stopTimeoutMs ?? 30_000);
        if (code === 'timeout') {
          log('Neo4j did not stop within the timeout; killing it');
          killTree(child.pid, 'SIGKILL');
          await waitExit(5000);
        } else if (code !== 0) {
          log(`Neo4j exited with code ${code}`);
        }
      }
      child.stdin?.destroy();
      if (tempDir) await rm(dataDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  return {
    uri,
    user: 'neo4j',
    password,
    dataDir,
    pid: /** @type {number} */ (child.pid),
    exited,
    stop,
  };
}

/**
 * @param {number | undefined} pid
 * @param {NodeJS.Signals} signal
 */
function killTree(pid, signal) {
  if (!pid) return;
  try {
    process.kill(-pid, signal); // the whole process group (the JVM leads it: detached)
  } catch {
    try {
      process.kill(pid, signal);
    } catch {}
  }
}
