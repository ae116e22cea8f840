/**
 * The `accessgraph` command. `runCli` is the whole program as a function (argv in, exit
 * code out) so tests drive it in-process; bin/accessgraph.js calls it.
 *
 * Exit codes (DESIGN.md): 0 ok, 1 runtime failure, 2 bad usage or bad input.
 */
import { Command, CommanderError, Option } from 'commander';
import { StoreError } from '../graph/store.js';
import { IngestError } from '../ingest/errors.js';
import { registerCanReach } from './commands/can-reach.js';
import { registerCollect } from './commands/collect.js';
import { registerFindings } from './commands/findings.js';
import { registerIngest } from './commands/ingest.js';
import { registerPaths } from './commands/paths.js';
import { registerReport } from './commands/report.js';
import { registerSearch } from './commands/search.js';
import { registerServe } from './commands/serve.js';
import { registerSources } from './commands/sources.js';
import { registerToken } from './commands/token.js';
import { registerWhoCan } from './commands/who-can.js';
import { type CliIo, UsageError } from './context.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

function buildProgram(io: CliIo): Command {
  const program = new Command('accessgraph')
    .description(
      'Who can reach this cloud resource, through which path, and should they?\n' +
        'Loads AWS, GCP and Azure identities, policies and resources into a graph and answers with explained paths.',
    )
    .version(io.version, '-V, --version')
    .addOption(
      new Option(
        '--store <kind>',
        'graph store (default: neo4j when NEO4J_URI is set, else embedded)',
      ).choices(['embedded', 'neo4j']),
    )
    .option('--data-dir <dir>', 'data directory of the embedded store (env ACCESSGRAPH_DATA_DIR)', undefined)
    .option('--json', 'machine-readable output on stdout')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride();
  program.addHelpText(
    'after',
    `
Environment:
  NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE   use a Neo4j store
  ACCESSGRAPH_DATA_DIR                                    data directory (default ./.accessgraph)

Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad input.

Example:
  accessgraph ingest ./snapshots/acme.json
  accessgraph who-can arn:aws:s3:::acme-data --action s3:GetObject`,
  );
  registerCollect(program, io);
  registerIngest(program, io);
  registerWhoCan(program, io);
  registerCanReach(program, io);
  registerPaths(program, io);
  registerFindings(program, io);
  registerReport(program, io);
  registerSearch(program, io);
  registerSources(program, io);
  registerServe(program, io);
  registerToken(program, io);
  return program;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) {
        return EXIT_OK;
      }
      if (err.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    if (err instanceof IngestError) {
      io.stderr.write(
        `error: bad input: ${err.message}\nNothing from this ingest was loaded; fix the input and run it again.\n`,
      );
      return EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      io.stderr.write(`error: ${err.message}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof StoreError) {
      io.stderr.write(`error: ${err.message}\n`);
      return err.code === 'BAD_INPUT' ? EXIT_USAGE : EXIT_FAILURE;
    }
    io.stderr.write(`error: ${(err as Error).message ?? String(err)}\n`);
    if (process.env.ACCESSGRAPH_DEBUG) io.stderr.write(`${(err as Error).stack ?? ''}\n`);
    return EXIT_FAILURE;
  }
}
