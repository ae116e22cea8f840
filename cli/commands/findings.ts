import type { Command } from 'commander';
import { DEFAULT_DORMANT_DAYS, findFindings } from '../../graph/findings/compute.js';
import {
  FINDING_KINDS,
  type Finding,
  isFindingKind,
  SEVERITIES,
  type Severity,
} from '../../graph/findings/types.js';
import type { GraphStore } from '../../graph/store.js';
import { type CliIo, globalFlags, parsePositiveInt, UsageError, withStore, writeJson } from '../context.js';
import { hopLine } from '../format.js';

function parseKinds(v: string | undefined): Finding['kind'][] | undefined {
  if (!v) return undefined;
  const kinds = v
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  for (const k of kinds) {
    if (!isFindingKind(k))
      throw new UsageError(
        `unknown finding kind ${JSON.stringify(k)}; kinds are: ${FINDING_KINDS.join(', ')}`,
      );
  }
  return kinds as Finding['kind'][];
}

function parseSeverity(v: string | undefined): Severity | undefined {
  if (v === undefined) return undefined;
  if (!(SEVERITIES as readonly string[]).includes(v)) {
    throw new UsageError(`unknown severity ${JSON.stringify(v)}; severities are: ${SEVERITIES.join(', ')}`);
  }
  return v as Severity;
}

export function registerFindings(program: Command, io: CliIo): void {
  program
    .command('findings')
    .description(
      'risk findings: privilege escalation, admin-equivalents, public, external and cross-account access, dormant and unused access',
    )
    .option('--kind <kinds>', `comma-separated finding kinds (${FINDING_KINDS.join(', ')})`)
    .option('--min-severity <severity>', `drop findings below this (${SEVERITIES.join(', ')})`)
    .option(
      '--dormant-days <n>',
      `days without use that make a principal dormant (default ${DEFAULT_DORMANT_DAYS})`,
    )
    .option('--max-depth <n>', 'longest path followed (default 8)')
    .action(
      async (
        opts: { kind?: string; minSeverity?: string; dormantDays?: string; maxDepth?: string },
        command: Command,
      ) => {
        const kinds = parseKinds(opts.kind);
        const minSeverity = parseSeverity(opts.minSeverity);
        const dormantDays =
          opts.dormantDays === undefined
            ? undefined
            : parsePositiveInt('--dormant-days', opts.dormantDays, 100_000);
        const maxDepth =
          opts.maxDepth === undefined ? undefined : parsePositiveInt('--max-depth', opts.maxDepth, 32);
        await withStore(command, io, async (store) => {
          const result = await findFindings(store, {
            ...(kinds ? { kinds } : {}),
            ...(minSeverity ? { minSeverity } : {}),
            ...(dormantDays ? { dormantDays } : {}),
            ...(maxDepth ? { maxDepth } : {}),
          });
          for (const n of result.notes) io.stderr.write(`warning: ${n}; some findings may be missing\n`);
          if (globalFlags(command).json) return writeJson(io, result.findings);
          io.stdout.write(await renderFindings(store, result.findings));
        });
      },
    );
}

async function renderFindings(store: GraphStore, findings: Finding[]): Promise<string> {
  if (findings.length === 0) return 'no findings\n';
  const ids = new Set<string>();
  for (const f of findings) for (const h of f.path) ids.add(h.from).add(h.to);
  const names = new Map((await store.getNodes([...ids])).map((n) => [n.id, n.name]));
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  const out = [
    `${findings.length} finding${findings.length === 1 ? '' : 's'}: ${SEVERITIES.filter((s) => counts.has(s))
      .map((s) => `${counts.get(s)} ${s}`)
      .join(', ')}`,
    '',
  ];
  for (const f of findings) {
    out.push(
      `[${f.severity.toUpperCase()}] ${f.kind}${f.technique ? ` ${f.technique}` : ''}${f.conditional ? ' (conditional)' : ''}: ${f.title}`,
    );
    for (const h of f.path) out.push(`    ${hopLine(h, names)}`);
    out.push(`  fix: ${f.remediation}`, '');
  }
  return `${out.join('\n')}`;
}
