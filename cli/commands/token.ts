import { type Command, Option } from 'commander';
import { ROLES, type Role, TokenStore } from '../../api/auth/tokens.js';
import { resolveStoreConfig } from '../../graph/open-store.js';
import { type CliIo, globalFlags, writeJson } from '../context.js';

function withTokens<T>(command: Command, io: CliIo, fn: (t: TokenStore) => T): T {
  const tokens = TokenStore.open(resolveStoreConfig(globalFlags(command), io.env).dataDir);
  try {
    return fn(tokens);
  } finally {
    tokens.close();
  }
}

export function registerToken(program: Command, io: CliIo): void {
  const token = program
    .command('token')
    .description('manage API tokens (kept hashed in the data directory; works while serve runs)');
  token
    .command('create')
    .description('create a token; it is printed once, on the last line')
    .addOption(
      new Option(
        '--role <role>',
        'viewer: queries; analyst: + custom Cypher, reports; admin: + ingest, tokens',
      )
        .choices([...ROLES])
        .makeOptionMandatory(),
    )
    .option('--name <name>', 'a name to recognise the token by')
    .action((opts: { role: Role; name?: string }, command: Command) =>
      withTokens(command, io, (t) => {
        const { token: secret, info } = t.create(opts.role, opts.name);
        if (globalFlags(command).json) return writeJson(io, { token: secret, ...info });
        io.stderr.write(
          `created ${info.role} token ${info.id} (${info.name}); store it now, it is not shown again:\n`,
        );
        io.stdout.write(`${secret}\n`);
      }),
    );
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .action((_opts, command: Command) =>
      withTokens(command, io, (t) => {
        const list = t.list();
        if (globalFlags(command).json) return writeJson(io, list);
        if (list.length === 0)
          io.stdout.write('no tokens yet; create one with `accessgraph token create --role viewer`\n');
        for (const i of list)
          io.stdout.write(
            `${i.id}  ${i.role.padEnd(8)} ${i.name}  created ${i.createdAt}  last used ${i.lastUsedAt ?? 'never'}\n`,
          );
      }),
    );
  token
    .command('revoke')
    .description('revoke a token by id')
    .argument('<id>', 'token id from `token list`')
    .action((id: string, _opts, command: Command) =>
      withTokens(command, io, (t) => {
        if (!t.revoke(id)) throw new Error(`no token with id ${id}`);
        io.stdout.write(`revoked ${id}\n`);
      }),
    );
}
