/**
 * What every command shares: where output goes, the global flags, and opening the store
 * for the duration of one command.
 */
import type { Command } from 'commander';
import { openStore, resolveStoreConfig } from '../graph/open-store.js';
import type { GraphStore } from '../graph/store.js';

export interface CliIo {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  version: string;
}

/** Bad usage the option parser cannot see (a bad number, a bad combination): exit 2. */
export class UsageError extends Error {}

export interface GlobalFlags {
  store?: string;
  dataDir?: string;
  json?: boolean;
}

export function globalFlags(cmd: Command): GlobalFlags {
  return cmd.optsWithGlobals() as GlobalFlags;
}

export async function withStore<T>(
  cmd: Command,
  io: CliIo,
  fn: (store: GraphStore) => Promise<T>,
): Promise<T> {
  const flags = globalFlags(cmd);
  const store = await openStore(resolveStoreConfig(flags, io.env));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function parsePositiveInt(name: string, value: string, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(n) || n < 1 || n > max) {
    throw new UsageError(`${name} must be a whole number from 1 to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
