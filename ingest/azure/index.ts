/** The Azure ingester and how `ingest --help` describes its inputs. */
import type { Ingester } from '../types.js';
import { azureIngester } from './ingester.js';

export { azureIngester, ingestAzure } from './ingester.js';
export { AZURE_SNAPSHOT_FORMAT } from './snapshot-input.js';

export const AZURE_INGESTERS: readonly Ingester[] = [azureIngester];

export const AZURE_ACCEPTED_INPUTS = [
  'Azure CLI exports, unmodified: `az role assignment list --all --include-inherited -o json`, `az role definition list -o json`, `az resource list -o json`, `az account management-group list -o json` / `az account management-group show --name <id> --expand --recurse -o json`, `az account list -o json`, `az ad user list`, `az ad group list`, `az ad sp list --all`, `az ad app list`, `az keyvault list`, `az keyvault show --name <vault>` (-o json)',
  'Azure snapshot ({"format": "accessgraph-azure-snapshot", ...}; docs/schema/azure-snapshot.schema.json)',
];
