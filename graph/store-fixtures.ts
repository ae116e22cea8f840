/**
 * Test fixtures shared by the store contract suite, the CLI tests and the crash test: a
 * small company whose expected answers are known by hand.
 *
 *   alice ─MEMBER_OF→ devs ─MEMBER_OF→ engineers ─HAS_ACCESS(s3:getobject, read)→ account ─CONTAINS→ bucket-data
 *   bob ─MEMBER_OF→ engineers
 *   carol ─CAN_ASSUME→ deployer ─HAS_ACCESS(s3:putobject, write)→ bucket-data
 *   dave ─CAN_ESCALATE→ admin-role ─HAS_ACCESS(*, admin)→ account
 *   erin (no access), vendor (External, other source) ─CAN_ASSUME→ deployer
 */
import type { AccessLevel, GraphEdge, GraphNode, Via } from './model.js';
import { edgeId } from './model.js';
import type { SourceDescriptor } from './store.js';

export const ACME: SourceDescriptor = { id: 'aws:111111111111', cloud: 'aws', meta: { fixture: 'acme' } };
export const VENDOR: SourceDescriptor = { id: 'aws:999999999999', cloud: 'aws' };

const A = 'arn:aws:iam::111111111111';
export const ids = {
  account: 'arn:aws:organizations::000000000000:account/o-1/111111111111',
  alice: `${A}:user/alice`,
  bob: `${A}:user/bob`,
  carol: `${A}:user/carol`,
  dave: `${A}:user/dave`,
  erin: `${A}:user/erin`,
  devs: `${A}:group/devs`,
  engineers: `${A}:group/engineers`,
  deployer: `${A}:role/deployer`,
  admin: `${A}:role/admin-role`,
  readPolicy: `${A}:policy/read-data`,
  bucket: 'arn:aws:s3:::acme-data',
  bucketLogs: 'arn:aws:s3:::acme-logs',
  vendor: 'arn:aws:iam::999999999999:role/vendor-sync',
};

const node = (
  id: string,
  kind: GraphNode['kind'],
  name: string,
  extra: Partial<GraphNode> = {},
): GraphNode => ({
  id,
  cloud: 'aws',
  kind,
  name,
  source: ACME.id,
  props: {},
  ...extra,
});

export const via = (ref: string, statement: number | string | null = 0): Via => ({
  ref,
  label: ref.split('/').pop() ?? ref,
  statement,
  excerpt: { Effect: 'Allow', Action: '*', Resource: '*' },
});

export function access(
  from: string,
  to: string,
  actions: string[],
  levels: AccessLevel[],
  ref: string,
  conditional = false,
): GraphEdge {
  return {
    id: edgeId('HAS_ACCESS', from, to, `${ref}#0`),
    kind: 'HAS_ACCESS',
    from,
    to,
    source: ACME.id,
    via: via(ref),
    props: {
      actions,
      levels,
      conditional,
      conditions: conditional ? { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } : null,
    },
  };
}

export function simple(
  kind: 'MEMBER_OF' | 'CONTAINS' | 'ATTACHED_TO' | 'RUNS_AS',
  from: string,
  to: string,
): GraphEdge {
  return { id: edgeId(kind, from, to), kind, from, to, source: ACME.id, via: null, props: {} };
}

export function acmeNodes(): GraphNode[] {
  return [
    node(ids.account, 'Account', 'acme-prod', { type: 'aws:account' }),
    node(ids.alice, 'User', 'alice', { props: { lastUsed: '2026-10-01T00:00:00Z', tags: { team: 'data' } } }),
    node(ids.bob, 'User', 'bob'),
    node(ids.carol, 'User', 'carol'),
    node(ids.dave, 'User', 'dave'),
    node(ids.erin, 'User', 'erin'),
    node(ids.devs, 'Group', 'devs'),
    node(ids.engineers, 'Group', 'engineers'),
    node(ids.deployer, 'Role', 'deployer'),
    node(ids.admin, 'Role', 'admin-role'),
    node(ids.readPolicy, 'Policy', 'read-data', {
      type: 'aws:managed-policy',
      props: { document: { Version: '2012-10-17' } },
    }),
    node(ids.bucket, 'Resource', 'acme-data', {
      type: 's3:bucket',
      props: { sensitivity: 'high', public: false },
    }),
    node(ids.bucketLogs, 'Resource', 'acme-logs', { type: 's3:bucket' }),
  ];
}

export function acmeEdges(): GraphEdge[] {
  return [
    simple('MEMBER_OF', ids.alice, ids.devs),
    simple('MEMBER_OF', ids.devs, ids.engineers),
    simple('MEMBER_OF', ids.bob, ids.engineers),
    simple('CONTAINS', ids.account, ids.bucket),
    simple('CONTAINS', ids.account, ids.bucketLogs),
    simple('ATTACHED_TO', ids.readPolicy, ids.engineers),
    access(ids.engineers, ids.account, ['s3:getobject', 's3:listbucket'], ['read', 'list'], ids.readPolicy),
    {
      id: edgeId('CAN_ASSUME', ids.carol, ids.deployer),
      kind: 'CAN_ASSUME',
      from: ids.carol,
      to: ids.deployer,
      source: ACME.id,
      via: via(`${ids.deployer}#trust`),
      props: { conditional: false, conditions: null },
    },
    access(ids.deployer, ids.bucket, ['s3:putobject'], ['write'], `${A}:policy/deploy`, true),
    {
      id: edgeId('CAN_ESCALATE', ids.dave, ids.admin, 'iam:PassRole+lambda'),
      kind: 'CAN_ESCALATE',
      from: ids.dave,
      to: ids.admin,
      source: ACME.id,
      via: via(`${A}:policy/dave-inline`),
      props: { technique: 'lambda-passrole-create-invoke', conditional: false, conditions: null },
    },
    access(
      ids.admin,
      ids.account,
      ['s3:getobject', 's3:putobject', 'iam:createuser'],
      ['read', 'write', 'admin'],
      `${A}:policy/admin`,
    ),
  ];
}

/** The vendor source: a foreign role trusted by acme's deployer (an edge into another source). */
export function vendorNodes(): GraphNode[] {
  return [{ id: ids.vendor, cloud: 'aws', kind: 'Role', name: 'vendor-sync', source: VENDOR.id, props: {} }];
}
export function vendorEdges(): GraphEdge[] {
  return [
    {
      id: edgeId('CAN_ASSUME', ids.vendor, ids.deployer),
      kind: 'CAN_ASSUME',
      from: ids.vendor,
      to: ids.deployer,
      source: VENDOR.id,
      via: via(`${ids.deployer}#trust`, 1),
      props: { conditional: true, conditions: { StringEquals: { 'sts:ExternalId': 'x' } } },
    },
  ];
}
