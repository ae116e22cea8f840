/**
 * The one HTTP server: the built explorer at `/`, GraphQL at `/graphql`, `/healthz`,
 * `/readyz`, and `/auth/session` where the explorer trades a one-time login code for a
 * session token. Plain node:http around Apollo Server's request executor, so nothing else
 * sits between the socket and the auth check.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { ApolloServer, type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphStore } from '../graph/store.js';
import { packagePath } from '../lib/package-root.js';
import { type ReportService, reportsFor } from '../reports/service.js';
import { AnswerCache } from './answer-cache.js';
import type { TokenInfo, TokenStore } from './auth/tokens.js';
import { NodeLoader } from './node-loader.js';
import { costLimitPlugin } from './query-cost.js';
import { type ApiContext, resolvers } from './resolvers.js';

export interface ServerOptions {
  store: GraphStore;
  tokens: TokenStore;
  host: string;
  port: number;
  /** per-query bound on the server side */
  timeoutMs?: number;
  /** where request lines go (default stderr) */
  log?: (line: string) => void;
  /** the built explorer (default web/dist in the package) */
  webRoot?: string;
  /**
   * The reports the API lists and runs. Default: whatever report service is published for
   * `store` at request time (reports/service.ts), so a scheduler started after the server
   * is found without more wiring.
   */
  reports?: ReportService;
}

export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 20 * 1024 * 1024;
/**
 * Values one query may produce (query-cost.ts): a 500-answer who-can page with every path
 * explained, or 500 findings with their paths, is about 50–70 thousand.
 */
export const MAX_QUERY_COST = 100_000;
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Security headers on every response: the explorer loads only its own assets. */
const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
};

export const isLoopback = (host: string) => host === '127.0.0.1' || host === '::1' || host === 'localhost';

