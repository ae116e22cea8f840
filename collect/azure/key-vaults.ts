/**
 * Key vault properties for the snapshot. `resources.list` prints no properties, so the
 * collector also lists each subscription's vaults (ARM `Microsoft.KeyVault/vaults`, which
 * returns them whole) and puts on each vault what decides data-plane access: its permission
 * model and its access policies. Nothing else is kept; secret values never pass through here.
 */
import type { Json } from './api.js';

/** The vault properties the ingester reads (ingest/azure/key-vault-access.ts). */
const VAULT_PROPERTIES = ['tenantId', 'enableRbacAuthorization', 'accessPolicies'] as const;

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : '');

function vaultProperties(vault: Json): Json {
  const props = (vault.properties ?? {}) as Json;
  const out: Json = {};
  for (const k of VAULT_PROPERTIES) if (props[k] !== undefined) out[k] = props[k];
  return out;
}

/** The listed resources with each vault's properties added; vaults the resource list missed are appended. */
export function withVaultProperties(resources: Json[], vaults: Json[]): Json[] {
  const byId = new Map(vaults.filter((v) => typeof v.id === 'string').map((v) => [lower(v.id), v]));
  const out = resources.map((r) => {
    const v = byId.get(lower(r.id));
    if (!v) return r;
    byId.delete(lower(r.id));
    return { ...r, properties: vaultProperties(v) };
  });
  for (const v of byId.values())
    out.push({
      id: v.id,
      name: v.name,
      type: v.type ?? 'Microsoft.KeyVault/vaults',
      ...(v.location !== undefined ? { location: v.location } : {}),
      properties: vaultProperties(v),
    });
  return out;
}
