import type { Command } from 'commander';
import { TokenStore } from '../../api/auth/tokens.js';
import { isLoopback, startServer } from '../../api/server.js';
import { openStore, resolveStoreConfig } from '../../graph/open-store.js';
import { loadDemo } from '../../ingest/demo/load-demo.js';
import { type CliIo, globalFlags, parsePositiveInt, UsageError } from '../context.js';
import { startServeReports } from './report.js';

interface ServeOptions {
  port?: string;
  host?: string;
  behindProxy?: boolean;
  reports?: string;
}

function addServeOptions(cmd: Command): Command {
  return cmd
    .option('--port <n>', 'port (env ACCESSGRAPH_PORT, default 4000; 0 picks a free one)')
    .option('--host <host>', 'address to bind (env ACCESSGRAPH_HOST, default 127.0.0.1)')
    .option(
      '--behind-proxy',
      'a TLS-terminating proxy fronts this server (silences the non-loopback warning)',
    )
    .option(
      '--reports <file>',
      'scheduled report definitions (default <data-dir>/reports.yaml when it exists)',
    );
}

async function serve(command: Command, io: CliIo, opts: ServeOptions, demo: boolean): Promise<void> {
  const portText = opts.port ?? io.env.ACCESSGRAPH_PORT ?? '4000';
  const port = portText === '0' ? 0 : parsePositiveInt('--port', portText, 65535);
  const host = opts.host ?? io.env.ACCESSGRAPH_HOST ?? '127.0.0.1';
  if (!host.trim()) throw new UsageError('--host must not be empty');
  const config = resolveStoreConfig(globalFlags(command), io.env);
  const store = await openStore(config);
  const tokens = TokenStore.open(config.dataDir);
  try {
    if (demo && (await store.listSources()).length === 0) {
      io.stderr.write('loading the demo company…\n');
      const loaded = await loadDemo(store);
      io.stderr.write(`loaded ${loaded.map((s) => s.id).join(', ')}\n`);
    }
    const running = await startServer({ store, tokens, host, port });
    const reports = await startServeReports({
      store,
      dataDir: config.dataDir,
      ...(opts.reports ? { configPath: opts.reports } : {}),
      log: (m) => io.stderr.write(`${m}\n`),
    });
    if (!isLoopback(host) && !opts.behindProxy) {
      io.stderr.write(
        `warning: listening on ${host} without TLS: anyone who can reach this port sees your access map once they have a token.\n` +
          '         Put a TLS-terminating reverse proxy in front (then pass --behind-proxy), or bind 127.0.0.1.\n',
      );
    }
    const code = tokens.createLoginCode('admin');
    const shown = running.url;
    io.stdout.write(`accessgraph ${store.kind} store · API and explorer on ${shown}\n`);
    io.stdout.write('Open this one-time login link (valid 15 minutes) to sign in as admin:\n');
    io.stdout.write(`${shown}/login#code=${code}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    io.stderr.write('shutting down…\n');
    await reports?.stop();
    await running.close();
  } finally {
    tokens.close();
    await store.close();
  }
}

export function registerServe(program: Command, io: CliIo): void {
  addServeOptions(
    program
      .command('serve')
      .description('serve the GraphQL API and the explorer; prints a one-time login link'),
  ).action((opts: ServeOptions, command: Command) => serve(command, io, opts, false));
  addServeOptions(
    program
      .command('demo')
      .description('like serve, after loading the bundled demo company when the store is empty'),
  ).action((opts: ServeOptions, command: Command) => serve(command, io, opts, true));
}
