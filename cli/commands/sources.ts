import type { Command } from 'commander';
import { type CliIo, globalFlags, withStore, writeJson } from '../context.js';

export function registerSources(program: Command, io: CliIo): void {
  program
    .command('sources')
    .description('list the loaded sources (accounts, projects, tenants) with their size and load time')
    .action(async (_opts, command: Command) => {
      await withStore(command, io, async (store) => {
        const sources = await store.listSources();
        if (globalFlags(command).json) return writeJson(io, sources);
        if (sources.length === 0)
          io.stdout.write('no sources loaded yet; load some with `accessgraph ingest PATH`\n');
        for (const s of sources) {
          io.stdout.write(
            `${s.id.padEnd(32)} ${s.cloud.padEnd(8)} ${String(s.nodeCount).padStart(9)} nodes ${String(s.edgeCount).padStart(9)} edges  loaded ${s.loadedAt}\n`,
          );
        }
      });
    });
}
