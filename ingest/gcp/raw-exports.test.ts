import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphEdgeOf } from '../../graph/model.js';
import { IngestError } from '../errors.js';
import { readInputs } from '../read-inputs.js';
import type { IngestedSource } from '../types.js';
import { gcpIngester, ingestGcp } from './index.js';
import { rawKindOf } from './raw-exports.js';

const fx = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const NOW = new Date('2026-11-29T00:00:00Z');
const FILES = [
  'search-all-iam-policies.json',
  'search-all-resources.json',
  'asset-export.ndjson',
  'role-describe.json',
];
const PROJECT = 'gcp:projects/acme-web';
const RUNTIME = 'gcp:serviceAccount:web-runtime@acme-web.iam.gserviceaccount.com';
const VM = 'gcp://compute.googleapis.com/projects/acme-web/zones/us-central1-a/instances/web-vm';

let src: IngestedSource;
let docs: ReturnType<typeof readInputs>;
beforeAll(async () => {
  docs = readInputs(FILES.map(fx));
  const sources = await ingestGcp(docs, { now: NOW });
  expect(sources).toHaveLength(1);
  src = sources[0] as IngestedSource;
});
const edge = (kind: string, from: string, to: string) =>
  src.edges.find((e) => e.kind === kind && e.from === from && e.to === to);

describe('gcloud exports, unmodified', () => {
  it('recognises each export kind', () => {
    expect(docs.map((d) => rawKindOf(d.doc))).toEqual([
      'iam-policy-search',
      'resource-search',
      'asset-export',
      'roles',
    ]);
    expect(docs.every((d) => gcpIngester.detect(d.doc, d.file))).toBe(true);
    expect(rawKindOf([])).toBeNull();
    expect(rawKindOf([{ UserName: 'x' }])).toBeNull();
    expect(rawKindOf({ UserDetailList: [] })).toBeNull();
  });

  it('joins the files: project number → id, folder chain, organization source', () => {
    expect(src.descriptor.id).toBe('gcp:organizations/999000111222');
    const project = src.nodes.find((n) => n.id === PROJECT);
    expect(project).toMatchObject({
      kind: 'Project',
      name: 'Acme Web',
      props: { projectNumber: '555000555000' },
    });
    expect(src.nodes.some((n) => n.id === 'gcp:projects/555000555000')).toBe(false);
    expect(edge('CONTAINS', 'gcp:folders/700', 'gcp:folders/770')).toBeDefined();
    expect(edge('CONTAINS', 'gcp:folders/770', PROJECT)).toBeDefined();
    expect(edge('CONTAINS', PROJECT, VM)).toBeDefined();
  });

  it('reads the resource export: the instance runs as the service account the search found by unique id', () => {
    expect(edge('RUNS_AS', VM, RUNTIME)).toBeDefined();
    expect(edge('CONTAINS', PROJECT, RUNTIME)).toBeDefined();
    const xena = edge('HAS_ACCESS', 'gcp:user:xena@acme.example', VM) as GraphEdgeOf<'HAS_ACCESS'>;
    expect(xena.props.actions).toContain('compute.instances.setmetadata');
    expect(
      src.edges.some(
        (e) => e.kind === 'CAN_ESCALATE' && e.from === 'gcp:user:xena@acme.example' && e.to === RUNTIME,
      ),
    ).toBe(true);
  });

  it('uses a custom role from `roles describe` for a binding in another file', () => {
    const zoe = edge('HAS_ACCESS', 'gcp:user:zoe@acme.example', PROJECT);
    expect(zoe).toBeDefined();
    const esc = src.edges.find(
      (e) => e.kind === 'CAN_ESCALATE' && e.from === 'gcp:user:zoe@acme.example' && e.to === RUNTIME,
    ) as GraphEdgeOf<'CAN_ESCALATE'>;
    expect(esc.props.technique).toBe('gcp-compute-instances-create');
    expect(src.warnings.filter((w) => w.includes('not in the predefined-role catalogue'))).toEqual([]);
  });

  it('a service account first seen through its own IAM policy is a principal zoe can impersonate', () => {
    const deploy = 'gcp:serviceAccount:deploy@acme-web.iam.gserviceaccount.com';
    expect(src.nodes.find((n) => n.id === deploy)?.kind).toBe('ServiceAccount');
    expect(edge('CONTAINS', PROJECT, deploy)).toBeDefined();
    expect(edge('CAN_ASSUME', 'gcp:user:zoe@acme.example', deploy)).toBeDefined();
  });

  it('public members: allAuthenticatedUsers on a bucket', () => {
    expect(src.nodes.find((n) => n.id === 'gcp:allAuthenticatedUsers')?.props?.public).toBe(true);
    expect(
      edge('HAS_ACCESS', 'gcp:allAuthenticatedUsers', 'gcp://storage.googleapis.com/acme-web-static'),
    ).toBeDefined();
  });

  it('without the role export, the custom role is reported, not dropped silently', async () => {
    const [only] = await ingestGcp(docs.slice(0, 1), { now: NOW });
    expect(
      only?.warnings.some(
        (w) => w.includes('projects/acme-web/roles/deployer') && w.includes('$[0].policy.bindings[1]'),
      ),
    ).toBe(true);
  });
});

describe('gcloud exports: bad input', () => {
  const fails = async (doc: unknown) => {
    try {
      await ingestGcp([{ file: 'export.json', doc }], { now: NOW });
    } catch (e) {
      return e as IngestError;
    }
    throw new Error('expected an IngestError');
  };
  const policy = (extra: object) => [
    {
      resource: '//storage.googleapis.com/b',
      policy: { bindings: [{ role: 'roles/viewer', members: ['user:a@x.example'] }] },
    },
    { resource: '//storage.googleapis.com/c', policy: { bindings: [extra] } },
  ];

  it('a binding role that is not a role name', async () => {
    const e = await fails(policy({ role: 'viewer', members: ['user:a@x.example'] }));
    expect(e).toBeInstanceOf(IngestError);
    expect([e.file, e.jsonPath]).toEqual(['export.json', '$[1].policy.bindings[0].role']);
  });
  it('members that are not strings', async () => {
    const e = await fails(policy({ role: 'roles/viewer', members: ['user:a@x.example', 7] }));
    expect(e.jsonPath).toBe('$[1].policy.bindings[0].members[1]');
  });
  it('a condition without an expression', async () => {
    const e = await fails(
      policy({ role: 'roles/viewer', members: ['user:a@x.example'], condition: { title: 't' } }),
    );
    expect(e.jsonPath).toBe('$[1].policy.bindings[0].condition.expression');
  });
  it('a resource that is not a full resource name', async () => {
    const e = await fails([{ resource: 'buckets/b', policy: {} }]);
    expect(e.jsonPath).toBe('$[0].resource');
  });
  it('a later entry of another shape', async () => {
    const e = await fails([{ resource: '//storage.googleapis.com/b', policy: {} }, 'oops']);
    expect(e.jsonPath).toBe('$[1]');
  });
  it('a role whose permissions are not strings', async () => {
    const e = await fails({ name: 'projects/p/roles/r', title: 'R', includedPermissions: ['a.b.c', null] });
    expect(e.jsonPath).toBe('$.includedPermissions[1]');
  });
});
