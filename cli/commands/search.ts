import type { Command } from 'commander';
import { isNodeKind, type NodeKind } from '../../graph/model.js';
import { type CliIo, globalFlags, parsePositiveInt, UsageError, withStore, writeJson } from '../context.js';

export function registerSearch(program: Command, io: CliIo): void {
  program
    .command('search')
    .description('find nodes by name or id (exact, prefix, then substring matches)')
    .argument('<text>', 'part of a name or id, case-insensitive')
    .option('--kind <kinds>', 'only these node kinds, comma-separated')
    .option('--limit <n>', 'most results', '20')
    .action(async (text: string, opts: { kind?: string; limit: string }, command: Command) => {
      const limit = parsePositiveInt('--limit', opts.limit, 10_000);
      const kinds =
        opts.kind
          ?.split(',')
          .map((k) => k.trim())
          .filter(Boolean) ?? [];
      const bad = kinds.filter((k) => !isNodeKind(k));
      if (bad.length) throw new UsageError(`--kind: unknown kind ${bad.join(', ')}`);
      await withStore(command, io, async (store) => {
        const hits = await store.search(text, { kinds: kinds as NodeKind[], limit });
        if (globalFlags(command).json) {
          return writeJson(
            io,
            hits.map((h) => ({
              id: h.node.id,
              name: h.node.name,
              kind: h.node.kind,
              type: h.node.type ?? null,
              source: h.node.source,
            })),
          );
        }
        if (hits.length === 0) io.stdout.write(`nothing matches ${JSON.stringify(text)}\n`);
        for (const h of hits)
          io.stdout.write(`${h.node.kind.padEnd(16)} ${h.node.name.padEnd(32)} ${h.node.id}\n`);
      });
    });
}
