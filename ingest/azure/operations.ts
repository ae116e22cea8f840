/**
 * The concrete Azure operations the ingester knows: every non-wildcard action named by the
 * role definitions it reads plus `data/known-operations.json`. Azure publishes no offline
 * catalogue with the CLI exports, so wildcard grants expand against this set; the grant's
 * own patterns stay on the edge (`permissions`) for anything outside it.
 */
import { readFileSync } from 'node:fs';
import type { AccessLevel } from '../../graph/model.js';
import { packagePath } from '../../lib/package-root.js';
import { isWildcard } from './action-pattern.js';
import { VAULT_POLICY_DATA_ACTIONS } from './key-vault-permissions.js';
import { blockAllows, type PermissionBlock, type RoleDefinition } from './role-definitions.js';

let known: { actions: string[]; dataActions: string[] } | undefined;
function knownOperations() {
  known ??= JSON.parse(readFileSync(packagePath('ingest', 'azure', 'data', 'known-operations.json'), 'utf8'));
  return known as { actions: string[]; dataActions: string[] };
}

/**
 * Operations whose name ends in `/action` but that read secrets or data: listing keys or
 * secrets hands over their values, so they answer `--level read`.
 */
const READING_ACTIONS = [
  /\/listkeys\/action$/,
  /\/listsecrets\/action$/,
  /\/getsecret\/action$/,
  /\/readmetadata\/action$/,
  /\/config\/list\/action$/,
  /\/listcredentials?\/action$/,
  /\/listclusteradmincredential\/action$/,
  /\/listclusterusercredential\/action$/,
  /\/decrypt\/action$/,
  /\/unwrapkey\/action$/,
  // Key Vault's unwrap hands back the key material a key protects
  /^microsoft\.keyvault\/vaults\/keys\/unwrap\/action$/,
];

/** Operations that change who has access (the `permissions` level). */
const PERMISSION_OPS = [
  /^microsoft\.authorization\/roleassignments\/(write|delete)$/,
  /^microsoft\.authorization\/roledefinitions\/(write|delete)$/,
  /^microsoft\.authorization\/denyassignments\/(write|delete)$/,
  /^microsoft\.authorization\/elevateaccess\/action$/,
  /^microsoft\.keyvault\/vaults\/accesspolicies\/write$/,
];

export function levelOf(op: string): AccessLevel {
  if (PERMISSION_OPS.some((r) => r.test(op))) return 'permissions';
  if (op.endsWith('/read') || READING_ACTIONS.some((r) => r.test(op))) return 'read';
  return 'write';
}

export class OperationCatalog {
  readonly control = new Set<string>();
  readonly data = new Set<string>();
  /** expansions by block: a role assigned 10,000 times is expanded once */
  private readonly expanded = new WeakMap<PermissionBlock, { control: string[]; data: string[] }>();

  constructor() {
    const k = knownOperations();
    for (const a of k.actions) this.control.add(a.toLowerCase());
    for (const a of k.dataActions) this.data.add(a.toLowerCase());
    // what key vault access policies grant, so wildcard roles and vault admins list them too
    for (const a of VAULT_POLICY_DATA_ACTIONS) this.data.add(a);
  }

  /** Learn the concrete operations a role definition names (before any expansion). */
  learn(def: RoleDefinition): void {
    for (const b of def.permissions) {
      for (const a of [...b.actions, ...b.notActions]) if (!isWildcard(a)) this.control.add(a.toLowerCase());
      for (const a of [...b.dataActions, ...b.notDataActions])
        if (!isWildcard(a)) this.data.add(a.toLowerCase());
    }
  }

  /** The known operations one permission block allows (control plane, then data plane). */
  expand(block: PermissionBlock): { control: string[]; data: string[] } {
    let out = this.expanded.get(block);
    if (!out) {
      out = {
        control: [...this.control].filter((op) => blockAllows(block, op, false)),
        data: [...this.data].filter((op) => blockAllows(block, op, true)),
      };
      this.expanded.set(block, out);
    }
    return out;
  }

  /** Every known operation: what full control of a scope (Owner plus any data role) amounts to. */
  all(): string[] {
    return [...new Set([...this.control, ...this.data])].sort();
  }
}
