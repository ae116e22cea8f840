/**
 * Report definitions: read a YAML or JSON file, validate it, and fill in defaults. Every
 * problem is an IngestError naming the file, the JSON path and what is wrong, so the CLI
 * exits 2 with a message the user can act on.
 */
import { readFile } from 'node:fs/promises';
import { Cron } from 'croner';
import { parseDocument } from 'yaml';
import type { FindingKind, Severity } from '../graph/findings/types.js';
import { FINDING_KINDS } from '../graph/findings/types.js';
import type { LevelQuery } from '../graph/levels.js';
import type { Cloud } from '../graph/model.js';
import { IngestError } from '../ingest/errors.js';
import { compileSchema } from '../ingest/schema-validate.js';
import { type OUTPUT_FORMATS, REPORT_CONFIG_SCHEMA, type SENSITIVITIES } from './config-schema.js';

export type Sensitivity = (typeof SENSITIVITIES)[number];
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface ResourceSelector {
  id?: string;
  type?: string;
  /** tag key → exact value, or true when the key only has to be present */
  tags?: Record<string, string | true>;
  /** glob over the node name: `*` any run of characters, `?` one character; case-insensitive */
  namePattern?: string;
  /** free text handed to store.search to find candidates */
  search?: string;
}

export interface CrownJewel {
  name: string;
  sensitivity: Sensitivity;
  select: ResourceSelector[];
  /** only list principals reaching the jewel at this level (default: any access) */
  level?: LevelQuery;
}

export interface ReportDefinition {
  name: string;
  description?: string;
  schedule?: { cron: string; timezone: string };
  scope: { clouds: Cloud[]; accounts: string[] };
  crownJewels: CrownJewel[];
  findings: { kinds: FindingKind[]; minSeverity: Severity; dormantDays: number };
  outputs: { formats: OutputFormat[]; dir?: string };
  webhooks: Array<{ url: string; secretEnv: string; retries: number }>;
  retention: { keepRuns?: number; keepDays?: number };
  trendRuns: number;
}

export const DEFAULT_DORMANT_DAYS = 90;
export const DEFAULT_WEBHOOK_RETRIES = 3;
export const DEFAULT_TREND_RUNS = 10;
/** Without a retention block a report keeps this many runs, so history cannot grow forever. */
export const DEFAULT_KEEP_RUNS = 50;

const validate = compileSchema(REPORT_CONFIG_SCHEMA);

/** Parse the text of a config file; `.json` is read as JSON, anything else as YAML. */
export function parseConfigText(text: string, file: string): unknown {
  if (file.toLowerCase().endsWith('.json')) {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new IngestError(file, '$', `not valid JSON: ${(err as Error).message}`);
    }
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const where = first.linePos?.[0];
    const at = where ? ` (line ${where.line}, column ${where.col})` : '';
    throw new IngestError(file, '$', `not valid YAML${at}: ${first.message.split('\n')[0]}`);
  }
  return doc.toJS();
}

function checkTimezone(tz: string, file: string, path: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new IngestError(
      file,
      path,
      `unknown time zone ${JSON.stringify(tz)}; use an IANA name like "Europe/Berlin" or "UTC"`,
    );
  }
}

function checkCron(cron: string, timezone: string, file: string, path: string): void {
  try {
    new Cron(cron, { timezone, paused: true }).nextRun();
  } catch (err) {
    throw new IngestError(file, path, `not a valid cron expression: ${(err as Error).message}`);
  }
}

/** A glob must compile to a regular expression; reject nothing else, but catch that early. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

interface RawReport {
  name: string;
  description?: string;
  schedule?: { cron: string; timezone?: string };
  scope?: { clouds?: Cloud[]; accounts?: string[] };
  crownJewels?: Array<{
    name: string;
    sensitivity?: Sensitivity;
    select: ResourceSelector[];
    level?: LevelQuery;
  }>;
  findings?: { kinds?: FindingKind[]; minSeverity?: Severity; dormantDays?: number };
  outputs?: { formats?: OutputFormat[]; dir?: string };
  webhooks?: Array<{ url: string; secretEnv: string; retries?: number }>;
  retention?: { keepRuns?: number; keepDays?: number };
  trendRuns?: number;
}

/** Validate a parsed config and resolve defaults. */
export function toDefinitions(doc: unknown, file: string): ReportDefinition[] {
  validate(doc, file);
  const raw = (doc as { reports: RawReport[] }).reports;
  const seen = new Map<string, number>();
  return raw.map((r, i): ReportDefinition => {
    const at = `$.reports[${i}]`;
    const before = seen.get(r.name.toLowerCase());
    if (before !== undefined) {
      throw new IngestError(
        file,
        `${at}.name`,
        `duplicate report name "${r.name}" (also $.reports[${before}])`,
      );
    }
    seen.set(r.name.toLowerCase(), i);
    let schedule: ReportDefinition['schedule'];
    if (r.schedule) {
      const timezone = r.schedule.timezone ?? 'UTC';
      checkTimezone(timezone, file, `${at}.schedule.timezone`);
      checkCron(r.schedule.cron, timezone, file, `${at}.schedule.cron`);
      schedule = { cron: r.schedule.cron, timezone };
    }
    r.webhooks?.forEach((w, j) => {
      try {
        new URL(w.url);
      } catch {
        throw new IngestError(file, `${at}.webhooks[${j}].url`, `not a valid URL: ${JSON.stringify(w.url)}`);
      }
    });
    const def: ReportDefinition = {
      name: r.name,
      scope: { clouds: r.scope?.clouds ?? [], accounts: r.scope?.accounts ?? [] },
      crownJewels: (r.crownJewels ?? []).map((j) => {
        const jewel: CrownJewel = { name: j.name, sensitivity: j.sensitivity ?? 'high', select: j.select };
        if (j.level) jewel.level = j.level;
        return jewel;
      }),
      findings: {
        kinds: r.findings?.kinds ?? [...FINDING_KINDS],
        minSeverity: r.findings?.minSeverity ?? 'info',
        dormantDays: r.findings?.dormantDays ?? DEFAULT_DORMANT_DAYS,
      },
      outputs: { formats: r.outputs?.formats ?? ['html', 'md', 'json', 'csv'] },
      webhooks: (r.webhooks ?? []).map((w) => ({
        url: w.url,
        secretEnv: w.secretEnv,
        retries: w.retries ?? DEFAULT_WEBHOOK_RETRIES,
      })),
      retention: r.retention ?? { keepRuns: DEFAULT_KEEP_RUNS },
      trendRuns: r.trendRuns ?? DEFAULT_TREND_RUNS,
    };
    if (r.outputs?.dir) def.outputs.dir = r.outputs.dir;
    if (r.description !== undefined) def.description = r.description;
    if (schedule) def.schedule = schedule;
    return def;
  });
}

export async function loadReportConfig(file: string): Promise<ReportDefinition[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new IngestError(file, '$', `cannot read the report config: ${(err as Error).message}`);
  }
  return toDefinitions(parseConfigText(text, file), file);
}
