import type { Command } from 'commander';
import { type AccessResult, whoCan } from '../../graph/queries/access.js';
import { narrowToTarget } from '../../ingest/applicability.js';
import { type CliIo, globalFlags, withStore, writeJson } from '../context.js';
import { nameMap, renderAnswers } from '../format.js';
import { addAccessOptions, toAccessQuery } from './access-options.js';

/**
 * The `who-can --json` contract: an array of { principal, kind, actions, conditional, path },
 * plus `undecidedDenies` when a conditional partial deny may take the access away.
 */
export function whoCanJson(result: AccessResult) {
  return result.answers.map((a) => ({
    principal: a.node.id,
    name: a.node.name,
    kind: a.node.kind,
    actions: a.actions,
    conditional: a.conditional,
    depth: a.depth,
    path: a.path,
    ...(a.undecidedDenies ? { undecidedDenies: a.undecidedDenies } : {}),
  }));
}

export function registerWhoCan(program: Command, io: CliIo): void {
  const cmd = program
    .command('who-can')
    .description(
      'principals that can reach a resource, with the shortest path of each and why every hop exists',
    )
    .argument(
      '<resource>',
      'resource id: an ARN (also of objects, secrets and other resources never inventoried), a GCP full resource name, an Azure resource ID',
    );
  addAccessOptions(cmd).action(async (resource: string, opts, command: Command) => {
    const q = toAccessQuery(opts);
    await withStore(command, io, async (store) => {
      const result = await whoCan(store, resource, await narrowToTarget(store, resource, q));
      if (result.within)
        io.stderr.write(
          `note: ${resource} is not inventoried; answering through what contains it: ${result.within.join(', ')}\n`,
        );
      else if (!result.known)
        io.stderr.write(
          `warning: ${resource} is not in the graph; try \`accessgraph search\` to find its id\n`,
        );
      if (result.truncated) io.stderr.write(`warning: result truncated (${result.truncatedBy.join(', ')})\n`);
      if (globalFlags(command).json) return writeJson(io, whoCanJson(result));
      const what = q.action ? ` with ${q.action}` : q.level ? ` at level ${q.level}` : '';
      const heading = `${result.answers.length} principal${result.answers.length === 1 ? '' : 's'} can reach ${resource}${what}`;
      io.stdout.write(renderAnswers(result, await nameMap(store, result.answers), heading));
    });
  });
}
