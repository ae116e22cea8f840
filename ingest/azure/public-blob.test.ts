import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { GraphEdgeOf } from '../../graph/model.js';
import { IngestError } from '../errors.js';
import type { IngestedSource } from '../types.js';
import { ingestAzure } from './index.js';
import { ANONYMOUS_NODE_ID } from './public-blob.js';

const MGS = fileURLToPath(new URL('./fixtures/raw/management-groups.json', import.meta.url));
const ST =
  '/subscriptions/5b0e0001-0000-4000-8000-000000000001/resourceGroups/rg-web/providers/Microsoft.Storage/storageAccounts';
const CONTAINER = 'Microsoft.Storage/storageAccounts/blobServices/containers';
const account = (name: string) => `${ST}/${name}`;
const container = (acct: string, name: string) => `${ST}/${acct}/blobServices/default/containers/${name}`;
const nodeId = (armId: string) => `azure:${armId.toLowerCase()}`;

/** `az storage account list` and `az storage container-rm list` print ARM properties flattened. */
const accounts = (allow: Record<string, boolean | null | undefined>) =>
  Object.entries(allow).map(([name, v]) => ({
    id: account(name),
    name,
    type: 'Microsoft.Storage/storageAccounts',
    location: 'westeurope',
    ...(v === undefined ? {} : { allowBlobPublicAccess: v }),
  }));
const containers = (levels: Record<string, string>) =>
  Object.entries(levels).map(([path, publicAccess]) => {
    const [acct, name] = path.split('/') as [string, string];
    return { id: container(acct, name), name, type: CONTAINER, publicAccess };
  });

async function ingest(...docs: unknown[]): Promise<IngestedSource> {
  const inputs = [
    { file: MGS, doc: JSON.parse(readFileSync(MGS, 'utf8')) },
    ...docs.map((doc, i) => ({ file: `export-${i}.json`, doc })),
  ];
  const [src] = await ingestAzure(inputs);
  return src as IngestedSource;
}
const publicEdges = (src: IngestedSource) =>
  src.edges.filter(
    (e) => e.kind === 'HAS_ACCESS' && e.from === ANONYMOUS_NODE_ID,
  ) as GraphEdgeOf<'HAS_ACCESS'>[];

describe('azure anonymous blob access', () => {
  it('opens Blob and Container containers of accounts that allow it (true or unset), from flattened CLI exports', async () => {
    const src = await ingest(
      accounts({ stopen: true, stlegacy: null, stclosed: false }),
      containers({
        'stopen/blobs': 'Blob',
        'stopen/listing': 'Container',
        'stopen/private': 'None',
        'stlegacy/old': 'Container',
        'stclosed/asks': 'Blob',
      }),
    );
    const edges = publicEdges(src);
    expect(edges.map((e) => [e.to, e.props.levels, e.props.conditional]).sort()).toEqual(
      [
        [nodeId(container('stlegacy', 'old')), ['list', 'read'], false],
        [nodeId(container('stopen', 'blobs')), ['read'], false],
        [nodeId(container('stopen', 'listing')), ['list', 'read'], false],
      ].sort(),
    );
    expect(edges[0]?.via?.label).toMatch(/^anonymous access level "(Blob|Container)" of container /);
    const anonymous = src.nodes.find((n) => n.id === ANONYMOUS_NODE_ID);
    expect(anonymous).toMatchObject({ kind: 'External', props: { external: 'public', public: true } });
    const closed = src.nodes.find((n) => n.id === nodeId(container('stclosed', 'asks')));
    expect(closed?.props).toMatchObject({ public: false, publicBlockedBy: 'allowBlobPublicAccess' });
    // containers sit below their account in the scope tree
    expect(
      src.edges.some((e) => e.kind === 'CONTAINS' && e.to === nodeId(container('stopen', 'blobs'))),
    ).toBe(true);
  });

  it('keeps the edge but conditional when the account was read without its properties', async () => {
    const listed = accounts({ stbare: undefined }); // as `az resource list` prints it
    const src = await ingest(listed, containers({ 'stbare/c': 'Blob', 'stmissing/c': 'Container' }));
    expect(publicEdges(src).map((e) => e.props.conditional)).toEqual([true, true]);
  });

  it('keeps the switch whichever order `az resource list` and `az storage account list` come in', async () => {
    const bare = accounts({ stopen: undefined });
    const full = accounts({ stopen: false });
    for (const order of [
      [bare, full],
      [full, bare],
    ]) {
      const src = await ingest(...order, containers({ 'stopen/c': 'Blob' }));
      expect(publicEdges(src)).toEqual([]);
    }
  });

  it('reads ARM `properties` and rejects a switch that is not a boolean', async () => {
    const arm = [
      { id: account('starm'), name: 'starm', type: 'Microsoft.Storage/storageAccounts', properties: {} },
      { id: container('starm', 'c'), name: 'c', type: CONTAINER, properties: { publicAccess: 'Blob' } },
    ];
    expect(publicEdges(await ingest(arm)).map((e) => e.props.conditional)).toEqual([false]);
    const bad = [{ ...arm[0], properties: { allowBlobPublicAccess: 'yes' } }];
    await expect(ingest(bad)).rejects.toThrow(IngestError);
  });
});
