/**
 * API tokens and one-time login codes, kept hashed (SHA-256) in `auth.sqlite` in the data
 * directory, whichever graph store is in use. SQLite in WAL mode lets `accessgraph token
 * create` add a token while `serve` runs on the same directory.
 *
 * A token is `agt_` + 32 random bytes (base64url). Only its hash is stored, so a stolen
 * data directory does not yield working tokens. Login codes (`agl_…`) are single-use and
 * expire; the explorer trades one for a session token.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (v: unknown): v is Role =>
  typeof v === 'string' && (ROLES as readonly string[]).includes(v);

/** viewer < analyst < admin: each role can do everything the ones before it can. */
export function roleAtLeast(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

export interface TokenInfo {
  id: string;
  role: Role;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** session tokens from a login link expire; tokens made by `token create` do not */
  expiresAt: string | null;
}

export const AUTH_DB_FILE = 'auth.sqlite';
export const LOGIN_CODE_TTL_MS = 15 * 60 * 1000;
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

const hash = (secret: string) => createHash('sha256').update(secret, 'utf8').digest();
const secret = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

interface TokenRow {
  id: string;
  hash: Buffer;
  role: Role;
  name: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
}

export class TokenStore {
  private constructor(private readonly db: Database.Database) {}

  static open(dataDir: string): TokenStore {
    mkdirSync(dataDir, { recursive: true });
    const db = new Database(join(dataDir, AUTH_DB_FILE));
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 10000');
    db.exec(`
      CREATE TABLE IF NOT EXISTS tokens (
        id TEXT PRIMARY KEY, hash BLOB NOT NULL UNIQUE, role TEXT NOT NULL, name TEXT NOT NULL,
        created_at TEXT NOT NULL, last_used_at TEXT, expires_at TEXT
      );
      CREATE TABLE IF NOT EXISTS login_codes (
        hash BLOB PRIMARY KEY, role TEXT NOT NULL, expires_at TEXT NOT NULL
      );`);
    return new TokenStore(db);
  }

  /** A new token; the secret is returned once and never stored. */
  create(role: Role, name = `${role} token`, ttlMs?: number): { token: string; info: TokenInfo } {
    const token = secret('agt_');
    const now = new Date();
    const info: TokenInfo = {
      id: randomUUID(),
      role,
      name,
      createdAt: now.toISOString(),
      lastUsedAt: null,
      expiresAt: ttlMs ? new Date(now.getTime() + ttlMs).toISOString() : null,
    };
    this.db
      .prepare('INSERT INTO tokens (id, hash, role, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(info.id, hash(token), role, name, info.createdAt, info.expiresAt);
    return { token, info };
  }

  /** The token's identity when it is valid and unexpired, else null. */
  verify(token: string): TokenInfo | null {
    if (!/^agt_[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const h = hash(token);
    const row = this.db.prepare<[Buffer], TokenRow>('SELECT * FROM tokens WHERE hash = ?').get(h);
    // the lookup is by hash already; the constant-time compare guards against a
    // collation or index quirk ever matching a different value
    if (!row || !timingSafeEqual(row.hash, h)) return null;
    if (row.expires_at && Date.parse(row.expires_at) < Date.now()) return null;
    const now = new Date().toISOString();
    this.db.prepare('UPDATE tokens SET last_used_at = ? WHERE id = ?').run(now, row.id);
    return toInfo({ ...row, last_used_at: now });
  }

  list(): TokenInfo[] {
    return this.db.prepare<[], TokenRow>('SELECT * FROM tokens ORDER BY created_at, id').all().map(toInfo);
  }

  revoke(id: string): boolean {
    return this.db.prepare('DELETE FROM tokens WHERE id = ?').run(id).changes > 0;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS c FROM tokens').get() as { c: number }).c;
  }

  /** A single-use login code for the explorer's login link. */
  createLoginCode(role: Role, ttlMs = LOGIN_CODE_TTL_MS): string {
    const code = secret('agl_');
    this.db.prepare('DELETE FROM login_codes WHERE expires_at < ?').run(new Date().toISOString());
    this.db
      .prepare('INSERT INTO login_codes (hash, role, expires_at) VALUES (?, ?, ?)')
      .run(hash(code), role, new Date(Date.now() + ttlMs).toISOString());
    return code;
  }

  /** Trade a login code for a session token; the code is consumed either way. */
  redeemLoginCode(code: string): { token: string; info: TokenInfo } | null {
    if (!/^agl_[A-Za-z0-9_-]{43}$/.test(code)) return null;
    const h = hash(code);
    const redeem = this.db.transaction(() => {
      const row = this.db
        .prepare<[Buffer], { role: Role; expires_at: string }>(
          'SELECT role, expires_at FROM login_codes WHERE hash = ?',
        )
        .get(h);
      if (!row) return null;
      this.db.prepare('DELETE FROM login_codes WHERE hash = ?').run(h);
      if (Date.parse(row.expires_at) < Date.now()) return null;
      return this.create(row.role, 'explorer session', SESSION_TTL_MS);
    });
    return redeem.immediate();
  }

  close(): void {
    this.db.close();
  }
}

function toInfo(r: TokenRow): TokenInfo {
  return {
    id: r.id,
    role: r.role,
    name: r.name,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
  };
}
