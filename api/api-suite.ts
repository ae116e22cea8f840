/**
 * The API over real HTTP, run against each store: auth, roles, limits, hostile input,
 * pagination. server.test.ts runs it on the embedded store, server.neo4j.test.ts on Neo4j.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphStore } from '../graph/store.js';
import { loadDemo } from '../ingest/demo/load-demo.js';
import { TokenStore } from './auth/tokens.js';
import { type RunningServer, startServer } from './server.js';

interface GqlResponse {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
}

export function defineApiSuite(name: string, openEmptyStore: () => Promise<GraphStore>): void {
  describe(`GraphQL API over HTTP (${name})`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'accessgraph-api-'));
    let store: GraphStore;
    let tokens: TokenStore;
    let server: RunningServer;
    const logs: string[] = [];
    const secrets: Record<'viewer' | 'analyst' | 'admin', string> = { viewer: '', analyst: '', admin: '' };

    beforeAll(async () => {
      store = await openEmptyStore();
      await loadDemo(store);
      tokens = TokenStore.open(dir);
      for (const role of ['viewer', 'analyst', 'admin'] as const) secrets[role] = tokens.create(role).token;
      server = await startServer({
        store,
        tokens,
        host: '127.0.0.1',
        port: 0,
        log: (l) => logs.push(l),
        timeoutMs: 10_000,
      });
    });
    afterAll(async () => {
      await server.close();
      tokens.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    async function gql(
      query: string,
      variables: Record<string, unknown> = {},
      token: string | null = secrets.viewer,
    ): Promise<GqlResponse> {
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as GqlResponse['body'] };
    }
    const codes = (r: GqlResponse) => (r.body.errors ?? []).map((e) => e.extensions?.code);

    it('answers 401 without a valid token, and 200 with one', async () => {
      expect((await gql('{ me { role } }', {}, null)).status).toBe(401);
      expect((await gql('{ me { role } }', {}, 'agt_nope')).status).toBe(401);
      const res = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from('a:b').toString('base64')}`,
        },
        body: '{"query":"{ me { role } }"}',
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      const ok = await gql('{ me { role store } }');
      expect(ok.status).toBe(200);
      expect(ok.body.data).toEqual({ me: { role: 'viewer', store: store.kind } });
    });

    it('serves health, readiness and the landing page with security headers', async () => {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready' });
      const page = await fetch(`${server.url}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(page.headers.get('x-frame-options')).toBe('DENY');
    });

    it('lists findings, filtered by kind, paged by cursor, each hop explained', async () => {
      const q = `query($kinds: [FindingKind!], $first: Int, $after: String) {
        findings(kinds: $kinds, first: $first, after: $after) {
          totalCount truncated
          pageInfo { hasNextPage endCursor }
          edges { cursor node { id kind severity title remediation principal { id } target { id }
            path { from to edge via { label } } pathNodes { id } } }
        } }`;
      type Page = {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: Array<{
          cursor: string;
          node: {
            id: string;
            kind: string;
            severity: string;
            path: Array<{ from: string; to: string; via: { label: string } | null }>;
            pathNodes: Array<{ id: string }>;
            principal: { id: string } | null;
          };
        }>;
      };
      const all = (await gql(q, { first: 500 })).body.data!.findings as Page;
      expect(all.totalCount).toBeGreaterThan(0);
      expect(all.totalCount).toBe(all.edges.length);
      for (const { node: f } of all.edges) {
        expect(f.principal).not.toBeNull();
        if (f.path.length) {
          expect(f.pathNodes.map((n) => n.id)).toEqual([f.path[0]!.from, ...f.path.map((h) => h.to)]);
          expect(f.path.some((h) => h.via !== null)).toBe(true);
        }
      }
      const first = (await gql(q, { first: 2 })).body.data!.findings as Page;
      const rest = (await gql(q, { first: 500, after: first.pageInfo.endCursor })).body.data!
        .findings as Page;
      expect([...first.edges, ...rest.edges].map((e) => e.node.id)).toEqual(all.edges.map((e) => e.node.id));
      const publicOnly = (await gql(q, { kinds: ['PUBLIC_ACCESS'], first: 500 })).body.data!.findings as Page;
      expect(publicOnly.edges.length).toBeGreaterThan(0);
      expect(publicOnly.edges.every((e) => e.node.kind === 'PUBLIC_ACCESS')).toBe(true);
      const one = all.edges[0]!.node;
      const byId = await gql('query($id: ID!) { finding(id: $id) { id kind severity path { from to } } }', {
        id: one.id,
      });
      expect(byId.body.data?.finding).toMatchObject({ id: one.id, kind: one.kind, severity: one.severity });
      expect((byId.body.data!.finding as { path: unknown[] }).path).toHaveLength(one.path.length);
      expect(
        (await gql('{ finding(id: "privilege-escalation:0000000000000000") { id } }')).body.data,
      ).toEqual({
        finding: null,
      });
      expect(codes(await gql(q, { after: 'not-a-cursor' }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await gql(q, { first: 501 }))).toEqual(['BAD_USER_INPUT']);
    });

    it('answers whoCan with explained hops', async () => {
      const r = await gql(
        `query($r: ID!) { whoCan(resource: $r, action: "s3:GetObject", kinds: [User]) {
          totalCount known truncated
          edges { node { depth actions conditional node { id name kind } path { kind from to via { ref label statement excerpt } } } } } }`,
        { r: 'arn:aws:s3:::acme-data' },
      );
      expect(r.body.errors).toBeUndefined();
      const wc = r.body.data!.whoCan as {
        totalCount: number;
        known: boolean;
        edges: Array<{
          node: { node: { name: string }; path: Array<{ kind: string; via: { label: string } | null }> };
        }>;
      };
      expect(wc.known).toBe(true);
      expect(wc.edges.map((e) => e.node.node.name)).toEqual(['bob', 'dave', 'alice']);
      const alice = wc.edges[2]!.node;
      expect(alice.path.map((h) => h.kind)).toEqual(['MEMBER_OF', 'MEMBER_OF', 'HAS_ACCESS', 'CONTAINS']);
      expect(alice.path[2]!.via!.label).toBe('read-data');
      const named = await gql(
        '{ whoCan(resource: "arn:aws:s3:::acme-data", kinds: [User], first: 1) { edges { node { pathNodes { name } } } } }',
      );
      expect(named.body.data).toEqual({
        whoCan: {
          edges: [{ node: { pathNodes: [{ name: 'carol' }, { name: 'deployer' }, { name: 'acme-data' }] } }],
        },
      });
    });

    it('answers whoCan on an object no source inventoried through its bucket', async () => {
      const r = await gql(
        `query($r: ID!) { whoCan(resource: $r, action: "s3:GetObject", kinds: [User]) {
          known within edges { node { node { name } undecidedDenies } } } }`,
        { r: 'arn:aws:s3:::acme-data/reports/2026.csv' },
      );
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data).toEqual({
        whoCan: {
          known: false,
          within: ['arn:aws:s3:::acme-data'],
          edges: ['bob', 'dave', 'alice'].map((name) => ({
            node: { node: { name }, undecidedDenies: null },
          })),
        },
      });
    });

    it('serves later pages from the same answer, and sees new ingests at once', async () => {
      const q =
        '{ whoCan(resource: "arn:aws:s3:::acme-data", kinds: [User]) { totalCount edges { node { node { name } } } } }';
      const before = (await gql(q)).body.data!.whoCan as { totalCount: number };
      const doc = {
        format: 'accessgraph-graph',
        version: 1,
        source: { id: 'file:zed', cloud: 'generic' },
        nodes: [{ id: 'zed', kind: 'User', name: 'zed' }],
        edges: [{ kind: 'MEMBER_OF', from: 'zed', to: 'arn:aws:iam::111111111111:group/engineers' }],
      };
      await gql('mutation($d: [JSON!]!) { ingest(documents: $d) { id } }', { d: [doc] }, secrets.admin);
      const after = (await gql(q)).body.data!.whoCan as {
        totalCount: number;
        edges: Array<{ node: { node: { name: string } } }>;
      };
      expect(after.totalCount).toBe(before.totalCount + 1);
      expect(after.edges.map((e) => e.node.node.name)).toContain('zed');
    });

    it('pages whoCan stably with cursors', async () => {
      const q = `query($after: String, $first: Int) { whoCan(resource: "arn:aws:s3:::acme-data", first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { node { id } } } } }`;
      const all = (await gql(q, { first: 100 })).body.data!.whoCan as {
        totalCount: number;
        edges: Array<{ node: { node: { id: string } } }>;
      };
      const ids: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 20; page++) {
        const r = (await gql(q, { first: 2, after })).body.data!.whoCan as {
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
          edges: Array<{ node: { node: { id: string } } }>;
        };
        ids.push(...r.edges.map((e) => e.node.node.id));
        if (!r.pageInfo.hasNextPage) break;
        after = r.pageInfo.endCursor;
      }
      expect(ids).toEqual(all.edges.map((e) => e.node.node.id));
      expect(ids).toHaveLength(all.totalCount);
      expect(codes(await gql(q, { first: 2, after: 'garbage' }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await gql(q, { first: 0 }))).toEqual(['BAD_USER_INPUT']);
    });

    it('answers canReach, paths, neighborhood, search, node and sources', async () => {
      const r = await gql(`{
        canReach(principal: "arn:aws:iam::111111111111:user/carol") { totalCount edges { node { node { id } } } }
        paths(from: "arn:aws:iam::111111111111:user/alice", to: "arn:aws:s3:::acme-data", k: 3) { paths { kind } nodes { name } truncated }
        neighborhood(node: "arn:aws:iam::111111111111:group/engineers") { nodes { name } edges { kind } truncated }
        search(text: "acme", kinds: [Resource]) { rank node { name } }
        node(id: "arn:aws:iam::111111111111:group/engineers") { name policies { name } grants { actions } members { from } }
        sources { id nodeCount }
      }`);
      expect(r.body.errors).toBeUndefined();
      const d = r.body.data as Record<string, unknown>;
      expect(d.canReach).toMatchObject({ totalCount: 1 });
      expect((d.paths as { paths: unknown[][] }).paths.map((p) => p.length)).toEqual([4]);
      expect((d.search as Array<{ node: { name: string } }>).map((h) => h.node.name)).toEqual([
        'acme-data',
        'acme-logs',
      ]);
      expect(d.node).toMatchObject({
        name: 'engineers',
        policies: [{ name: 'read-data' }],
        grants: [{ actions: ['s3:getobject', 's3:listbucket'] }],
      });
      expect((d.sources as Array<{ id: string }>).map((s) => s.id)).toEqual(
        expect.arrayContaining(['aws:111111111111', 'aws:123456789012', 'aws:org/o-exampleorg1']),
      );
    });

    it('keeps viewers away from Cypher, ingest and tokens', async () => {
      expect(codes(await gql('{ cypher(query: "MATCH (n) RETURN n") { columns } }'))).toEqual(['FORBIDDEN']);
      expect(codes(await gql('mutation { ingest(documents: []) { id } }'))).toEqual(['FORBIDDEN']);
      expect(codes(await gql('mutation { createToken(role: admin) { token } }'))).toEqual(['FORBIDDEN']);
      expect(codes(await gql('{ tokens { id } }', {}, secrets.analyst))).toEqual(['FORBIDDEN']);
      expect(codes(await gql('mutation { ingest(documents: []) { id } }', {}, secrets.analyst))).toEqual([
        'FORBIDDEN',
      ]);
    });

    it("runs analysts' read-only Cypher on Neo4j only, and never writes", async () => {
      const read = await gql(
        'query($q: String!, $p: JSON) { cypher(query: $q, params: $p) { columns rows truncated } }',
        {
          q: 'MATCH (n:Node {id: $id}) RETURN n.name AS name',
          p: { id: 'arn:aws:iam::111111111111:user/alice' },
        },
        secrets.analyst,
      );
      if (store.kind !== 'neo4j') {
        expect(codes(read)).toEqual(['NOT_AVAILABLE']);
        return;
      }
      expect(read.body.errors).toBeUndefined();
      expect(read.body.data).toEqual({ cypher: { columns: ['name'], rows: [['alice']], truncated: false } });
      const before = await store.stats();
      for (const q of [
        'CREATE (n:Node {id: "evil"}) RETURN n',
        'MATCH (n) DETACH DELETE n',
        'MATCH (n:Node) SET n.name = "x" RETURN count(n)',
        'CREATE INDEX evil IF NOT EXISTS FOR (n:Node) ON (n.name)',
        'CALL db.clearQueryCaches()',
        'LOAD CSV FROM "file:///etc/passwd" AS l RETURN l',
      ]) {
        const w = await gql('query($q: String!) { cypher(query: $q) { rows } }', { q }, secrets.analyst);
        expect(w.body.errors?.length, q).toBeGreaterThan(0);
      }
      expect(await store.stats()).toEqual(before);
      const many = await gql(
        '{ cypher(query: "UNWIND range(1, 5000) AS x RETURN x") { truncated rows } }',
        {},
        secrets.analyst,
      );
      expect(many.body.data).toMatchObject({ cypher: { truncated: true } });
      expect((many.body.data!.cypher as { rows: unknown[] }).rows).toHaveLength(1000);
      const slow = await gql(
        '{ cypher(query: "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b WITH a, b WHERE a * b = -1 RETURN count(*)") { rows } }',
        {},
        secrets.analyst,
      );
      expect(codes(slow)).toEqual(['TIMEOUT']);
    });

    it('lets admins manage tokens and ingest', async () => {
      const created = await gql(
        'mutation { createToken(role: viewer, name: "ci") { token info { id role name } } }',
        {},
        secrets.admin,
      );
      const t = created.body.data!.createToken as { token: string; info: { id: string } };
      expect((await gql('{ me { role } }', {}, t.token)).body.data).toEqual({ me: { role: 'viewer' } });
      expect(
        (await gql('mutation($id: ID!) { revokeToken(id: $id) }', { id: t.info.id }, secrets.admin)).body
          .data,
      ).toEqual({ revokeToken: true });
      expect((await gql('{ me { role } }', {}, t.token)).status).toBe(401);
      const doc = {
        format: 'accessgraph-graph',
        version: 1,
        source: { id: 'file:api', cloud: 'generic' },
        nodes: [{ id: 'api-node', kind: 'User', name: 'api-node' }],
        edges: [],
      };
      const ing = await gql(
        'mutation($d: [JSON!]!) { ingest(documents: $d) { id nodeCount } }',
        { d: [doc] },
        secrets.admin,
      );
      expect(ing.body.data).toEqual({ ingest: [{ id: 'file:api', nodeCount: 1 }] });
      const bad = await gql(
        'mutation($d: [JSON!]!) { ingest(documents: $d) { id } }',
        { d: [{ format: 'accessgraph-graph' }] },
        secrets.admin,
      );
      expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
      expect(bad.body.errors![0]!.message).toContain('documents[0]: $: missing required property');
    });

    it('rejects depth and cost bombs', async () => {
      const deep = `{ node(id: "x") { ${'edges { via { ref } } '.repeat(1)}policies { policies { policies { policies { policies { policies { policies { policies { policies { policies { policies { policies { id } } } } } } } } } } } } } }`;
      const d = await gql(deep);
      expect(d.body.data ?? null).toBeNull();
      expect(JSON.stringify(d.body.errors)).toMatch(/depth/i);
      const aliases = Array.from(
        { length: 60 },
        (_, i) => `a${i}: whoCan(resource: "arn:aws:s3:::acme-data") { totalCount }`,
      ).join(' ');
      const c = await gql(`{ ${aliases} }`);
      expect(c.body.data ?? null).toBeNull();
      expect(c.body.errors!.length).toBeGreaterThan(0);
    });

    it('treats hostile strings in every argument as plain data', async () => {
      const before = await store.stats();
      const evil = [
        "x' OR 1=1 --",
        'a`b`',
        '}) RETURN n //',
        '"; DROP TABLE nodes; --',
        'MATCH (n) DETACH DELETE n',
        'ünï\u200bcødé 🚀 \u202e',
        'x'.repeat(20_000),
      ];
      for (const s of evil) {
        const r = await gql(
          `query($s: ID!, $t: String!) {
            whoCan(resource: $s) { totalCount known }
            canReach(principal: $s, action: $t) { totalCount }
            paths(from: $s, to: $s) { paths { id } }
            neighborhood(node: $s) { nodes { id } }
            node(id: $s) { id }
          }`,
          { s, t: s.slice(0, 100) },
        );
        expect(r.status).toBe(200);
        expect(r.body.errors).toBeUndefined();
        expect(r.body.data!.whoCan).toEqual({ totalCount: 0, known: false });
        const s2 = await gql('query($t: String!) { search(text: $t) { node { id } } }', {
          t: s.slice(0, 512),
        });
        expect(s2.body.errors).toBeUndefined();
      }
      expect(
        codes(await gql('query($t: String!) { search(text: $t) { rank } }', { t: 'x'.repeat(600) })),
      ).toEqual(['BAD_USER_INPUT']);
      expect(await store.stats()).toEqual(before);
    });

    it('trades a login code for a session once, and never logs secrets', async () => {
      const code = tokens.createLoginCode('analyst');
      const post = (c: string) =>
        fetch(`${server.url}/auth/session`, { method: 'POST', body: JSON.stringify({ code: c }) });
      const first = await post(code);
      expect(first.status).toBe(200);
      const session = (await first.json()) as { token: string; role: string };
      expect(session.role).toBe('analyst');
      expect((await gql('{ me { role } }', {}, session.token)).body.data).toEqual({
        me: { role: 'analyst' },
      });
      expect((await post(code)).status).toBe(401);
      const all = logs.join('\n');
      for (const secret of [code, session.token, secrets.viewer, secrets.admin])
        expect(all).not.toContain(secret.slice(4));
      expect(all).toMatch(/POST \/graphql 200 [\d.]+ms role=viewer/);
    });
  });
}
