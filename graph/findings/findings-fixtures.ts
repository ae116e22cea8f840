/**
 * A small account with one example of every finding kind and the look-alikes that must not
 * become findings (a materialized membership, a recent user, a guarded trust, a service).
 */
import { type AccessLevel, edgeId, type GraphEdge, type GraphNode, type JsonObject } from '../model.js';
import type { SourceDescriptor } from '../store.js';

export const SRC: SourceDescriptor = { id: 'aws:111111111111', cloud: 'aws' };
const A = 'arn:aws:iam::111111111111';
export const F = {
  account: 'arn:aws:organizations::000000000000:account/o-1/111111111111',
  sibling: 'arn:aws:organizations::000000000000:account/o-1/222222222222',
  adminNode: 'aws:account-admin:111111111111',
  alice: `${A}:user/alice`,
  bob: `${A}:user/bob`,
  carol: `${A}:user/carol`,
  dave: `${A}:user/dave`,
  erin: `${A}:user/erin`,
  frank: `${A}:user/frank`,
  gina: `${A}:user/gina`,
  hank: `${A}:user/hank`,
  admins: `${A}:group/admins`,
  deployer: `${A}:role/deployer`,
  adminRole: `${A}:role/admin`,
  vendorRole: `${A}:role/vendor`,
  auditRole: `${A}:role/auditor`,
  siblingRole: `${A}:role/sibling-reader`,
  ciRole: `${A}:role/ci`,
  publicBucket: 'arn:aws:s3:::acme-public-assets',
  customerDb: 'arn:aws:s3:::acme-customer-db',
  anyone: 'aws:*',
  vendor: 'arn:aws:iam::999999999999:root',
  auditor: 'arn:aws:iam::888888888888:root',
  siblingRoot: 'arn:aws:iam::222222222222:root',
  github: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
  lambdaSvc: 'lambda.amazonaws.com',
};

const node = (id: string, kind: GraphNode['kind'], props: JsonObject = {}): GraphNode => ({
  id,
  cloud: 'aws',
  kind,
  name: id.split(/[/:]/).pop() || id,
  source: SRC.id,
  props,
});

const via = (label: string, excerpt: JsonObject = { Effect: 'Allow' }) => ({
  ref: `policy:${label}`,
  label,
  statement: 0,
  excerpt,
});

function edge(
  kind: GraphEdge['kind'],
  from: string,
  to: string,
  props: JsonObject = {},
  label = `${kind} ${from}`,
): GraphEdge {
  return { id: edgeId(kind, from, to), kind, from, to, source: SRC.id, via: via(label), props } as GraphEdge;
}

const grant = (from: string, to: string, actions: string[], levels: AccessLevel[], extra: JsonObject = {}) =>
  edge(
    'HAS_ACCESS',
    from,
    to,
    { actions, levels, conditional: false, conditions: null, ...extra },
    `grant ${from}`,
  );
const assume = (from: string, to: string, excerpt: JsonObject = { Effect: 'Allow' }): GraphEdge => ({
  ...edge('CAN_ASSUME', from, to, { conditional: false, conditions: null }),
  via: via(`trust of ${to}`, excerpt),
});
const escalate = (from: string, to: string, technique: string) =>
  edge(
    'CAN_ESCALATE',
    from,
    to,
    { technique, conditional: false, conditions: null },
    `escalation ${technique}`,
  );

export function findingsGraph(): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes: GraphNode[] = [
    node(F.account, 'Account', { accountId: '111111111111' }),
    node(F.sibling, 'Account', { accountId: '222222222222' }),
    node(F.adminNode, 'Role', { synthetic: true }),
    node(F.alice, 'User', { lastUsed: '2026-11-20T00:00:00Z' }),
    node(F.bob, 'User', { lastUsed: '2026-11-25T00:00:00Z' }),
    node(F.carol, 'User', { lastUsed: '2026-11-01T00:00:00Z' }),
    node(F.dave, 'User', { lastUsed: '2026-11-01T00:00:00Z' }),
    node(F.erin, 'User', { lastUsed: '2025-01-01T00:00:00Z', createdAt: '2023-01-01T00:00:00Z' }),
    node(F.frank, 'User', { lastUsed: '2026-11-28T00:00:00Z' }),
    node(F.gina, 'User', { lastUsed: null, createdAt: '2024-02-01T00:00:00Z' }),
    node(F.hank, 'User', {
      lastUsed: '2026-11-28T00:00:00Z',
      servicesLastAccessed: [
        { namespace: 's3', lastAccessed: null },
        { namespace: 'ec2', lastAccessed: '2026-11-27T00:00:00Z' },
      ],
    }),
    node(F.admins, 'Group'),
    node(F.deployer, 'Role', { lastUsed: '2026-11-28T00:00:00Z' }),
    node(F.adminRole, 'Role', { lastUsed: '2026-11-28T00:00:00Z' }),
    node(F.vendorRole, 'Role'),
    node(F.auditRole, 'Role'),
    node(F.siblingRole, 'Role'),
    node(F.ciRole, 'Role'),
    node(F.publicBucket, 'Resource'),
    node(F.customerDb, 'Resource', { sensitivity: 'high' }),
    node(F.anyone, 'External', { external: 'public' }),
    node(F.vendor, 'External', { external: 'account' }),
    node(F.auditor, 'External', { external: 'account' }),
    node(F.siblingRoot, 'External', { external: 'account' }),
    node(F.github, 'External', { external: 'federated' }),
    node(F.lambdaSvc, 'External', { external: 'service' }),
  ];
  const materialized = edge('MEMBER_OF', F.dave, F.admins, { grantsMaterialized: true });
  const edges: GraphEdge[] = [
    edge('CONTAINS', F.account, F.publicBucket),
    edge('CONTAINS', F.account, F.customerDb),
    grant(F.adminNode, F.account, ['*'], ['admin'], { adminEquivalent: true }),
    grant(F.adminRole, F.account, ['*'], ['admin'], { adminEquivalent: true }),
    grant(F.admins, F.account, ['*'], ['admin'], { adminEquivalent: true }),
    grant(F.dave, F.account, ['s3:getobject'], ['read']),
    escalate(F.alice, F.adminNode, 'iam-001'),
    {
      ...escalate(F.alice, F.adminNode, 'iam-005'),
      id: edgeId('CAN_ESCALATE', F.alice, F.adminNode, 'iam-005'),
    },
    // carol already administers the account: escalating there is no finding
    escalate(F.carol, F.adminNode, 'iam-001'),
    assume(F.bob, F.deployer),
    escalate(F.deployer, F.adminRole, 'lambda-001'),
    edge('MEMBER_OF', F.carol, F.admins),
    materialized,
    edge('MEMBER_OF', F.erin, F.admins),
    grant(F.gina, F.customerDb, ['s3:getobject'], ['read']),
    grant(F.hank, F.account, ['s3:getobject', 's3:putobject', 'ec2:describeinstances'], ['read', 'write']),
    grant(F.frank, F.account, ['*'], ['admin'], { adminEquivalent: false }),
    grant(F.anyone, F.publicBucket, ['s3:getobject'], ['read'], { resourcePolicy: true }),
    assume(F.vendor, F.vendorRole),
    assume(F.auditor, F.auditRole, {
      Effect: 'Allow',
      Condition: { StringEquals: { 'sts:ExternalId': 'acme-7f3' } },
    }),
    assume(F.siblingRoot, F.siblingRole),
    assume(F.github, F.ciRole),
    assume(F.lambdaSvc, F.adminRole),
  ];
  return { nodes, edges };
}

export const NOW = new Date('2026-11-29T00:00:00Z');
