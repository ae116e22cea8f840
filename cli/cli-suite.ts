/**
 * End-to-end CLI behaviour, run in-process against a given store: the embedded store in
 * cli.test.ts, a real Neo4j in cli.neo4j.test.ts. Same commands, same answers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './main.js';

export const EXAMPLE = fileURLToPath(new URL('../examples/acme-graph.json', import.meta.url));

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function cliRunner(globalArgs: string[], env: NodeJS.ProcessEnv) {
  return async (...args: string[]): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    const code = await runCli([...globalArgs, ...args], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      env,
      version: '0.0.0-test',
    });
    return { code, stdout, stderr };
  };
}

export function defineCliSuite(
  name: string,
  setup: () => Promise<{ globalArgs: string[]; env: NodeJS.ProcessEnv }>,
) {
  describe(`accessgraph CLI (${name})`, () => {
    let run: ReturnType<typeof cliRunner>;
    const tmp = mkdtempSync(join(tmpdir(), 'accessgraph-cli-'));
    beforeAll(async () => {
      const s = await setup();
      run = cliRunner(s.globalArgs, s.env);
    });
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    it('answers --help for the program and every command with exit 0', async () => {
      const top = await run('--help');
      expect(top.code).toBe(0);
      expect(top.stdout).toContain('who-can');
      expect(top.stdout).toContain('Exit codes');
      for (const cmd of [
        'ingest',
        'who-can',
        'can-reach',
        'paths',
        'search',
        'sources',
        'serve',
        'demo',
        'token',
      ]) {
        const r = await run(cmd, '--help');
        expect(r.code, cmd).toBe(0);
        expect(r.stdout, cmd).toContain(`Usage: accessgraph ${cmd}`);
      }
    });

    it('exits 2 on bad usage', async () => {
      expect((await run('no-such-command')).code).toBe(2);
      expect((await run('who-can')).code).toBe(2);
      const depth = await run('who-can', 'x', '--max-depth', 'ten');
      expect(depth.code).toBe(2);
      expect(depth.stderr).toContain('--max-depth must be a whole number');
      expect((await run('who-can', 'x', '--level', 'owner')).code).toBe(2);
      expect((await run('who-can', 'x', '--kind', 'Wizard')).code).toBe(2);
    });

    it('ingests the example and answers who-can with explained paths', async () => {
      const ingest = await run('ingest', EXAMPLE);
      expect(ingest.code, ingest.stderr).toBe(0);
      expect(ingest.stdout).toContain('aws:111111111111: 13 nodes, 11 edges');

      const r = await run(
        '--json',
        'who-can',
        'arn:aws:s3:::acme-data',
        '--action',
        's3:GetObject',
        '--kind',
        'User',
      );
      expect(r.code, r.stderr).toBe(0);
      const rows = JSON.parse(r.stdout) as Array<{
        principal: string;
        kind: string;
        actions: string[];
        conditional: boolean;
        path: Array<{ from: string; to: string; edge: string; via: unknown }>;
      }>;
      expect(rows.map((x) => x.principal)).toEqual([
        'arn:aws:iam::111111111111:user/bob',
        'arn:aws:iam::111111111111:user/dave',
        'arn:aws:iam::111111111111:user/alice',
      ]);
      const alice = rows[2]!;
      expect(alice.kind).toBe('User');
      expect(alice.actions).toEqual(['s3:getobject']);
      expect(alice.conditional).toBe(false);
      expect(alice.path.map((h) => h.edge)).toEqual(['MEMBER_OF', 'MEMBER_OF', 'HAS_ACCESS', 'CONTAINS']);
      expect(alice.path[2]).toMatchObject({
        from: 'arn:aws:iam::111111111111:group/engineers',
        via: { ref: 'arn:aws:iam::111111111111:policy/read-data' },
      });

      const put = await run(
        '--json',
        'who-can',
        'arn:aws:s3:::acme-data',
        '--level',
        'write',
        '--kind',
        'User',
      );
      const putRows = JSON.parse(put.stdout) as Array<{ principal: string; conditional: boolean }>;
      expect(putRows.map((x) => [x.principal.split('/').pop(), x.conditional])).toEqual([
        ['carol', true],
        ['dave', false],
      ]);

      const text = await run('who-can', 'arn:aws:s3:::acme-data', '--kind', 'User');
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('4 principals can reach arn:aws:s3:::acme-data');
      expect(text.stdout).toContain('alice ─[MEMBER_OF]→ devs');
    });

    it('answers can-reach, search and sources', async () => {
      const reach = await run('--json', 'can-reach', 'arn:aws:iam::111111111111:user/carol');
      expect(reach.code, reach.stderr).toBe(0);
      expect(JSON.parse(reach.stdout).map((x: { resource: string }) => x.resource)).toEqual([
        'arn:aws:s3:::acme-data',
      ]);
      const search = await run('--json', 'search', 'acme', '--kind', 'Resource');
      expect(JSON.parse(search.stdout).map((x: { name: string }) => x.name)).toEqual([
        'acme-data',
        'acme-logs',
      ]);
      const sources = await run('--json', 'sources');
      expect(JSON.parse(sources.stdout).map((s: { id: string }) => s.id)).toContain('aws:111111111111');
    });

    it('explains the shortest paths between two nodes', async () => {
      const r = await run(
        '--json',
        'paths',
        'arn:aws:iam::111111111111:user/alice',
        'arn:aws:s3:::acme-data',
        '-k',
        '2',
      );
      expect(r.code, r.stderr).toBe(0);
      const paths = JSON.parse(r.stdout) as Array<{
        length: number;
        path: Array<{ edge: string; via: unknown }>;
      }>;
      expect(paths.map((p) => p.length)).toEqual([4]);
      expect(paths[0]!.path.map((h) => h.edge)).toEqual(['MEMBER_OF', 'MEMBER_OF', 'HAS_ACCESS', 'CONTAINS']);
      const text = await run('paths', 'arn:aws:iam::111111111111:user/dave', 'arn:aws:s3:::acme-logs');
      expect(text.stdout).toContain('path 1 · 3 hops');
      expect(text.stdout).toContain(
        'dave ─[CAN_ESCALATE (lambda-passrole-create-invoke) · via dave-inline #0]→ admin-role',
      );
      const none = await run('paths', 'arn:aws:iam::111111111111:user/erin', 'arn:aws:s3:::acme-logs');
      expect(none.stdout).toContain('no path from');
      expect((await run('paths', 'a', 'b', '--max-hops', '0')).code).toBe(2);
    });

    it('creates tokens that print on the last line', async () => {
      const r = await run('token', 'create', '--role', 'viewer', '--name', 'cli-test');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim().split('\n').pop()).toMatch(/^agt_[A-Za-z0-9_-]{43}$/);
      const list = JSON.parse((await run('--json', 'token', 'list')).stdout) as Array<{
        name: string;
        role: string;
      }>;
      expect(list.some((t) => t.name === 'cli-test' && t.role === 'viewer')).toBe(true);
      expect((await run('token', 'create', '--role', 'root')).code).toBe(2);
    });

    it('warns about an unknown resource and still exits 0', async () => {
      const r = await run('who-can', 'arn:aws:s3:::never-seen');
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('is not in the graph');
      expect(r.stdout).toContain('0 principals');
    });

    it('rejects bad input with file, JSON path and problem, and loads nothing from it', async () => {
      const bad = join(tmp, 'bad.json');
      const good = join(tmp, 'good.json');
      writeFileSync(
        good,
        JSON.stringify({
          format: 'accessgraph-graph',
          version: 1,
          source: { id: 'file:good', cloud: 'generic' },
          nodes: [{ id: 'g1', kind: 'User', name: 'g1' }],
          edges: [],
        }),
      );
      writeFileSync(
        bad,
        JSON.stringify({
          format: 'accessgraph-graph',
          version: 1,
          source: { id: 'aws:111111111111', cloud: 'aws' },
          nodes: [{ id: 'only-node', kind: 'User', name: 'x' }],
          edges: [{ kind: 'HAS_ACCESS', from: 'a', to: 'b', levels: ['read'] }],
        }),
      );
      const r = await run('ingest', good, bad);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${bad}: $.edges[0]: missing required property "actions"`);
      // neither file's source changed: the previous acme version still answers
      const who = await run('--json', 'who-can', 'arn:aws:s3:::acme-data', '--kind', 'User');
      expect(JSON.parse(who.stdout)).toHaveLength(4);
      expect((await run('--json', 'search', 'g1')).stdout.trim()).toBe('[]');

      const broken = join(tmp, 'broken.json');
      writeFileSync(broken, '{\n  "format": "accessgraph-graph",\n  "nodes": [\n}');
      const b = await run('ingest', broken);
      expect(b.code).toBe(2);
      expect(b.stderr).toContain(
        'broken.json: $.nodes[0]: invalid JSON at line 4 column 1: unexpected "}" where a value was expected',
      );

      const unknown = join(tmp, 'unknown.json');
      writeFileSync(unknown, '{"hello": "world"}');
      const u = await run('ingest', unknown);
      expect(u.code).toBe(2);
      expect(u.stderr).toContain('unrecognised input');

      const missing = await run('ingest', join(tmp, 'nope.json'));
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('no such file or directory');
    });
  });
}
