/**
 * Azure role definitions: the permissions a role assignment grants. Definitions come from a
 * raw `az role definition list` export or a snapshot; built-in roles the input does not
 * define come from the dated data file `data/builtin-roles.json`.
 */
import { readFileSync } from 'node:fs';
import { packagePath } from '../../lib/package-root.js';
import { IngestError, jsonPathJoin } from '../errors.js';
import { matchesAny } from './action-pattern.js';

export interface PermissionBlock {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
  condition: string | null;
}

export interface RoleDefinition {
  /** the role's GUID, lowercase (the last segment of its ARM id, the same at every scope) */
  guid: string;
  name: string;
  custom: boolean;
  permissions: PermissionBlock[];
  assignableScopes: string[];
  /** where the definition came from: `file#$.path`, or `builtin-roles.json (asOf)` */
  origin: string;
  /** true for built-ins from the data file that list only part of the published permissions */
  abridged: boolean;
}

/** The GUID at the end of a role definition id (`/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/<guid>`). */
export function roleGuid(id: string): string {
  const last = id.split('/').filter(Boolean).pop() ?? id;
  return last.toLowerCase();
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (s: unknown): s is string => typeof s === 'string' && GUID.test(s);

function stringList(v: unknown, file: string, path: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new IngestError(file, path, 'must be an array of strings');
  return v.map((x, i) => {
    if (typeof x !== 'string' || x === '')
      throw new IngestError(file, jsonPathJoin(path, i), 'must be a non-empty string');
    return x;
  });
}

/** Validate one role definition as `az role definition list -o json` prints it. */
export function readRoleDefinition(raw: unknown, file: string, path: string): RoleDefinition {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new IngestError(file, path, 'a role definition must be an object');
  const r = raw as Record<string, unknown>;
  const id =
    typeof r.name === 'string' && isGuid(r.name) ? r.name : typeof r.id === 'string' ? roleGuid(r.id) : '';
  if (!isGuid(id))
    throw new IngestError(file, jsonPathJoin(path, 'name'), 'must be the role definition GUID');
  if (typeof r.roleName !== 'string' || r.roleName === '')
    throw new IngestError(file, jsonPathJoin(path, 'roleName'), 'must be a non-empty string');
  const permsPath = jsonPathJoin(path, 'permissions');
  if (!Array.isArray(r.permissions)) throw new IngestError(file, permsPath, 'must be an array');
  const permissions = r.permissions.map((p, i): PermissionBlock => {
    const at = jsonPathJoin(permsPath, i);
    if (typeof p !== 'object' || p === null) throw new IngestError(file, at, 'must be an object');
    const b = p as Record<string, unknown>;
    return {
      actions: stringList(b.actions, file, jsonPathJoin(at, 'actions')),
      notActions: stringList(b.notActions, file, jsonPathJoin(at, 'notActions')),
      dataActions: stringList(b.dataActions, file, jsonPathJoin(at, 'dataActions')),
      notDataActions: stringList(b.notDataActions, file, jsonPathJoin(at, 'notDataActions')),
      condition: typeof b.condition === 'string' && b.condition !== '' ? b.condition : null,
    };
  });
  return {
    guid: id.toLowerCase(),
    name: r.roleName,
    custom: r.roleType === 'CustomRole',
    permissions,
    assignableScopes: stringList(r.assignableScopes, file, jsonPathJoin(path, 'assignableScopes')),
    origin: `${file}#${path}`,
    abridged: false,
  };
}

interface BuiltinFile {
  asOf: string;
  roles: Array<{
    id: string;
    roleName: string;
    abridged?: boolean;
    permissions: Array<Omit<PermissionBlock, 'condition'>>;
  }>;
}

let builtins: Map<string, RoleDefinition> | undefined;

/** The shipped built-in role definitions, by GUID. */
export function builtinRoles(): ReadonlyMap<string, RoleDefinition> {
  if (!builtins) {
    const data = JSON.parse(
      readFileSync(packagePath('ingest', 'azure', 'data', 'builtin-roles.json'), 'utf8'),
    ) as BuiltinFile;
    builtins = new Map(
      data.roles.map((r) => [
        r.id,
        {
          guid: r.id,
          name: r.roleName,
          custom: false,
          permissions: r.permissions.map((p) => ({ ...p, condition: null })),
          assignableScopes: ['/'],
          origin: `builtin-roles.json (${data.asOf})`,
          abridged: r.abridged === true,
        },
      ]),
    );
  }
  return builtins;
}

/**
 * Whether one permission block allows an operation. NotActions subtract only inside their
 * own block (they are not denies): another block or role may still grant the operation.
 */
export function blockAllows(block: PermissionBlock, operation: string, data: boolean): boolean {
  return data
    ? matchesAny(block.dataActions, operation) && !matchesAny(block.notDataActions, operation)
    : matchesAny(block.actions, operation) && !matchesAny(block.notActions, operation);
}
