/**
 * `accessgraph collect azure`: registered under the `collect` command beside `collect aws`
 * (cli/commands/collect.ts calls registerCollectAzure). The API is injectable so tests run
 * on recorded responses and never call Azure.
 */
import type { Command } from 'commander';
import { type CliIo, globalFlags, UsageError, writeJson } from '../../cli/context.js';
import { progress } from '../../cli/progress.js';
import type { AzureApi } from './api.js';
import { collectAzure, writeAzureSnapshotDir } from './collect-azure.js';

export interface CollectAzureDeps {
  /** default: the official SDKs with DefaultAzureCredential */
  api?: () => Promise<AzureApi>;
}

interface AzureFlags {
  tenant?: string;
  subscriptions?: string;
  out: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function registerCollectAzure(collect: Command, io: CliIo, deps: CollectAzureDeps = {}): void {
  collect
    .command('azure')
    .description(
      'Azure and Entra ID: RBAC, deny assignments, resources and identities, directory roles, Graph permissions',
    )
    .option(
      '--tenant <id>',
      'Entra tenant id (default: the tenant of the first subscription the credential sees)',
    )
    .option(
      '--subscriptions <ids>',
      'comma-separated subscription ids (default: every subscription of the tenant)',
    )
    .option('--out <dir>', 'snapshot directory to write', 'azure-snapshot')
    .addHelpText(
      'after',
      `
Signs in with DefaultAzureCredential (environment, workload or managed identity, Azure CLI
login, …). Needs Reader (or Microsoft.Authorization/*/read and */read) on the subscriptions or
their management groups, and Microsoft Graph Directory.Read.All, RoleManagement.Read.Directory
and, for sign-in activity, AuditLog.Read.All. Secret values are never read.

Writes DIR/azure-snapshot.json (load it with \`accessgraph ingest DIR\`).

Exit codes: 0 collected (failed calls are recorded in the snapshot and listed on stderr),
1 nothing could be collected, 2 bad options.`,
    )
    .action(async (flags: AzureFlags, command: Command) => {
      const json = globalFlags(command).json === true;
      if (flags.tenant !== undefined && !GUID.test(flags.tenant))
        throw new UsageError(`--tenant: "${flags.tenant}" is not a tenant id (a GUID)`);
      const subscriptions = flags.subscriptions
        ?.split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
      for (const s of subscriptions ?? [])
        if (!GUID.test(s)) throw new UsageError(`--subscriptions: "${s}" is not a subscription id (a GUID)`);
      const p = progress(io);
      let api: AzureApi;
      if (deps.api) api = await deps.api();
      else {
        // loaded on demand so other commands never pay for the Azure SDKs
        const { sdkAzureApi } = await import('./sdk-api.js');
        api = sdkAzureApi();
      }
      let result: Awaited<ReturnType<typeof collectAzure>>;
      try {
        result = await collectAzure(api, {
          tenantId: flags.tenant,
          subscriptions,
          collector: `accessgraph ${io.version}`,
          progress: (m) => p.update(`collecting ${m}`),
        });
      } catch (err) {
        p.done('collection stopped');
        throw new Error(`cannot collect from Azure: ${(err as Error).message}`);
      }
      const { snapshot } = result;
      for (const e of snapshot.errors)
        io.stderr.write(
          `warning: ${String(e.service)} ${String(e.operation)}${e.code ? ` [${String(e.code)}]` : ''}: ${String(e.message)}\n`,
        );
      const empty = (k: string) => !Array.isArray(snapshot[k]) || (snapshot[k] as unknown[]).length === 0;
      if (result.subscriptions === 0 && empty('users') && empty('servicePrincipals')) {
        p.done('nothing could be collected');
        // nothing is written, so a previous good snapshot in --out stays as it was
        throw new Error(
          'nothing could be collected from Azure (see the warnings above); nothing was written',
        );
      }
      const file = writeAzureSnapshotDir(flags.out, snapshot);
      p.done(
        `collected tenant ${snapshot.tenantId}: ${result.subscriptions} subscription${result.subscriptions === 1 ? '' : 's'}, ${snapshot.errors.length} collection error${snapshot.errors.length === 1 ? '' : 's'}`,
      );
      if (json)
        return writeJson(io, {
          snapshot: file,
          tenantId: snapshot.tenantId,
          subscriptions: result.subscriptions,
          errors: snapshot.errors,
        });
      io.stdout.write(`${file}\n`);
    });
}
