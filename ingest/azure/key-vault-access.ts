/**
 * Key vault access policies as grants. A vault that does not use Azure RBAC for its data
 * plane (`properties.enableRbacAuthorization` false or absent) lets whoever its
 * `properties.accessPolicies` name read and change keys, secrets and certificates, whatever
 * role assignments say. A vault using Azure RBAC ignores its access policies, and so do we.
 *
 * Each entry becomes one HAS_ACCESS edge from the named object (user, group, service
 * principal) to the vault, with the data actions its permissions amount to
 * (key-vault-permissions.ts). An entry with an `applicationId` is a compound identity: it
 * holds only when that user or principal acts through that application, so the edge is
 * conditional. Deny assignments are RBAC and do not apply to access policies.
 */
import type { AccessLevel, JsonObject, JsonValue } from '../../graph/model.js';
import { IngestError, jsonPathJoin } from '../errors.js';
import type { TenantContext } from './context.js';
import { asObject, guid, type Obj, optStr } from './json-check.js';
import { policyDataActions, storageLevels, VAULT_OBJECT_TYPES } from './key-vault-permissions.js';
import { levelOf } from './operations.js';
import { scopeNodeId } from './scope.js';
import type { VaultAccessPolicy } from './tenant.js';

/** Read `properties.accessPolicies` as `az keyvault list/show` and ARM print it. */
export function readAccessPolicies(props: Obj, file: string, path: string): VaultAccessPolicy[] {
  const list = props.accessPolicies;
  if (list === undefined || list === null) return [];
  const at = jsonPathJoin(path, 'accessPolicies');
  if (!Array.isArray(list)) throw new IngestError(file, at, 'must be an array');
  return list.map((raw, i) => {
    const p = jsonPathJoin(at, i);
    const e = asObject(raw, file, p);
    const appId = optStr(e, 'applicationId', file, p);
    const pp = jsonPathJoin(p, 'permissions');
    const perms =
      e.permissions === undefined || e.permissions === null ? {} : asObject(e.permissions, file, pp);
    const names = (type: string): string[] => {
      const v = perms[type];
      if (v === undefined || v === null) return [];
      const tp = jsonPathJoin(pp, type);
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
        throw new IngestError(file, tp, `"${type}" must be an array of permission names`);
      return [...new Set((v as string[]).map((x) => x.toLowerCase()))].sort();
    };
    if (appId !== null) guid(e, 'applicationId', file, p);
    return {
      tenantId: guid(e, 'tenantId', file, p),
      objectId: guid(e, 'objectId', file, p),
      applicationId: appId?.toLowerCase() ?? null,
      permissions: {
        keys: names('keys'),
        secrets: names('secrets'),
        certificates: names('certificates'),
        storage: names('storage'),
      },
      origin: { file, path: p },
    };
  });
}

export function emitVaultAccessPolicies(ctx: TenantContext, coveredGroups: Map<string, Set<string>>): void {
  const { g, t, principals } = ctx;
  for (const res of t.resources.values()) {
    const policies = res.vaultAccessPolicies;
    if (!policies?.length || res.type.toLowerCase() !== 'microsoft.keyvault/vaults') continue;
    const vault = scopeNodeId(res.scope);
    if (res.vaultRbac === true) {
      // Azure evaluates only role assignments on such a vault; say why its policies grant nothing
      g.mergeProps(vault, { accessPoliciesIgnored: policies.length });
      continue;
    }
    policies.forEach((pol, i) => {
      if (pol.tenantId !== t.tenantId) {
        ctx.warnings.push(
          `${pol.origin.file}: ${pol.origin.path}.tenantId: access policy for tenant ${pol.tenantId} on a vault of tenant ${t.tenantId}; skipped (its object id means nothing here)`,
        );
        return;
      }
      const actions = new Set<string>();
      for (const type of VAULT_OBJECT_TYPES)
        for (const op of policyDataActions(type, pol.permissions[type])) actions.add(op);
      const levels = new Set<AccessLevel>([...actions].map(levelOf));
      for (const l of storageLevels(pol.permissions.storage)) levels.add(l);
      if (levels.size === 0) return; // an entry with no permissions grants nothing
      const statement = `properties.accessPolicies[${i}]`;
      const excerpt: JsonObject = {
        tenantId: pol.tenantId,
        objectId: pol.objectId,
        applicationId: pol.applicationId,
        permissions: pol.permissions as unknown as JsonValue,
      };
      const props: JsonObject = {
        actions: [...actions].sort(),
        levels: [...levels].sort(),
        conditional: pol.applicationId !== null,
        conditions:
          pol.applicationId !== null ? [{ compoundIdentity: { applicationId: pol.applicationId } }] : null,
        scope: res.scope,
        grant: 'key-vault-access-policy',
        accessPolicy: pol.permissions as unknown as JsonValue,
      };
      const via = {
        ref: vault,
        label: `access policy ${i} of key vault ${res.name}`,
        statement,
        excerpt,
      };
      const holder = principals.nodeId(pol.objectId);
      g.edge({
        kind: 'HAS_ACCESS',
        from: holder,
        to: vault,
        via,
        props: props as never,
        discriminator: statement,
      });
      // members whose MEMBER_OF edge to this group is not travelled (a deny treats them
      // differently) hold copies of the group's grants; access policies are no exception
      for (const [member, groups] of coveredGroups) {
        if (!groups.has(pol.objectId)) continue;
        g.edge({
          kind: 'HAS_ACCESS',
          from: principals.nodeId(member),
          to: vault,
          via,
          props: { ...props, inheritedFrom: holder } as never,
          discriminator: `${statement}#materialized`,
        });
      }
    });
  }
}
