/**
 * `accessgraph report …`: run path-risk reports now, list them with their schedule and last
 * outcome, diff the last two runs; and `startServeReports` for `serve`. docs/reports.md.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { computeFindings } from '../../graph/findings/compute.js';
import { resolveStoreConfig } from '../../graph/open-store.js';
import type { GraphStore } from '../../graph/store.js';
import { IngestError } from '../../ingest/errors.js';
import { loadReportConfig, type ReportDefinition } from '../../reports/config.js';
import { diffItems } from '../../reports/diff.js';
import { defaultOutDir, executeReport, type RunOutcome } from '../../reports/execute.js';
import { RunHistory } from '../../reports/history.js';
import type { FindingsProvider } from '../../reports/run-report.js';
import { ReportScheduler } from '../../reports/scheduler.js';
import { type RunningReportScheduler, startReportScheduler } from '../../reports/start.js';
import { type CliIo, globalFlags, UsageError, withStore, writeJson } from '../context.js';

/** Where `report` looks for definitions when --config is not given. */
export const DEFAULT_REPORTS_FILE = 'reports.yaml';

interface ReportOptions {
  config?: string;
  out?: string;
}

function dataDirOf(command: Command, io: CliIo): string {
  return resolveStoreConfig(globalFlags(command), io.env).dataDir;
}

function configPath(command: Command, io: CliIo, opts: ReportOptions): string {
  if (opts.config) return resolve(opts.config);
  const fallback = join(dataDirOf(command, io), DEFAULT_REPORTS_FILE);
  if (!existsSync(fallback)) {
    throw new UsageError(
      `no report config: pass --config FILE, or put one at ${fallback} (format: docs/reports.md)`,
    );
  }
  return fallback;
}

async function definitions(command: Command, io: CliIo, opts: ReportOptions): Promise<ReportDefinition[]> {
  try {
    return await loadReportConfig(configPath(command, io, opts));
  } catch (err) {
    // IngestError would print the ingest wording; say what this is about instead
    if (err instanceof IngestError) throw new UsageError(`bad report config: ${err.message}`);
    throw err;
  }
}

function pick(defs: ReportDefinition[], name: string | undefined): ReportDefinition[] {
  if (name === undefined) return defs;
  const def = defs.find((d) => d.name === name);
  if (!def) {
    throw new UsageError(
      `no report named "${name}" in the config; it defines: ${defs.map((d) => d.name).join(', ')}`,
    );
  }
  return [def];
}

/**
 * For `serve`: start the report scheduler when there is a config (`explicit`, else
 * `<dataDir>/reports.yaml` if present); null when there is none. A bad config throws
 * UsageError naming file, path and problem.
 */
export async function startServeReports(opts: {
  store: GraphStore;
  dataDir: string;
  configPath?: string;
  log: (message: string) => void;
}): Promise<RunningReportScheduler | null> {
  const configPath = opts.configPath ? resolve(opts.configPath) : join(opts.dataDir, DEFAULT_REPORTS_FILE);
  if (!opts.configPath && !existsSync(configPath)) return null;
  try {
    return await startReportScheduler({
      store: opts.store,
      dataDir: opts.dataDir,
      configPath,
      findings: storeFindings(opts.store),
      log: opts.log,
    });
  } catch (err) {
    if (err instanceof IngestError) throw new UsageError(`bad report config: ${err.message}`);
    throw err;
  }
}

export function storeFindings(store: GraphStore): FindingsProvider {
  return (scope) =>
    computeFindings(store, { kinds: scope.kinds, dormantDays: scope.dormantDays, now: scope.now });
}

function outcomeJson(def: ReportDefinition, o: RunOutcome) {
  return {
    report: def.name,
    runId: o.runId,
    status: o.status,
    ...(o.error ? { error: o.error } : {}),
    summary: o.document?.summary ?? null,
    files: o.files,
    deliveries: o.deliveries,
  };
}

