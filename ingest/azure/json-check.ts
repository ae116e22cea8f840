/** Small checks for hand-read JSON (the raw `az` exports) that fail with file + JSON path. */
import { IngestError, jsonPathJoin } from '../errors.js';

export type Obj = Record<string, unknown>;

export function asObject(v: unknown, file: string, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new IngestError(file, path, 'must be an object');
  return v as Obj;
}

export function str(o: Obj, key: string, file: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '')
    throw new IngestError(file, jsonPathJoin(path, key), `"${key}" must be a non-empty string`);
  return v;
}

export function optStr(o: Obj, key: string, file: string, path: string): string | null {
  const v = o[key];
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string')
    throw new IngestError(file, jsonPathJoin(path, key), `"${key}" must be a string`);
  return v;
}

export function optBool(o: Obj, key: string, file: string, path: string): boolean | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'boolean')
    throw new IngestError(file, jsonPathJoin(path, key), `"${key}" must be true or false`);
  return v;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function guid(o: Obj, key: string, file: string, path: string): string {
  const v = str(o, key, file, path);
  if (!GUID.test(v))
    throw new IngestError(
      file,
      jsonPathJoin(path, key),
      `"${key}" must be a GUID (got ${JSON.stringify(v)})`,
    );
  return v.toLowerCase();
}

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
