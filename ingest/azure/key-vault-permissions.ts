/**
 * Key vault access policy permissions as the Azure RBAC data actions that allow the same
 * thing, so a grant made by an access policy and one made by a role assignment answer
 * `who-can --action microsoft.keyvault/vaults/secrets/getsecret/action` alike.
 *
 * Access policies name permissions per object type (`secrets: ["get", "list"]`); Key Vault's
 * data actions split them the same way (`…/secrets/getSecret/action`,
 * `…/secrets/readMetadata/action`). `all` is every permission of its type. Managed storage
 * account permissions (`storage`) have no data action (that feature exists only under access
 * policies), so they give levels but no actions.
 */

const kv = (suffix: string) => `microsoft.keyvault/vaults/${suffix}`;

const SECRETS: Record<string, string[]> = {
  // get returns the value; list only names and attributes
  get: [kv('secrets/getsecret/action'), kv('secrets/readmetadata/action')],
  list: [kv('secrets/readmetadata/action')],
  set: [kv('secrets/setsecret/action'), kv('secrets/update/action')],
  delete: [kv('secrets/delete')],
  recover: [kv('secrets/recover/action')],
  backup: [kv('secrets/backup/action')],
  restore: [kv('secrets/restore/action')],
  purge: [kv('secrets/purge/action')],
};

const KEYS: Record<string, string[]> = {
  get: [kv('keys/read')],
  list: [kv('keys/read')],
  update: [kv('keys/update/action')],
  create: [kv('keys/create/action')],
  import: [kv('keys/import/action')],
  delete: [kv('keys/delete')],
  recover: [kv('keys/recover/action')],
  backup: [kv('keys/backup/action')],
  restore: [kv('keys/restore/action')],
  purge: [kv('keys/purge/action')],
  decrypt: [kv('keys/decrypt/action')],
  encrypt: [kv('keys/encrypt/action')],
  unwrapkey: [kv('keys/unwrap/action')],
  wrapkey: [kv('keys/wrap/action')],
  verify: [kv('keys/verify/action')],
  sign: [kv('keys/sign/action')],
  release: [kv('keys/release/action')],
  rotate: [kv('keys/rotate/action')],
  getrotationpolicy: [kv('keyrotationpolicies/read')],
  setrotationpolicy: [kv('keyrotationpolicies/write')],
};

const CERTIFICATES: Record<string, string[]> = {
  get: [kv('certificates/read')],
  list: [kv('certificates/read')],
  update: [kv('certificates/update/action')],
  create: [kv('certificates/create/action')],
  import: [kv('certificates/import/action')],
  delete: [kv('certificates/delete')],
  recover: [kv('certificates/recover/action')],
  backup: [kv('certificates/backup/action')],
  restore: [kv('certificates/restore/action')],
  purge: [kv('certificates/purge/action')],
  managecontacts: [kv('certificatecontacts/write')],
  getissuers: [kv('certificatecas/read')],
  listissuers: [kv('certificatecas/read')],
  setissuers: [kv('certificatecas/write')],
  deleteissuers: [kv('certificatecas/delete')],
  manageissuers: [kv('certificatecas/read'), kv('certificatecas/write'), kv('certificatecas/delete')],
};

export const VAULT_OBJECT_TYPES = ['keys', 'secrets', 'certificates', 'storage'] as const;
export type VaultObjectType = (typeof VAULT_OBJECT_TYPES)[number];

const BY_TYPE: Record<Exclude<VaultObjectType, 'storage'>, Record<string, string[]>> = {
  keys: KEYS,
  secrets: SECRETS,
  certificates: CERTIFICATES,
};

/** Every data action an access policy can grant: the operation catalogue learns them. */
export const VAULT_POLICY_DATA_ACTIONS: readonly string[] = [
  ...new Set(Object.values(BY_TYPE).flatMap((m) => Object.values(m).flat())),
].sort();

/** Storage permissions that hand over data (SAS definitions and the keys behind them). */
const STORAGE_READ = new Set(['get', 'list', 'getsas', 'listsas']);

/** The data actions a list of permissions of one object type grants; unknown names grant nothing. */
export function policyDataActions(type: VaultObjectType, permissions: readonly string[]): string[] {
  if (type === 'storage') return [];
  const map = BY_TYPE[type];
  const out = new Set<string>();
  for (const p of permissions) {
    const ops = p === 'all' ? Object.values(map).flat() : (map[p] ?? []);
    for (const op of ops) out.add(op);
  }
  return [...out];
}

/** Levels the storage permissions give (they have no data actions to derive them from). */
export function storageLevels(permissions: readonly string[]): Array<'read' | 'write'> {
  const out = new Set<'read' | 'write'>();
  for (const p of permissions) {
    if (p === 'all') return ['read', 'write'];
    out.add(STORAGE_READ.has(p) ? 'read' : 'write');
  }
  return [...out];
}
