#!/usr/bin/env node
// npm run neo4j:start [-- flags]: a real Neo4j 5.26 on 127.0.0.1 from Maven Central jars, no Docker.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBuilt, randomPassword, startNeo4j } from './launcher.js';

const HELP = `usage: npm run neo4j:start -- [options]     (or: node tools/neo4j-local/run.js [options])

Runs a real Neo4j 5.26 (community) on 127.0.0.1 without Docker: the jars come from Maven Central
through tools/neo4j-local/pom.xml (built on first use, then only when pom.xml or the launcher change).
Needs Java 17+ and Maven. Ctrl-C (SIGINT) or SIGTERM stops it cleanly.

options:
  --port N          Bolt port on 127.0.0.1 (default 7687; 0 = any free port). HTTP is off.
  --data-dir DIR    where the databases live (default ./.accessgraph/neo4j-local); kept between runs
  --password P      password for user neo4j (min 8 chars). Default: $NEO4J_PASSWORD, else a random one
                    generated once and kept in DIR/.password (mode 600)
  --no-auth         disable authentication (anyone on this machine can connect)
  --heap SIZE       JVM max heap (default 2g)
  --page-cache-mb N Neo4j page cache in MiB (default 512); size it to the store files to keep
                    queries off the disk
  --build-only      resolve Maven dependencies and build the launcher, then exit (for CI caches)
  --rebuild         rebuild even if target/ looks up to date
  -h, --help        this text

Connect with: NEO4J_URI=bolt://127.0.0.1:PORT NEO4J_USER=neo4j NEO4J_PASSWORD=... (printed at start).
`;

/** @param {string} msg */
const log = (msg) => process.stderr.write(`[neo4j-local] ${msg}\n`);

function usage(/** @type {string} */ msg) {
  process.stderr.write(`neo4j-local: ${msg}\n\n${HELP}`);
  process.exit(2);
}

/** @type {ReturnType<typeof parseArgs>['values']} */
let opts;
try {
  opts = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      password: { type: 'string' },
      'no-auth': { type: 'boolean' },
      heap: { type: 'string' },
      'page-cache-mb': { type: 'string' },
      'build-only': { type: 'boolean' },
      rebuild: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: false,
  }).values;
} catch (e) {
  usage(/** @type {Error} */ (e).message);
}

if (opts.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

if (opts['build-only'] || opts.rebuild) {
  try {
    await ensureBuilt({ log, force: opts.rebuild === true });
  } catch (e) {
    log(/** @type {Error} */ (e).message);
    process.exit(1);
  }
  if (opts['build-only']) {
    log('launcher is built: tools/neo4j-local/target/neo4j-local.jar');
    process.exit(0);
  }
}

const port = opts.port === undefined ? 7687 : Number(opts.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`--port must be 0..65535, got ${opts.port}`);
if (opts.heap !== undefined && !/^\d+[kmgKMG]?$/.test(String(opts.heap)))
  usage(`--heap looks wrong: ${opts.heap}`);
const pageCacheMb = opts['page-cache-mb'] === undefined ? undefined : Number(opts['page-cache-mb']);
if (pageCacheMb !== undefined && !(Number.isInteger(pageCacheMb) && pageCacheMb >= 8))
  usage(`--page-cache-mb must be a whole number of MiB, at least 8, got ${opts['page-cache-mb']}`);
const dataDir = resolve(String(opts['data-dir'] ?? join('.accessgraph', 'neo4j-local')));
const noAuth = opts['no-auth'] === true;
if (noAuth && opts.password !== undefined) usage('give either --password or --no-auth, not both');

/** @type {string | undefined} */
let password;
/** @type {string | undefined} */
let passwordFile;
if (!noAuth) {
  password = /** @type {string | undefined} */ (opts.password) ?? process.env.NEO4J_PASSWORD ?? undefined;
  if (!password) {
    passwordFile = join(dataDir, '.password');
    if (existsSync(passwordFile)) {
      password = readFileSync(passwordFile, 'utf8').trim();
    } else {
      password = randomPassword();
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    }
    chmodSync(passwordFile, 0o600);
  }
  if (password.length < 8) usage('the password must be at least 8 characters (Neo4j rule)');
}

/** @type {import('./launcher.js').Neo4jLocal} */
let server;
try {
  server = await startNeo4j({
    port,
    dataDir,
    password,
    noAuth,
    log,
    heap: opts.heap === undefined ? undefined : String(opts.heap),
    pageCacheMb,
    quick: false, // a long-lived server: let the JIT optimise fully
  });
} catch (e) {
  log(/** @type {Error} */ (e).message);
  process.exit(1);
}

/** @param {string} p */
const display = (p) => {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
};
const shown = display(dataDir);
const lines = [
  '',
  `Neo4j 5.26 is running: ${server.uri}  (data: ${shown})`,
  noAuth
    ? '  auth is OFF:  export NEO4J_URI=' + server.uri
    : `  export NEO4J_URI=${server.uri} NEO4J_USER=neo4j NEO4J_PASSWORD=` +
      (passwordFile ? `"$(cat ${display(passwordFile)})"` : "'<the password you gave>'"),
  '  Ctrl-C stops it.',
  '',
];
process.stdout.write(lines.join('\n'));

let stopping = false;
/** @param {NodeJS.Signals} sig */
const onSignal = async (sig) => {
  if (stopping) return;
  stopping = true;
  log(`${sig}: stopping Neo4j`);
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.on('SIGHUP', onSignal);

// launcher.js unrefs the JVM so library callers can exit freely; this process lives until Neo4j does.
const keepAlive = setInterval(() => {}, 1 << 30);
const code = await server.exited;
clearInterval(keepAlive);
if (!stopping) {
  log(`Neo4j exited unexpectedly (code ${code}); see ${join(shown, 'logs', 'debug.log')}`);
  process.exit(1);
}
