// Types for launcher.js (plain ESM so `node tools/neo4j-local/run.js` needs no build step).

export interface StartOptions {
  /** Bolt port on 127.0.0.1. Default 0: the launcher picks a free port. */
  port?: number;
  /** Neo4j home (databases, transaction logs, logs). Default: a new temp dir, removed by stop(). */
  dataDir?: string;
  /** Password for user `neo4j` (min 8 chars). Default: a random one. Not with noAuth. */
  password?: string;
  /** Disable authentication instead (then `password` is ''). */
  noAuth?: boolean;
  /** Progress and diagnostics, one line per call. Default: stderr with a `[neo4j-local]` prefix. */
  log?: (message: string) => void;
  /** JVM max heap, e.g. '2g' (default) or '512m'. */
  heap?: string;
  /** Page cache size in MiB (default 512). */
  pageCacheMb?: number;
  /** Stop the JIT at C1 for a faster start (default true). Use false for long-running, heavy use. */
  quick?: boolean;
  /** How long to wait for the ready line once the launcher is built (default 5 min). */
  startTimeoutMs?: number;
  /** How long stop() waits for a clean shutdown before SIGKILL (default 30 s). */
  stopTimeoutMs?: number;
}

export interface Neo4jLocal {
  /** bolt://127.0.0.1:PORT */
  uri: string;
  /** Always 'neo4j'. */
  user: string;
  /** '' when started with noAuth. */
  password: string;
  /** Absolute Neo4j home in use. */
  dataDir: string;
  /** JVM process id (also its process group id). */
  pid: number;
  /** Resolves with the JVM's exit code (-1 when killed by a signal) whenever it exits. */
  exited: Promise<number | null>;
  /** SIGTERM, wait for a clean shutdown (SIGKILL after stopTimeoutMs), remove a temp data dir. Idempotent. */
  stop(): Promise<void>;
}

export const TOOL_DIR: string;
export const POM: string;
export const TARGET_DIR: string;
export const LAUNCHER_JAR: string;

/** Starts Neo4j and resolves once the default database accepts Bolt connections. Builds first if needed. */
export function startNeo4j(options?: StartOptions): Promise<Neo4jLocal>;

/** Java is available and either Maven is too or the launcher is already built. Cached per process. */
export function javaAndMavenAvailable(): boolean;

/** target/ holds a launcher built from the current pom.xml and Java sources. */
export function isBuilt(): boolean;

/** Runs `mvn package` unless up to date (content hash of pom.xml + src). Serialized across processes. */
export function ensureBuilt(options?: {
  log?: (message: string) => void;
  force?: boolean;
  timeoutMs?: number;
}): Promise<void>;

/** A random password accepted by Neo4j (>= 8 chars, URL/shell safe). */
export function randomPassword(): string;
