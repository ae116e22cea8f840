/**
 * The permissions each holder ends up with, per scope, after denies: what impersonation
 * and escalation look up ("does this holder have iam.serviceAccounts.actAs on that
 * service account, from any binding at or above it?").
 */
import type { JsonValue, Via } from '../../graph/model.js';
import type { Hierarchy } from './hierarchy.js';

export interface HeldPermission {
  /** the principal or group whose grant this is */
  holder: string;
  scope: string;
  permission: string;
  conditional: boolean;
  conditions: JsonValue[];
  via: Via;
}

export class EffectiveAccess {
  private readonly byHolder = new Map<string, Map<string, HeldPermission[]>>();
  constructor(private readonly hierarchy: Hierarchy) {}

  add(h: HeldPermission): void {
    const perms = this.byHolder.get(h.holder) ?? new Map<string, HeldPermission[]>();
    perms.set(h.permission, [...(perms.get(h.permission) ?? []), h]);
    this.byHolder.set(h.holder, perms);
  }

  holders(): string[] {
    return [...this.byHolder.keys()];
  }

  hasGrants(holder: string): boolean {
    return this.byHolder.has(holder);
  }

  /** Every grant of one permission, whoever holds it. */
  grantsOf(permission: string): HeldPermission[] {
    return [...this.byHolder.values()].flatMap((m) => m.get(permission) ?? []);
  }

  /** Grants of the permission held by any of `holders` (a principal and the groups it travels to). */
  scopesOf(holders: readonly string[], permission: string): HeldPermission[] {
    return holders.flatMap((h) => this.byHolder.get(h)?.get(permission) ?? []);
  }

  /**
   * The best grant of `permission` on `target` (made there or above it) held by any of
   * `holders`: unconditional first, then the principal's own before its groups'.
   */
  on(holders: readonly string[], permission: string, target: string): HeldPermission | null {
    const above = new Set(this.hierarchy.ancestorsOrSelf(target));
    const found = this.scopesOf(holders, permission).filter((h) => above.has(h.scope));
    return found.find((h) => !h.conditional) ?? found[0] ?? null;
  }

  /** All of `permissions` on `target`, or null when one is missing. */
  allOn(holders: readonly string[], permissions: readonly string[], target: string): HeldPermission[] | null {
    const out: HeldPermission[] = [];
    for (const p of permissions) {
      const h = this.on(holders, p, target);
      if (!h) return null;
      out.push(h);
    }
    return out;
  }
}
