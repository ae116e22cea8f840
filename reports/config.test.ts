import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IngestError } from '../ingest/errors.js';
import { globToRegExp, loadReportConfig, parseConfigText, toDefinitions } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'ag-report-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FULL = `
reports:
  - name: weekly-prod
    description: Production crown jewels
    schedule: { cron: "0 6 * * 1", timezone: Europe/Berlin }
    scope: { clouds: [aws], accounts: ["111111111111"] }
    crownJewels:
      - name: customer data
        sensitivity: critical
        level: read
        select:
          - id: arn:aws:s3:::acme-data
          - type: s3:bucket
            tags: { classification: pii, owner: true }
          - namePattern: "prod-*-secrets"
    findings: { kinds: [privilege-escalation, public-access], minSeverity: medium, dormantDays: 60 }
    outputs: { formats: [html, json] }
    webhooks:
      - { url: "https://hooks.example.com/ag", secretEnv: AG_HOOK_SECRET, retries: 2 }
    retention: { keepRuns: 12, keepDays: 90 }
    trendRuns: 6
  - name: minimal
`;

function problem(text: string, file = 'reports.yaml'): IngestError {
  try {
    toDefinitions(parseConfigText(text, file), file);
  } catch (err) {
    if (err instanceof IngestError) return err;
    throw err;
  }
  throw new Error('expected an IngestError');
}

describe('report config', () => {
  it('reads a full YAML definition and fills defaults for a minimal one', async () => {
    const file = join(dir, 'reports.yaml');
    writeFileSync(file, FULL);
    const [full, minimal] = await loadReportConfig(file);
    expect(full).toMatchObject({
      name: 'weekly-prod',
      schedule: { cron: '0 6 * * 1', timezone: 'Europe/Berlin' },
      scope: { clouds: ['aws'], accounts: ['111111111111'] },
      findings: { kinds: ['privilege-escalation', 'public-access'], minSeverity: 'medium', dormantDays: 60 },
      outputs: { formats: ['html', 'json'] },
      webhooks: [{ url: 'https://hooks.example.com/ag', secretEnv: 'AG_HOOK_SECRET', retries: 2 }],
      retention: { keepRuns: 12, keepDays: 90 },
      trendRuns: 6,
    });
    expect(full?.crownJewels[0]?.select).toHaveLength(3);
    expect(minimal).toEqual({
      name: 'minimal',
      scope: { clouds: [], accounts: [] },
      crownJewels: [],
      findings: {
        kinds: [
          'privilege-escalation',
          'admin-equivalent',
          'public-access',
          'cross-account-access',
          'external-trust',
          'dormant-access',
          'unused-permissions',
          'external-member',
          'default-service-account-admin',
        ],
        minSeverity: 'info',
        dormantDays: 90,
      },
      outputs: { formats: ['html', 'md', 'json', 'csv'] },
      webhooks: [],
      retention: { keepRuns: 50 },
      trendRuns: 10,
    });
  });

  it('reads JSON by extension, with a JSON error for bad JSON', async () => {
    const file = join(dir, 'reports.json');
    writeFileSync(file, JSON.stringify({ reports: [{ name: 'j', schedule: { cron: '*/5 * * * *' } }] }));
    const [def] = await loadReportConfig(file);
    expect(def?.schedule).toEqual({ cron: '*/5 * * * *', timezone: 'UTC' });
    writeFileSync(file, '{"reports": [');
    await expect(loadReportConfig(file)).rejects.toThrow(/reports\.json: \$: not valid JSON/);
  });

  it('names file, path and problem for every kind of mistake', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['reports:\n  - name: a\n    colour: red\n', '$.reports[0]', /unknown property "colour"/],
      [
        'reports:\n  - name: a\n    findings: { kinds: [rce] }\n',
        '$.reports[0].findings.kinds[0]',
        /must be one of/,
      ],
      [
        'reports:\n  - name: a\n    schedule: { cron: "61 * * * *" }\n',
        '$.reports[0].schedule.cron',
        /not a valid cron/,
      ],
      [
        'reports:\n  - name: a\n    schedule: { cron: "0 6 * * *", timezone: Mars/Olympus }\n',
        '$.reports[0].schedule.timezone',
        /unknown time zone "Mars\/Olympus"/,
      ],
      [
        'reports:\n  - name: a\n  - name: A\n',
        '$.reports[1].name',
        /duplicate report name "A" \(also \$\.reports\[0\]\)/,
      ],
      [
        'reports:\n  - name: a\n    webhooks: [{ url: "https://x.example" }]\n',
        '$.reports[0].webhooks[0]',
        /missing required property "secretEnv"/,
      ],
      [
        'reports:\n  - name: a\n    webhooks: [{ url: "ftp://x", secretEnv: S }]\n',
        '$.reports[0].webhooks[0].url',
        /must match pattern/,
      ],
      ['reports:\n  - name: ../etc\n', '$.reports[0].name', /must match pattern/],
      [
        'reports:\n  - name: a\n    crownJewels: [{ name: j, select: [{}] }]\n',
        '$.reports[0].crownJewels[0].select[0]',
        /must NOT have fewer than 1 properties/,
      ],
      [
        'reports:\n  - name: a\n    retention: { keepRuns: 0 }\n',
        '$.reports[0].retention.keepRuns',
        /must be >= 1/,
      ],
      ['reports: []\n', '$.reports', /must NOT have fewer than 1 items/],
      ['reports:\n  - name: a\n    name: b\n', '$', /not valid YAML \(line 3, column 5\)/],
    ];
    for (const [text, path, message] of cases) {
      const err = problem(text);
      expect(err.file, text).toBe('reports.yaml');
      expect(err.jsonPath, text).toBe(path);
      expect(err.problem, text).toMatch(message);
    }
  });

  it('reports an unreadable file as bad input naming it', async () => {
    await expect(loadReportConfig(join(dir, 'missing.yaml'))).rejects.toThrow(
      /missing\.yaml: \$: cannot read/,
    );
  });
});

describe('globToRegExp', () => {
  it('matches * and ? and treats everything else literally, case-insensitively', () => {
    const re = globToRegExp('prod-*-secret?.(v1)');
    expect(re.test('PROD-eu-west-secrets.(v1)')).toBe(true);
    expect(re.test('prod--secretX.(v1)')).toBe(true);
    expect(re.test('prod-eu-secrets.v1')).toBe(false);
    expect(re.test('xprod-a-secrets.(v1)')).toBe(false);
  });
});
