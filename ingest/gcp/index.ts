/** The GCP ingester and how `ingest --help` describes its inputs. */
import type { Ingester } from '../types.js';
import { gcpIngester } from './ingester.js';

export { gcpIngester, ingestGcp } from './ingester.js';
export { GCP_SNAPSHOT_FORMAT } from './snapshot.js';

export const GCP_INGESTERS: readonly Ingester[] = [gcpIngester];

export const GCP_ACCEPTED_INPUTS = [
  'GCP IAM policies: the output of `gcloud asset search-all-iam-policies --format=json`, unmodified',
  'GCP resources: the output of `gcloud asset search-all-resources --format=json`, unmodified',
  'GCP Cloud Asset Inventory export (`gcloud asset export --content-type=iam-policy|resource`), newline-delimited JSON in a .ndjson/.jsonl file',
  'GCP roles: the output of `gcloud iam roles describe|list --format=json`',
  'GCP snapshot ({"format": "accessgraph-gcp-snapshot", ...}; docs/schema/gcp-snapshot.schema.json)',
];
