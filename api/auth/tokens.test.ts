import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AUTH_DB_FILE, roleAtLeast, TokenStore } from './tokens.js';

const dir = mkdtempSync(join(tmpdir(), 'accessgraph-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TokenStore', () => {
  it('creates tokens that verify, keeps only hashes, and revokes', () => {
    const store = TokenStore.open(dir);
    const { token, info } = store.create('analyst', 'ci');
    expect(token).toMatch(/^agt_[A-Za-z0-9_-]{43}$/);
    expect(store.verify(token)).toMatchObject({ id: info.id, role: 'analyst', name: 'ci' });
    expect(store.verify(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    expect(store.verify('')).toBeNull();
    expect(store.verify("agt_' OR 1=1 --")).toBeNull();
    store.close();
    // the secret itself never reaches the disk
    expect(readFileSync(join(dir, AUTH_DB_FILE)).includes(Buffer.from(token.slice(4)))).toBe(false);
    const again = TokenStore.open(dir);
    expect(again.verify(token)?.role).toBe('analyst');
    expect(again.revoke(info.id)).toBe(true);
    expect(again.verify(token)).toBeNull();
    again.close();
  });

  it('sees tokens another process (connection) creates while it runs', () => {
    const server = TokenStore.open(dir);
    const cli = TokenStore.open(dir);
    const { token } = cli.create('viewer');
    cli.close();
    expect(server.verify(token)?.role).toBe('viewer');
    server.close();
  });

  it('expires session tokens', () => {
    const store = TokenStore.open(dir);
    const { token } = store.create('viewer', 'short', -1);
    expect(store.verify(token)).toBeNull();
    store.close();
  });

  it('redeems a login code once', () => {
    const store = TokenStore.open(dir);
    const code = store.createLoginCode('admin');
    const session = store.redeemLoginCode(code);
    expect(session?.info.role).toBe('admin');
    expect(session?.info.expiresAt).not.toBeNull();
    expect(store.verify(session!.token)?.role).toBe('admin');
    expect(store.redeemLoginCode(code)).toBeNull();
    const expired = store.createLoginCode('admin', -1);
    expect(store.redeemLoginCode(expired)).toBeNull();
    store.close();
  });

  it('orders roles', () => {
    expect(roleAtLeast('admin', 'viewer')).toBe(true);
    expect(roleAtLeast('analyst', 'analyst')).toBe(true);
    expect(roleAtLeast('viewer', 'analyst')).toBe(false);
  });
});
