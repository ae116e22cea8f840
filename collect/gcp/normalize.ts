/**
 * Client-library results → the shapes `gcloud … --format=json` prints (what the GCP
 * snapshot's `iamPolicies` hold): plain JSON, no empty protobuf defaults (a binding without
 * a condition has `condition: null` or an empty expression in the library, none in gcloud).
 */
import type { Row } from './api.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

export function iamPolicyRow(r: Row): Record<string, unknown> | null {
  const resource = str(r.resource);
  if (!resource) return null;
  const policy = (r.policy ?? {}) as { bindings?: unknown };
  const bindings = (Array.isArray(policy.bindings) ? policy.bindings : []).flatMap((b) => {
    const o = b as { role?: unknown; members?: unknown; condition?: unknown };
    const role = str(o.role);
    if (!role) return [];
    const c = o.condition as
      | { expression?: unknown; title?: unknown; description?: unknown }
      | null
      | undefined;
    const expression = str(c?.expression);
    return [
      {
        role,
        members: strings(o.members),
        ...(expression
          ? {
              condition: {
                expression,
                ...(str(c?.title) ? { title: str(c?.title) } : {}),
                ...(str(c?.description) ? { description: str(c?.description) } : {}),
              },
            }
          : {}),
      },
    ];
  });
  return {
    resource,
    ...(str(r.assetType) ? { assetType: str(r.assetType) } : {}),
    ...(str(r.project) ? { project: str(r.project) } : {}),
    ...(strings(r.folders).length ? { folders: strings(r.folders) } : {}),
    ...(str(r.organization) ? { organization: str(r.organization) } : {}),
    policy: { bindings },
  };
}

/** A resource search result → a snapshot resource (parent: nearest container). */
export function resourceRow(r: Row): Record<string, unknown> | null {
  const name = str(r.name);
  const assetType = str(r.assetType);
  const parent = str(r.project) ?? strings(r.folders)[0] ?? str(r.organization);
  if (!name || !assetType || !parent || assetType.startsWith('cloudresourcemanager.googleapis.com/'))
    return null;
  const labels = r.labels && typeof r.labels === 'object' ? (r.labels as Record<string, unknown>) : {};
  const labelEntries = Object.entries(labels).filter((e): e is [string, string] => typeof e[1] === 'string');
  return {
    name,
    assetType,
    parent,
    ...(str(r.displayName) ? { displayName: str(r.displayName) } : {}),
    ...(str(r.location) ? { location: str(r.location) } : {}),
    ...(labelEntries.length ? { labels: Object.fromEntries(labelEntries) } : {}),
  };
}
