/**
 * Access levels of Google Cloud permissions. Google publishes no level per permission (AWS
 * does), so the level follows the permission's verb, the last dot-separated part, as the
 * IAM permission naming convention `service.resource.verb` defines it.
 */
import type { AccessLevel } from '../../graph/model.js';

const LIST = new Set(['list', 'search', 'searchall']);
const READ = new Set([
  'get',
  'getiampolicy',
  'getdata',
  'access',
  'export',
  'sourcecodeget',
  'read',
  'view',
  'connect',
  // API keys: reading a key string, finding the project of a key
  'getkeystring',
  'lookup',
]);
const PERMISSIONS = new Set([
  'setiampolicy',
  'actas',
  'getaccesstoken',
  'signblob',
  'signjwt',
  'implicitdelegation',
  'getopenidtoken',
]);
const TAGGING = new Set(['setlabels', 'settags', 'createtagbinding', 'deletetagbinding']);

/** Permissions are stored lowercase (graph/model.ts HasAccessProps): queries lowercase what users ask. */
export const normalizePermission = (p: string): string => p.trim().toLowerCase();

export function levelOfPermission(permission: string): AccessLevel {
  const verb = permission.slice(permission.lastIndexOf('.') + 1).toLowerCase();
  if (LIST.has(verb)) return 'list';
  if (READ.has(verb)) return 'read';
  if (PERMISSIONS.has(verb)) return 'permissions';
  if (TAGGING.has(verb)) return 'tagging';
  return 'write';
}

export function levelsOf(permissions: Iterable<string>): AccessLevel[] {
  return [...new Set([...permissions].map(levelOfPermission))].sort();
}
