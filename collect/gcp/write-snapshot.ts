/** Writes a collected GCP snapshot into the snapshot directory, atomically. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../common/snapshot-dir.js';
import { GCP_SNAPSHOT_FILE } from './collect-gcp.js';

export function writeGcpSnapshotDir(dir: string, snapshot: Record<string, unknown>): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, GCP_SNAPSHOT_FILE);
  writeJsonAtomic(path, snapshot);
  return path;
}
