/**
 * Role → permissions. Predefined roles come from the catalogue shipped in
 * data/predefined-roles.json (refreshed by tools/refresh-gcp-roles.ts); custom roles and
 * any predefined role described in the inputs (`gcloud iam roles describe/list`) override
 * it. A role nobody defines is reported by name, never dropped silently.
 */
import { readFileSync } from 'node:fs';
import { packagePath } from '../../lib/package-root.js';
import { normalizePermission } from './permissions.js';

export interface RoleDefinition {
  /** `roles/storage.admin`, `projects/p/roles/custom`, `organizations/1/roles/custom` */
  name: string;
  title: string;
  /** lowercase */
  permissions: string[];
  custom: boolean;
  /** true when the permission list is known to be incomplete (hand-curated basic roles) */
  subset: boolean;
  stage: string | null;
  deleted: boolean;
  origin: 'catalogue' | 'input';
}

export interface PredefinedCatalogue {
  generatedAt: string;
  source: string;
  description?: string;
  roles: Record<string, { title: string; permissions: string[]; subset?: boolean; basic?: boolean }>;
}

let shipped: PredefinedCatalogue | undefined;
export function shippedCatalogue(): PredefinedCatalogue {
  shipped ??= JSON.parse(
    readFileSync(packagePath('ingest', 'gcp', 'data', 'predefined-roles.json'), 'utf8'),
  ) as PredefinedCatalogue;
  return shipped;
}

export const isCustomRoleName = (name: string): boolean =>
  /^(projects|organizations)\/[^/]+\/roles\/[^/]+$/.test(name);
export const isPredefinedRoleName = (name: string): boolean => /^roles\/[^/]+$/.test(name);

export class RoleCatalog {
  private readonly roles = new Map<string, RoleDefinition>();
  readonly catalogue: { generatedAt: string; source: string };

  constructor(predefined: PredefinedCatalogue = shippedCatalogue()) {
    this.catalogue = { generatedAt: predefined.generatedAt, source: predefined.source };
    for (const [name, r] of Object.entries(predefined.roles)) {
      this.roles.set(name, {
        name,
        title: r.title,
        permissions: [...new Set(r.permissions.map(normalizePermission))].sort(),
        custom: false,
        subset: r.subset === true,
        stage: null,
        deleted: false,
        origin: 'catalogue',
      });
    }
  }

  /** A role from the inputs: it replaces the shipped definition (inputs are newer and complete). */
  define(role: Omit<RoleDefinition, 'origin' | 'custom'>): void {
    this.roles.set(role.name, { ...role, custom: isCustomRoleName(role.name), origin: 'input' });
  }

  get(name: string): RoleDefinition | undefined {
    return this.roles.get(name);
  }

  customRoles(): RoleDefinition[] {
    return [...this.roles.values()].filter((r) => r.custom);
  }

  /** Every permission some known role holds: what "any role" can give at a scope (scope admin). */
  allPermissions(): string[] {
    const all = new Set<string>();
    for (const r of this.roles.values()) for (const p of r.permissions) all.add(p);
    return [...all].sort();
  }
}