function outcomeText(def: ReportDefinition, o: RunOutcome): string {
  if (o.status === 'failed') return `report ${def.name}: run #${o.runId} FAILED: ${o.error}\n`;
  const s = o.document!.summary;
  const lines = [
    `report ${def.name}: run #${o.runId} ok · ${s.items} risks (critical ${s.byBand.critical}, high ${s.byBand.high}, medium ${s.byBand.medium}) · highest score ${s.maxScore}`,
  ];
  const d = o.document!.diff;
  if (d)
    lines.push(
      `  since run #${d.previousRunId}: ${d.added.length} new, ${d.resolved.length} resolved, ${d.changed.length} changed`,
    );
  for (const f of o.files) lines.push(`  wrote ${f}`);
  for (const w of o.deliveries) {
    lines.push(
      w.ok
        ? `  webhook ${w.url}: delivered (HTTP ${w.status})`
        : `  webhook ${w.url}: FAILED after ${w.attempts} attempt(s): ${w.error}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function runReports(command: Command, io: CliIo, name: string | undefined, opts: ReportOptions) {
  const defs = pick(await definitions(command, io, opts), name);
  const dataDir = dataDirOf(command, io);
  const outDir = opts.out ? resolve(opts.out) : defaultOutDir(dataDir);
  const json = globalFlags(command).json === true;
  await withStore(command, io, async (store) => {
    const history = RunHistory.open(dataDir);
    const results: Array<{ def: ReportDefinition; outcome: RunOutcome }> = [];
    try {
      for (const def of defs) {
        const outcome = await executeReport(
          { store, history, findings: storeFindings(store) },
          // --out overrides the config's own directory: the user asked for this place
          opts.out ? { ...def, outputs: { formats: def.outputs.formats } } : def,
          { trigger: 'manual', outDir, env: io.env },
        );
        results.push({ def, outcome });
        if (!json) io.stdout.write(outcomeText(def, outcome));
      }
    } finally {
      history.close();
    }
    if (json)
      writeJson(
        io,
        results.map((r) => outcomeJson(r.def, r.outcome)),
      );
    const failed = results.filter((r) => r.outcome.status === 'failed');
    if (failed.length > 0) {
      throw new Error(
        `${failed.length} report run(s) failed (${failed.map((r) => r.def.name).join(', ')}); the error is recorded in the run history (accessgraph report list)`,
      );
    }
  });
}

function addRunOptions(cmd: Command): Command {
  return cmd
    .option(
      '--config <file>',
      `report definitions, YAML or JSON (default <data-dir>/${DEFAULT_REPORTS_FILE})`,
    )
    .option('--out <dir>', 'write report files under this directory (default <data-dir>/reports)');
}

export function registerReport(program: Command, io: CliIo): void {
  const report = addRunOptions(
    program
      .command('report')
      .description('path-risk reports: run them now, list them, or show what changed between runs'),
  ).action((opts: ReportOptions, command: Command) => runReports(command, io, undefined, opts));
  report.addHelpText(
    'after',
    `
Without a subcommand, runs every report in the config now (same as \`report run\`).

Examples:
  accessgraph report run weekly --config reports.yaml --out ./out
  accessgraph report list --config reports.yaml
  accessgraph report diff weekly`,
  );

  addRunOptions(
    report
      .command('run')
      .description('run one report (or all) now: write its files, record the run, call its webhooks')
      .argument('[name]', 'report name from the config (default: all)'),
  ).action((name: string | undefined, _opts: ReportOptions, command: Command) =>
    // `report` has the same options and commander gives them to it wherever they appear
    runReports(command, io, name, command.optsWithGlobals() as ReportOptions),
  );

  report
    .command('list')
    .description('reports in the config with their schedule, next run and last outcome')
    .option('--config <file>', `report definitions (default <data-dir>/${DEFAULT_REPORTS_FILE})`)
    .action(async (_opts: ReportOptions, command: Command) => {
      const defs = await definitions(command, io, command.optsWithGlobals() as ReportOptions);
      const history = RunHistory.open(dataDirOf(command, io));
      try {
        const scheduler = new ReportScheduler({ definitions: defs, history, run: async () => undefined });
        const rows = defs.map((d) => {
          const last = history.listRuns(d.name, 1)[0] ?? null;
          return {
            name: d.name,
            schedule: d.schedule ?? null,
            nextRun: scheduler.nextFire(d.name)?.toISOString() ?? null,
            lastRun: last
              ? {
                  id: last.id,
                  startedAt: last.startedAt,
                  status: last.status,
                  error: last.error,
                  trigger: last.trigger,
                }
              : null,
          };
        });
        if (globalFlags(command).json) return writeJson(io, rows);
        for (const r of rows) {
          const sched = r.schedule ? `${r.schedule.cron} (${r.schedule.timezone})` : 'not scheduled';
          const last = r.lastRun
            ? `last run #${r.lastRun.id} ${r.lastRun.status} at ${r.lastRun.startedAt}${r.lastRun.error ? `: ${r.lastRun.error}` : ''}`
            : 'never run';
          io.stdout.write(`${r.name}  ·  ${sched}${r.nextRun ? `, next ${r.nextRun}` : ''}  ·  ${last}\n`);
        }
      } finally {
        history.close();
      }
    });

  report
    .command('diff')
    .description('what changed between the last two successful runs of a report')
    .argument('<name>', 'report name')
    .action(async (name: string, _opts: unknown, command: Command) => {
      const history = RunHistory.open(dataDirOf(command, io));
      try {
        const latest = history.previousOk(name);
        if (!latest) {
          throw new UsageError(
            `report "${name}" has no successful run yet; run it with \`accessgraph report run ${name}\``,
          );
        }
        const before = history.previousOk(name, latest.id);
        if (!before) {
          throw new UsageError(
            `report "${name}" has only one successful run (#${latest.id}); run it again to compare`,
          );
        }
        const d = diffItems(before, history.items(before.id), history.items(latest.id));
        if (globalFlags(command).json) return writeJson(io, { report: name, runId: latest.id, ...d });
        const out = [
          `report ${name}: run #${latest.id} against run #${d.previousRunId}: ${d.added.length} new, ${d.resolved.length} resolved, ${d.changed.length} changed score, ${d.unchanged} unchanged`,
        ];
        for (const i of d.added) out.push(`  + ${i.score} ${i.band}  ${i.title}`);
        for (const i of d.resolved) out.push(`  - ${i.score} ${i.band}  ${i.title}`);
        for (const c of d.changed) out.push(`  ~ ${c.from} → ${c.to}  ${c.title}`);
        io.stdout.write(`${out.join('\n')}\n`);
      } finally {
        history.close();
      }
    });
}
