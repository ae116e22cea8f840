import type { Command } from 'commander';
import type { Hop } from '../../graph/queries/access.js';
import { toHop } from '../../graph/queries/access.js';
import { kShortestPaths } from '../../graph/queries/paths.js';
import { type CliIo, globalFlags, parsePositiveInt, withStore, writeJson } from '../context.js';
import { hopLine } from '../format.js';

export function registerPaths(program: Command, io: CliIo): void {
  program
    .command('paths')
    .description('shortest paths from one node to another, with the explanation of every hop')
    .argument('<from>', 'start node id (usually a principal)')
    .argument('<to>', 'end node id (a resource, scope or another principal)')
    .option('--max-hops <n>', 'longest path, in hops (1-32)', '8')
    .option('-k, --count <k>', 'how many paths, shortest first (1-10)', '3')
    .option('--timeout <ms>', 'give up after this many milliseconds', '30000')
    .action(
      async (
        from: string,
        to: string,
        opts: { maxHops: string; count: string; timeout: string },
        command: Command,
      ) => {
        const maxDepth = parsePositiveInt('--max-hops', opts.maxHops, 32);
        const k = parsePositiveInt('--count', opts.count, 10);
        const timeoutMs = parsePositiveInt('--timeout', opts.timeout, 600_000);
        await withStore(command, io, async (store) => {
          const result = await kShortestPaths(store, { from, to, maxDepth, k, timeoutMs });
          const hops: Hop[][] = result.paths.map((p) => p.map(toHop));
          if (result.truncated)
            io.stderr.write('warning: ran out of time; fewer paths than asked may be shown\n');
          if (globalFlags(command).json)
            return writeJson(
              io,
              hops.map((path) => ({ length: path.length, path })),
            );
          const names = new Map(
            (await store.getNodes([...new Set(hops.flat().flatMap((h) => [h.from, h.to]))])).map((n) => [
              n.id,
              n.name,
            ]),
          );
          if (hops.length === 0) {
            const known = await Promise.all([store.getNode(from), store.getNode(to)]);
            const missing = [from, to].filter((_, i) => known[i] === null);
            io.stdout.write(
              missing.length
                ? `not in the graph: ${missing.join(', ')} (try \`accessgraph search\`)\n`
                : `no path from ${from} to ${to} within ${maxDepth} hops\n`,
            );
            return;
          }
          hops.forEach((path, i) => {
            io.stdout.write(`path ${i + 1} · ${path.length} hop${path.length === 1 ? '' : 's'}\n`);
            for (const h of path) io.stdout.write(`  ${hopLine(h, names)}\n`);
          });
        });
      },
    );
}
