/**
 * `accessgraph collect gcp`, registered under `collect` like `collect aws`
 * (cli/commands/collect.ts calls `registerCollectGcp`). Credentials: Application Default
 * Credentials (`gcloud auth application-default login`, a service account, workload identity).
 */
import type { Command } from 'commander';
import { type CliIo, globalFlags, UsageError, writeJson } from '../../cli/context.js';
import { progress } from '../../cli/progress.js';
import { type GcpApi, googleApi } from './api.js';
import { collectGcp } from './collect-gcp.js';
import { writeGcpSnapshotDir } from './write-snapshot.js';

export interface CollectGcpCliDeps {
  /** the Google API; default: the real one with Application Default Credentials */
  api?: () => GcpApi;
  sleep?: (ms: number) => Promise<void>;
}

interface GcpFlags {
  organization?: string;
  projects?: string;
  out: string;
}

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

export function registerCollectGcp(collect: Command, io: CliIo, deps: CollectGcpCliDeps = {}): void {
  collect
    .command('gcp')
    .description(
      'GCP: folder/project tree, IAM allow and deny policies, custom roles, service accounts, groups, resources',
    )
    .option('--organization <id>', 'organization to collect (123456789012 or organizations/123456789012)')
    .option('--projects <ids>', 'comma-separated project ids, when there is no organization to collect')
    .option('--out <dir>', 'snapshot directory to write', 'gcp-snapshot')
    .addHelpText(
      'after',
      `
Uses Application Default Credentials. Reads metadata only (Cloud Asset Inventory search and
listings, Resource Manager, IAM roles/service accounts/deny policies, Cloud Identity group
memberships); no secret values. Calls that fail are recorded in the snapshot's errors and
listed on stderr; the rest is collected.

Writes DIR/gcp-snapshot.json (load it with \`accessgraph ingest DIR\`).

Exit codes: 0 collected (possibly with recorded errors), 1 nothing could be collected, 2 bad options.`,
    )
    .action(async (flags: GcpFlags, command: Command) => {
      const json = globalFlags(command).json === true;
      const projects = flags.projects
        ?.split(',')
        .map((p) => p.trim())
        .filter((p) => p.length > 0);
      if (flags.organization && projects?.length)
        throw new UsageError('give --organization or --projects, not both');
      if (!flags.organization && !projects?.length) throw new UsageError('give --organization or --projects');
      if (flags.organization && !/^(organizations\/)?\d+$/.test(flags.organization))
        throw new UsageError(`--organization: "${flags.organization}" is not an organization id`);
      for (const p of projects ?? [])
        if (!PROJECT_ID.test(p)) throw new UsageError(`--projects: "${p}" is not a project id`);
      const p = progress(io);
      p.update('collecting from Google Cloud');
      let snapshot: Record<string, unknown>;
      try {
        snapshot = await collectGcp(
          {
            ...(flags.organization ? { organization: flags.organization } : {}),
            ...(projects ? { projects } : {}),
            collector: `accessgraph ${io.version}`,
          },
          { api: (deps.api ?? googleApi)(), ...(deps.sleep ? { sleep: deps.sleep } : {}) },
        );
      } catch (err) {
        p.done('collection stopped');
        throw new Error(`cannot collect from Google Cloud: ${(err as Error).message}`);
      }
      const errors = (snapshot.errors ?? []) as Array<{
        service: string;
        operation: string;
        code?: string;
        message: string;
      }>;
      for (const e of errors)
        io.stderr.write(
          `warning: ${e.service} ${e.operation}${e.code ? ` [${e.code}]` : ''}: ${e.message}\n`,
        );
      const policies = (snapshot.iamPolicies as unknown[]).length;
      if (policies === 0 && errors.length > 0) {
        p.done('nothing could be collected');
        throw new Error('no IAM policy could be collected (see the warnings above); nothing was written');
      }
      const file = writeGcpSnapshotDir(flags.out, snapshot);
      p.done(
        `collected ${policies} IAM policies, ${(snapshot.resources as unknown[]).length} resources, ${errors.length} collection error${errors.length === 1 ? '' : 's'}`,
      );
      if (json) return writeJson(io, { snapshot: file, iamPolicies: policies, errors });
      io.stdout.write(`${file}\n`);
    });
}
