/**
 * The escalation methods of the public GCP research (Rhino Security Labs) that hand over no
 * principal: SetOrgPolicyConstraints, CreateAPIKey and ViewExistingAPIKeys. What they give is
 * a capability on a scope, so each edge ends at a synthetic node (kind Role,
 * `props.synthetic: true`) that says what is gained, instead of pretending a principal or an
 * administrator is reached. They are evaluated over the same effective access (after deny
 * policies, IAM Conditions kept as `conditional`) as the other methods in escalation.ts.
 */
import type { JsonObject } from '../../graph/model.js';
import type { EffectiveAccess, HeldPermission } from './effective.js';
import type { Hierarchy } from './hierarchy.js';
import * as ids from './ids.js';

export type CapabilityKind = 'org-policy-control' | 'api-keys';

interface CapabilityTechnique {
  technique: string;
  kind: CapabilityKind;
  /** any one of these is enough (the API Keys API renamed them; both are still granted) */
  anyOf: string[];
}

const p = (s: string) => s.toLowerCase();

const CAPABILITY_TECHNIQUES: CapabilityTechnique[] = [
  {
    // sets the policy at the scope of the binding; it is inherited below, so that scope is enough
    technique: 'gcp-orgpolicy-policy-set',
    kind: 'org-policy-control',
    anyOf: [p('orgpolicy.policy.set')],
  },
  {
    technique: 'gcp-serviceusage-apiKeys-create',
    kind: 'api-keys',
    anyOf: [p('serviceusage.apiKeys.create'), p('apikeys.keys.create')],
  },
  {
    // the legacy list returned the key strings; the API Keys API needs getKeyString for them
    // (listing alone names keys without their secret)
    technique: 'gcp-serviceusage-apiKeys-list',
    kind: 'api-keys',
    anyOf: [p('serviceusage.apiKeys.list'), p('apikeys.keys.getKeyString')],
  },
];

export const CAPABILITY_TECHNIQUE_IDS = CAPABILITY_TECHNIQUES.map((t) => t.technique);

export interface CapabilityWorld {
  hierarchy: Hierarchy;
  access: EffectiveAccess;
  organizations: string[];
  folders: string[];
  projects: string[];
  /** node id of the synthetic capability node of a scope (the caller creates the nodes) */
  capability(kind: CapabilityKind, scope: string): string;
}

export interface CapabilityEscalation {
  from: string;
  to: string;
  technique: string;
  held: HeldPermission[];
}

/** Unconditional grants first, so the edge is conditional only when every route is. */
const best = (found: Array<HeldPermission | null>): HeldPermission | null => {
  const held = found.filter((h): h is HeldPermission => h !== null);
  return held.find((h) => !h.conditional) ?? held[0] ?? null;
};

/**
 * The capability edges of one principal (evaluated over `holders`: itself and its groups).
 * `covered(scope)` is true where the principal already administers the scope (it can
 * grant itself anything there): those are skipped, as for the other methods.
 */
export function capabilityEscalations(
  w: CapabilityWorld,
  principal: { node: string; holders: string[] },
  covered: (scope: string) => boolean,
): CapabilityEscalation[] {
  const out: CapabilityEscalation[] = [];
  const containers = new Set([...w.organizations, ...w.folders, ...w.projects]);
  for (const t of CAPABILITY_TECHNIQUES) {
    if (t.kind === 'org-policy-control') {
      for (const h of orgPolicyScopes(w, principal.holders, t.anyOf, containers))
        if (!covered(h.scope))
          out.push({
            from: principal.node,
            to: w.capability(t.kind, h.scope),
            technique: t.technique,
            held: [h],
          });
      continue;
    }
    // API keys belong to a project: a binding above reaches each project below it
    for (const project of w.projects) {
      if (covered(project)) continue;
      const h = best(t.anyOf.map((perm) => w.access.on(principal.holders, perm, project)));
      if (h)
        out.push({
          from: principal.node,
          to: w.capability(t.kind, project),
          technique: t.technique,
          held: [h],
        });
    }
  }
  return out;
}

/**
 * The containers where the holders were granted one of the permissions, best grant each;
 * a scope below another where it is held unconditionally adds nothing (policies set above
 * are inherited), so it is left out.
 */
function orgPolicyScopes(
  w: CapabilityWorld,
  holders: readonly string[],
  anyOf: readonly string[],
  containers: ReadonlySet<string>,
): HeldPermission[] {
  const held = anyOf
    .flatMap((perm) => w.access.scopesOf(holders, perm))
    .filter((h) => containers.has(h.scope));
  const out: HeldPermission[] = [];
  for (const scope of new Set(held.map((h) => h.scope))) {
    const above = w.hierarchy.ancestorsOrSelf(scope).slice(1);
    if (held.some((o) => !o.conditional && above.includes(o.scope))) continue;
    const h = best(held.filter((x) => x.scope === scope));
    if (h) out.push(h);
  }
  return out;
}

/** The synthetic node for a capability: what is gained, in words findings can use. */
export function capabilityNode(
  kind: CapabilityKind,
  scope: string,
): { id: string; kind: 'Role'; name: string; type: string; props: JsonObject } {
  const where = ids.scopeName(scope);
  if (kind === 'org-policy-control')
    return {
      id: ids.orgPolicyControlId(scope),
      kind: 'Role',
      name: `organization-policy control of ${where}`,
      type: 'gcp:org-policy-control',
      props: {
        synthetic: true,
        scope,
        gains: `can lift organization-policy guardrails on ${where}`,
        // guardrails (domain-restricted sharing, no key creation, …) go, no access is granted
        escalationSeverity: 'high',
      },
    };
  return {
    id: ids.apiKeysId(scope),
    kind: 'Role',
    name: `API keys of ${where}`,
    type: 'gcp:api-keys',
    props: {
      synthetic: true,
      scope,
      gains: `can create or read the API keys of ${where}`,
      // a key bills and calls the project's enabled APIs; it identifies no principal
      escalationSeverity: 'medium',
    },
  };
}
