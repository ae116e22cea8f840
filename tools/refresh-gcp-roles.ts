/**
 * Refresh ingest/gcp/data/predefined-roles.json from Google's IAM API.
 *
 *   npx tsx tools/refresh-gcp-roles.ts [--out FILE]
 *
 * Uses Application Default Credentials (`gcloud auth application-default login`, or a
 * workload identity); roles.list needs no particular role. Credentials are never written.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { GoogleAuth } from 'google-auth-library';
import { catalogueFromApi, listPredefinedRoles } from '../ingest/gcp/roles-refresh.js';
import { packagePath } from '../lib/package-root.js';

async function main(argv: string[]): Promise<void> {
  const outIndex = argv.indexOf('--out');
  const out =
    outIndex >= 0 && argv[outIndex + 1]
      ? (argv[outIndex + 1] as string)
      : packagePath('ingest', 'gcp', 'data', 'predefined-roles.json');
  const auth = new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
  const client = await auth.getClient();
  const roles = await listPredefinedRoles(async (url) => (await client.request({ url, retry: true })).data);
  if (roles.length === 0) throw new Error('roles.list returned no roles; the catalogue was left unchanged');
  const catalogue = catalogueFromApi(roles, new Date());
  // write then rename, so an interrupted refresh never leaves half a catalogue behind
  const tmp = `${out}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(catalogue, null, 2)}\n`);
  renameSync(tmp, out);
  process.stdout.write(`${Object.keys(catalogue.roles).length} predefined roles written to ${out}\n`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`refresh-gcp-roles: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
