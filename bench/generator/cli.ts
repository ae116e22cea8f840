/**
 * `tsx bench/generator/cli.ts --tier S --seed 42 --out DIR [--layout mixed|raw]`: writes a
 * seeded synthetic organization in AWS input formats (see write.ts) and prints its size.
 */
import { parseArgs } from 'node:util';
import { TIERS } from './tiers.js';
import { generateDataset, type Layout } from './write.js';

const usage = 'usage: tsx bench/generator/cli.ts --tier tiny|S|M|L --seed N --out DIR [--layout mixed|raw]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

let values: { tier?: string; seed?: string; out?: string; layout?: string };
try {
  ({ values } = parseArgs({
    options: {
      tier: { type: 'string', default: 'S' },
      seed: { type: 'string', default: '42' },
      out: { type: 'string' },
      layout: { type: 'string', default: 'mixed' },
    },
  }));
} catch (e) {
  fail((e as Error).message);
}
const tier = TIERS[values.tier ?? ''];
if (!tier) fail(`--tier must be one of ${Object.keys(TIERS).join(', ')}`);
const seed = Number(values.seed);
if (!Number.isSafeInteger(seed) || seed < 0) fail('--seed must be a non-negative integer');
if (!values.out) fail('--out DIR is required');
if (values.layout !== 'mixed' && values.layout !== 'raw') fail('--layout must be mixed or raw');

const t0 = Date.now();
const s = generateDataset({
  tier,
  seed,
  out: values.out,
  layout: values.layout as Layout,
  onAccount: (id, st) =>
    process.stderr.write(`account ${id}: ${st.users} users, ${st.roles} roles, ${st.resources} resources\n`),
});
process.stdout.write(
  `${JSON.stringify(
    {
      tier: tier.name,
      seed,
      layout: values.layout,
      accounts: s.accounts,
      users: s.users,
      groups: s.groups,
      roles: s.roles,
      managedPolicies: s.managedPolicies,
      resources: s.resources,
      groupGrantPairs: s.groupGrantPairs,
      files: s.files.length,
      megabytes: Math.round(s.bytes / 1e5) / 10,
      seconds: (Date.now() - t0) / 1000,
    },
    null,
    2,
  )}\n`,
);
