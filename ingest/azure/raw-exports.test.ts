import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { GraphEdgeOf } from '../../graph/model.js';
import { azureIngester, ingestAzure } from './index.js';
import { rawKind } from './raw-exports.js';

const DIR = fileURLToPath(new URL('./fixtures/raw', import.meta.url));
const load = (name: string) => ({
  file: join(DIR, name),
  doc: JSON.parse(readFileSync(join(DIR, name), 'utf8')),
});
const all = () => readdirSync(DIR).map(load);
const T = '7e1d2c3b-4a59-4687-9a0b-1c2d3e4f5a6b';
const PROD = '/subscriptions/5b0e0001-0000-4000-8000-000000000001';

describe('azure CLI exports', () => {
  it('recognises each export by its shape', () => {
    const kinds = Object.fromEntries(all().map((d) => [d.file.split('/').pop(), rawKind(d.doc)]));
    expect(kinds).toEqual({
      'accounts.json': 'accounts',
      'applications.json': 'applications',
      'groups.json': 'groups',
      'management-group-root.json': 'management-group',
      'management-groups.json': 'management-groups',
      'resources.json': 'resources',
      'role-assignments.json': 'role-assignments',
      'role-definitions.json': 'role-definitions',
      'service-principals.json': 'service-principals',
      'users.json': 'users',
    });
    for (const d of all()) expect(azureIngester.detect(d.doc, d.file)).toBe(true);
    expect(rawKind([])).toBeNull();
    expect(rawKind([{ name: 'x' }])).toBeNull();
    expect(rawKind({ Policies: [] })).toBeNull();
    // other clouds' inputs stay with their ingesters
    const aws = fileURLToPath(new URL('../aws/fixtures/authorization-details.json', import.meta.url));
    expect(azureIngester.detect(JSON.parse(readFileSync(aws, 'utf8')), aws)).toBe(false);
    expect(rawKind([{ resource: '//storage.googleapis.com/b', policy: { bindings: [] } }])).toBeNull();
  });

  it('ingests them together as one tenant, built-in roles filling in missing definitions', async () => {
    const [src, ...rest] = await ingestAzure(all());
    expect(rest).toEqual([]);
    expect(src?.descriptor.id).toBe(`azure:${T}`);
    const has = (from: string) =>
      src?.edges.filter((e) => e.kind === 'HAS_ACCESS' && e.from === from) as GraphEdgeOf<'HAS_ACCESS'>[];
    // Contributor is not in role-definitions.json: the shipped built-in definition applies
    const contributor = has('azure:group:a2000000-0000-4000-8000-000000000001')[0];
    expect(contributor?.props.role).toBe('Contributor');
    expect(contributor?.props.actions).toContain('microsoft.compute/virtualmachines/runcommand/action');
    // `management-group show --expand --recurse` places the subscriptions
    const parent = src?.edges.find((e) => e.kind === 'CONTAINS' && e.to === `azure:${PROD}`)?.from;
    expect(parent).toBe('azure:/providers/microsoft.management/managementgroups/mg-prod');
    // `az resource list` has no vault properties: access-policy abuse is kept, flagged conditional
    const kv = src?.edges.find(
      (e) => e.kind === 'CAN_ESCALATE' && e.to.endsWith('/vaults/kv-legacy'),
    ) as GraphEdgeOf<'CAN_ESCALATE'>;
    expect(kv.props.conditional).toBe(true);
    // the managed identity service principal (alternativeNames) and the VM identity are one node
    expect(
      src?.nodes.find((n) => n.id === 'azure:managedidentity:a5000000-0000-4000-8000-000000000001')?.props,
    ).toMatchObject({
      servicePrincipalType: 'ManagedIdentity',
      resourceId: `${PROD}/resourcegroups/rg-app/providers/microsoft.compute/virtualmachines/vm-app`,
    });
  });

  it('role assignments alone name no tenant: a clear error, fixed by adding an export that does', async () => {
    await expect(ingestAzure([load('role-assignments.json')])).rejects.toMatchObject({
      jsonPath: '$',
      problem: expect.stringContaining('cannot tell which Entra tenant'),
    });
    const [src] = await ingestAzure([load('role-assignments.json'), load('accounts.json')]);
    expect(src?.descriptor.id).toBe(`azure:${T}`);
    // principals no export describes are kept, marked not inventoried
    expect(
      src?.nodes.find((n) => n.id === 'azure:user:a1000000-0000-4000-8000-000000000009')?.props?.inventoried,
    ).toBe(false);
  });

  it('refuses exports of two tenants in one ingest', async () => {
    const other = load('management-groups.json');
    const doc = structuredClone(other.doc);
    doc[0].tenantId = '00000000-1111-4222-8333-444444444444';
    await expect(
      ingestAzure([load('management-group-root.json'), { file: 'other.json', doc }]),
    ).rejects.toMatchObject({
      file: 'other.json',
      problem: expect.stringContaining('more than one tenant'),
    });
  });

  it('bad entries name file, JSON path and problem', async () => {
    const ra = load('role-assignments.json');
    ra.doc[3].principalId = 'bob';
    await expect(ingestAzure([ra, load('accounts.json')])).rejects.toMatchObject({
      file: ra.file,
      jsonPath: '$[3].principalId',
      problem: expect.stringContaining('GUID'),
    });
    const res = load('resources.json');
    res.doc[0].identity.userAssignedIdentities[
      `${PROD}/resourceGroups/rg-app/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-deploy`
    ].principalId = 42;
    await expect(ingestAzure([res, load('accounts.json')])).rejects.toMatchObject({
      jsonPath: expect.stringMatching(
        /^\$\[0\]\.identity\.userAssignedIdentities\[".*id-deploy"\]\.principalId$/,
      ),
    });
    const defs = load('role-definitions.json');
    delete defs.doc[1].permissions;
    await expect(ingestAzure([defs, load('accounts.json')])).rejects.toMatchObject({
      jsonPath: '$[1].permissions',
    });
    const mg = load('management-group-root.json');
    mg.doc.children[1].type = 'Microsoft.Compute/virtualMachines';
    await expect(ingestAzure([mg])).rejects.toMatchObject({ jsonPath: '$.children[1].type' });
  });
});
