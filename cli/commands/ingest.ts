import type { Command } from 'commander';
import { BuildPool, buildWorkersFor } from '../../ingest/build-pool.js';
import { loadPlanned } from '../../ingest/load.js';
import { readInputs } from '../../ingest/read-inputs.js';
import { ACCEPTED_INPUTS, planDocuments } from '../../ingest/registry.js';
import { type CliIo, globalFlags, withStore, writeJson } from '../context.js';
import { progress } from '../progress.js';

export function registerIngest(program: Command, io: CliIo): void {
  program
    .command('ingest')
    .description('load snapshot directories or raw cloud exports; each source is replaced atomically')
    .argument('<paths...>', 'files or directories (directories: every .json / .ndjson inside)')
    .addHelpText(
      'after',
      `\nAccepted inputs (auto-detected):\n${ACCEPTED_INPUTS.map((a) => `  - ${a}`).join('\n')}\n\nEvery input is validated before anything is loaded: bad input exits with code 2, naming the file, the JSON path and the problem, and the store is left as it was. Sources are then evaluated and loaded one at a time (one per cloud account, project or subscription), each replaced atomically.`,
    )
    .action(async (paths: string[], _opts, command: Command) => {
      const p = progress(io);
      p.update(`reading and validating ${paths.length} path${paths.length === 1 ? '' : 's'}…`);
      // validate every input before the store is touched; the parsed documents are not kept
      // past planning, so only the normalized input and one evaluated source stay in memory
      const planned = await planDocuments(readInputs(paths));
      await withStore(command, io, async (store) => {
        // evaluation runs in worker threads while this thread writes the store (build-pool.ts)
        const workers = buildWorkersFor(planned.filter((x) => x.job).length, io.env, {
          stagedLoads: store.staging !== undefined,
        });
        const pool = workers > 0 ? BuildPool.open(workers) : undefined;
        const steps = new Map<string, string>();
        const infos = await loadPlanned(
          store,
          planned,
          {
            onBuild: (id, i, total) => {
              steps.set(id, `${i + 1}/${total}`);
              p.update(`evaluating ${id} (${steps.get(id)})…`);
            },
            onBuilt: (s) => {
              for (const w of s.warnings) p.note(`warning: ${s.descriptor.id}: ${w}`);
            },
            onProgress: (id, x) =>
              p.update(
                `loading ${id} (${steps.get(id)}): ${x.nodes}/${x.totalNodes} nodes, ${x.edges}/${x.totalEdges} edges`,
              ),
          },
          pool,
        ).finally(() => pool?.close());
        p.done(`loaded ${infos.length} source${infos.length === 1 ? '' : 's'} into the ${store.kind} store`);
        if (globalFlags(command).json) return writeJson(io, infos);
        for (const i of infos) io.stdout.write(`${i.id}: ${i.nodeCount} nodes, ${i.edgeCount} edges\n`);
      });
    });
}
