import type { Command } from 'commander';
import { canReach } from '../../graph/queries/access.js';
import { type CliIo, globalFlags, withStore, writeJson } from '../context.js';
import { nameMap, renderAnswers } from '../format.js';
import { addAccessOptions, toAccessQuery } from './access-options.js';

export function registerCanReach(program: Command, io: CliIo): void {
  const cmd = program
    .command('can-reach')
    .description('resources and scopes a principal can reach, with the shortest path to each')
    .argument(
      '<principal>',
      'principal id (user/role ARN, service account email resource name, Entra object ID)',
    );
  addAccessOptions(cmd).action(async (principal: string, opts, command: Command) => {
    const q = toAccessQuery(opts);
    await withStore(command, io, async (store) => {
      const result = await canReach(store, principal, q);
      if (!result.known)
        io.stderr.write(
          `warning: ${principal} is not in the graph; try \`accessgraph search\` to find its id\n`,
        );
      if (result.truncated) io.stderr.write(`warning: result truncated (${result.truncatedBy.join(', ')})\n`);
      if (globalFlags(command).json) {
        return writeJson(
          io,
          result.answers.map((a) => ({
            resource: a.node.id,
            name: a.node.name,
            kind: a.node.kind,
            type: a.node.type ?? null,
            actions: a.actions,
            conditional: a.conditional,
            depth: a.depth,
            path: a.path,
            ...(a.undecidedDenies ? { undecidedDenies: a.undecidedDenies } : {}),
          })),
        );
      }
      const heading = `${principal} can reach ${result.answers.length} resource${result.answers.length === 1 ? '' : 's'} or scope${result.answers.length === 1 ? '' : 's'}`;
      io.stdout.write(renderAnswers(result, await nameMap(store, result.answers), heading));
    });
  });
}
