import type { Command } from 'commander';
import { loadSources } from '../../ingest/load.js';
import { readInputs } from '../../ingest/read-inputs.js';
import { ACCEPTED_INPUTS, ingestDocuments } from '../../ingest/registry.js';
import { type CliIo, globalFlags, withStore, writeJson } from '../context.js';
import { progress } from '../progress.js';

export function registerIngest(program: Command, io: CliIo): void {
  program
    .command('ingest')
    .description('load snapshot directories or raw cloud exports; each source is replaced atomically')
    .argument('<paths...>', 'files or directories (directories: every .json / .ndjson inside)')
    .addHelpText(
      'after',
      `\nAccepted inputs (auto-detected):\n${ACCEPTED_INPUTS.map((a) => `  - ${a}`).join('\n')}\n\nBad input exits with code 2, naming the file, the JSON path and the problem; nothing is loaded then.`,
    )
    .action(async (paths: string[], _opts, command: Command) => {
      const p = progress(io);
      p.update(`reading ${paths.length} path${paths.length === 1 ? '' : 's'}…`);
      const docs = readInputs(paths);
      p.update(`validating ${docs.length} file${docs.length === 1 ? '' : 's'}…`);
      const sources = await ingestDocuments(docs);
      for (const s of sources)
        for (const w of s.warnings) io.stderr.write(`warning: ${s.descriptor.id}: ${w}\n`);
      await withStore(command, io, async (store) => {
        const infos = await loadSources(store, sources, (id, x) =>
          p.update(`loading ${id}: ${x.nodes}/${x.totalNodes} nodes, ${x.edges}/${x.totalEdges} edges`),
        );
        p.done(`loaded ${infos.length} source${infos.length === 1 ? '' : 's'} into the ${store.kind} store`);
        if (globalFlags(command).json) return writeJson(io, infos);
        for (const i of infos) io.stdout.write(`${i.id}: ${i.nodeCount} nodes, ${i.edgeCount} edges\n`);
      });
    });
}
