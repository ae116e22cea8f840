/**
 * Abuse edges that come from Azure RBAC grants (the abuse catalogue's Azure RBAC table):
 * - whoever can write role assignments on a scope can give itself Owner and any data role
 *   there: CAN_ESCALATE to that scope's synthetic admin node;
 * - whoever can run code on a resource acts as its managed identities: CAN_ASSUME;
 * - whoever can change a key vault's access policies (vaults not using Azure RBAC for data)
 *   can grant itself every secret, key and certificate: CAN_ESCALATE to the vault's admin node.
 */
import type { JsonValue } from '../../graph/model.js';
import type { TenantContext } from './context.js';
import { allowsAt, type HolderGrant } from './emit-rbac.js';
import { objectNodeId } from './principals.js';
import { normalizeScope } from './scope.js';
import { scopeAdmin } from './scope-admin.js';

const ROLE_WRITE = 'microsoft.authorization/roleassignments/write';

/** Techniques by built-in role, so paths name what the catalogue calls them. */
const ROLE_WRITE_TECHNIQUE: Record<string, string> = {
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635': 'azure-owner',
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9': 'azure-user-access-administrator',
};

interface CodeExecution {
  technique: string;
  /** any one of these runs code as the resource's identity … */
  anyOf: string[];
  /** … provided all of these are allowed too */
  allOf?: string[];
}

/** Resource type (lowercase) → the operations that run code as its managed identities. */
export const CODE_EXECUTION: Record<string, CodeExecution> = {
  'microsoft.compute/virtualmachines': {
    technique: 'azure-vm-run-command',
    anyOf: [
      'microsoft.compute/virtualmachines/runcommand/action',
      'microsoft.compute/virtualmachines/runcommands/write',
      'microsoft.compute/virtualmachines/extensions/write',
    ],
  },
  'microsoft.compute/virtualmachinescalesets': {
    technique: 'azure-vmss-run-command',
    anyOf: [
      'microsoft.compute/virtualmachinescalesets/virtualmachines/runcommand/action',
      'microsoft.compute/virtualmachinescalesets/extensions/write',
    ],
  },
  'microsoft.automation/automationaccounts': {
    technique: 'azure-automation-runbook',
    anyOf: [
      'microsoft.automation/automationaccounts/runbooks/write',
      'microsoft.automation/automationaccounts/runbooks/draft/write',
    ],
    allOf: ['microsoft.automation/automationaccounts/jobs/write'],
  },
  'microsoft.logic/workflows': {
    technique: 'azure-logic-app-identity',
    anyOf: ['microsoft.logic/workflows/write'],
  },
  'microsoft.web/sites': {
    technique: 'azure-web-app-code',
    anyOf: [
      'microsoft.web/sites/publish/action',
      'microsoft.web/sites/config/write',
      'microsoft.web/sites/extensions/write',
      'microsoft.web/sites/functions/write',
      'microsoft.web/sites/write',
    ],
  },
  'microsoft.containerservice/managedclusters': {
    technique: 'azure-aks-command',
    anyOf: [
      'microsoft.containerservice/managedclusters/runcommand/action',
      'microsoft.containerservice/managedclusters/listclusteradmincredential/action',
    ],
  },
};

const VAULT_POLICY_OPS = [
  'microsoft.keyvault/vaults/accesspolicies/write',
  'microsoft.keyvault/vaults/write',
];

function viaOf(
  hg: HolderGrant,
  operation: string,
): { ref: string; label: string; statement: null; excerpt: JsonValue } {
  const a = hg.grant.assignment;
  return {
    ref: `azure:${a.id}`,
    label: `${hg.grant.role.name} at ${a.scope} (role assignment)`,
    statement: null,
    excerpt: { roleDefinitionName: hg.grant.role.name, scope: a.scope, operation },
  };
}

export function emitRbacAbuse(ctx: TenantContext, grants: readonly HolderGrant[]): void {
  const { g, t, tree } = ctx;
  for (const hg of grants) {
    const scope = hg.grant.assignment.scope;
    if (!allowsAt(ctx, hg, ROLE_WRITE, scope)) continue;
    const technique = ROLE_WRITE_TECHNIQUE[hg.grant.role.guid] ?? 'azure-role-assignment-write';
    g.edge({
      kind: 'CAN_ESCALATE',
      from: hg.holder,
      to: scopeAdmin(ctx, scope),
      via: viaOf(hg, ROLE_WRITE),
      props: { technique, conditional: hg.conditional, conditions: hg.conditions },
      discriminator: `${hg.grant.assignment.id}${hg.inheritedFrom ? '#materialized' : ''}`,
    });
  }

  // grants by scope, so each resource looks only at the grants on its own chain of scopes
  const byScope = new Map<string, HolderGrant[]>();
  for (const hg of grants) {
    const list = byScope.get(hg.grant.assignment.scope) ?? [];
    list.push(hg);
    byScope.set(hg.grant.assignment.scope, list);
  }
  for (const res of t.resources.values()) {
    const type = res.type.toLowerCase();
    const exec = CODE_EXECUTION[type];
    const isVault = type === 'microsoft.keyvault/vaults' && res.vaultRbac !== true;
    if (!(exec && res.identities.length) && !isVault) continue;
    const above = tree.chain(res.scope).flatMap((s) => byScope.get(s) ?? []);
    if (exec && res.identities.length) {
      for (const hg of above) {
        const op = exec.anyOf.find((o) => allowsAt(ctx, hg, o, res.scope));
        if (!op || !(exec.allOf ?? []).every((o) => allowsAt(ctx, hg, o, res.scope))) continue;
        for (const id of res.identities) {
          g.edge({
            kind: 'CAN_ASSUME',
            from: hg.holder,
            to: objectNodeId('managedIdentity', id.principalId),
            via: viaOf(hg, op),
            props: {
              conditional: hg.conditional,
              conditions: hg.conditions,
              technique: exec.technique,
              through: res.scope,
            },
            discriminator: `${hg.grant.assignment.id}#${res.scope}${hg.inheritedFrom ? '#materialized' : ''}`,
          });
        }
      }
    }
    if (isVault) {
      for (const hg of above) {
        const op = VAULT_POLICY_OPS.find((o) => allowsAt(ctx, hg, o, res.scope));
        if (!op) continue;
        const unknownModel = res.vaultRbac !== false;
        const conditions: JsonValue[] = [];
        if (hg.conditions !== null) conditions.push(hg.conditions);
        if (unknownModel)
          conditions.push({
            vaultPermissionModel: 'unknown: access policies apply unless the vault uses Azure RBAC',
          });
        g.edge({
          kind: 'CAN_ESCALATE',
          from: hg.holder,
          to: scopeAdmin(ctx, res.scope),
          via: viaOf(hg, op),
          props: {
            technique: 'azure-key-vault-access-policy',
            conditional: hg.conditional || unknownModel,
            conditions: conditions.length ? conditions : null,
          },
          discriminator: `${hg.grant.assignment.id}#${normalizeScope(res.scope)}${hg.inheritedFrom ? '#materialized' : ''}`,
        });
      }
    }
  }
}