function send(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error('request body too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function bearer(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1]! : null;
}

function landingPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>accessgraph</title></head>
<body><main><h1>accessgraph</h1>
<p>The API is running. The explorer has not been built in this installation (run <code>npm run build</code>).</p>
<p>GraphQL endpoint: <code>/graphql</code> (send <code>Authorization: Bearer &lt;token&gt;</code>).</p></main></body></html>`;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const webRoot = options.webRoot ?? packagePath('web', 'dist');
  const typeDefs = readFileSync(packagePath('api', 'schema.graphql'), 'utf8');

  // Depth, alias, directive and token limits against query bombs; the cost limit is
  // query-cost.ts, which (unlike armor's) sees variables and counts pages linearly.
  const armor = new ApolloArmor({
    maxDepth: { n: 12 },
    costLimit: { enabled: false },
    maxAliases: { n: 20 },
    maxDirectives: { n: 20 },
    maxTokens: { n: 5000 },
  });
  const protection = armor.protect();
  const apollo = new ApolloServer<ApiContext>({
    typeDefs,
    resolvers,
    ...protection,
    // armor's plugins are context-agnostic; Apollo types them for the base context
    plugins: [
      ...(protection.plugins as ApolloServerPlugin<ApiContext>[]),
      costLimitPlugin(MAX_QUERY_COST) as ApolloServerPlugin<ApiContext>,
    ],
    validationRules: [...protection.validationRules],
    includeStacktraceInErrorResponses: false,
  });
  await apollo.start();
  const answers = new AnswerCache();

  const handle = async (req: IncomingMessage, res: ServerResponse, done: (role: string) => void) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/healthz') return send(res, 200, '{"status":"ok"}');
    if (path === '/readyz') {
      try {
        await Promise.race([
          options.store.stats(),
          new Promise((_, r) => setTimeout(() => r(new Error('timeout')), 2000)),
        ]);
        return send(res, 200, '{"status":"ready"}');
      } catch {
        return send(res, 503, '{"status":"store unavailable"}');
      }
    }
    if (path === '/auth/session') {
      if (req.method !== 'POST') return send(res, 405, '{"error":"POST a login code"}');
      const body = await readBody(req);
      let code: unknown;
      try {
        code = (JSON.parse(body) as { code?: unknown }).code;
      } catch {
        return send(res, 400, '{"error":"send JSON {\\"code\\": \\"…\\"}"}');
      }
      const session = typeof code === 'string' ? options.tokens.redeemLoginCode(code) : null;
      if (!session)
        return send(
          res,
          401,
          '{"error":"this login link is invalid, used or expired; print a new one with accessgraph serve or token create"}',
        );
      done(session.info.role);
      return send(
        res,
        200,
        JSON.stringify({ token: session.token, role: session.info.role, expiresAt: session.info.expiresAt }),
      );
    }
    if (path === '/graphql') {
      const token = bearer(req);
      const viewer: TokenInfo | null = token ? options.tokens.verify(token) : null;
      if (!viewer) {
        res.setHeader('www-authenticate', 'Bearer realm="accessgraph"');
        return send(
          res,
          401,
          JSON.stringify({
            errors: [
              {
                message:
                  'authentication required: send Authorization: Bearer <token> (create one with `accessgraph token create`)',
                extensions: { code: 'UNAUTHENTICATED' },
              },
            ],
          }),
        );
      }
      done(viewer.role);
      const headers = new HeaderMap();
      for (const [k, v] of Object.entries(req.headers))
        if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      const raw = req.method === 'POST' ? await readBody(req) : '';
      let body: unknown = raw;
      if (raw && (headers.get('content-type') ?? '').includes('application/json')) {
        try {
          body = JSON.parse(raw);
        } catch {
          return send(
            res,
            400,
            JSON.stringify({
              errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
            }),
          );
        }
      }
      const result = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
        context: async () => ({
          store: options.store,
          tokens: options.tokens,
          viewer,
          timeoutMs,
          answers,
          nodes: new NodeLoader(options.store),
          reports: options.reports ?? reportsFor(options.store),
        }),
      });
      const outHeaders: Record<string, string> = { ...SECURITY_HEADERS };
      for (const [k, v] of result.headers) outHeaders[k] = v;
      res.writeHead(result.status ?? 200, outHeaders);
      if (result.body.kind === 'complete') res.end(result.body.string);
      else {
        for await (const chunk of result.body.asyncIterator) res.write(chunk);
        res.end();
      }
      return;
    }
    return serveStatic(webRoot, path, res);
  };

  const server = createServer((req, res) => {
    const t0 = process.hrtime.bigint();
    let role = '-';
    res.on('finish', () => {
      // never the query string or headers: tokens and codes must not reach logs
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      log(
        `${new Date().toISOString()} ${req.method} ${new URL(req.url ?? '/', 'http://x').pathname} ${res.statusCode} ${ms.toFixed(1)}ms role=${role}`,
      );
    });
    handle(req, res, (r) => {
      role = r;
    }).catch((err: Error & { status?: number }) => {
      if (res.headersSent) return res.end();
      send(
        res,
        err.status ?? 500,
        JSON.stringify({ errors: [{ message: err.status ? err.message : 'internal error' }] }),
      );
      if (!err.status) log(`error: ${err.stack ?? err.message}`);
    });
  });
  server.requestTimeout = timeoutMs + 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    server,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await apollo.stop();
    },
  };
}

function serveStatic(root: string, path: string, res: ServerResponse): void {
  if (!existsSync(join(root, 'index.html'))) {
    if (path === '/' || path === '/login') send(res, 200, landingPage(), MIME['.html']);
    else send(res, 404, '{"error":"not found"}');
    return;
  }
  // resolve inside the root only; anything else is the single-page app's index
  const safe = normalize(decodeURIComponent(path)).replace(/^(\.\.(\/|\\|$))+/, '');
  const file = join(root, safe);
  const inside = file.startsWith(root.endsWith(sep) ? root : root + sep);
  const target = inside && existsSync(file) && statSync(file).isFile() ? file : join(root, 'index.html');
  const type = MIME[extname(target)] ?? 'application/octet-stream';
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'cache-control': target.includes(`${sep}assets${sep}`)
      ? 'public, max-age=31536000, immutable'
      : 'no-cache',
  });
  res.end(readFileSync(target));
}
