// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables (${aws:username}) are plain strings
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphEdge, GraphEdgeOf } from '../../graph/model.js';
import { IngestError } from '../errors.js';
import type { IngestedSource } from '../types.js';
import { awsAuthorizationDetailsIngester, ingestAuthorizationDetails } from './authorization-details.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/authorization-details.json', import.meta.url));
const raw = () => JSON.parse(readFileSync(FIXTURE, 'utf8'));
const A = '123456789012';
const arn = (rest: string) => `arn:aws:iam::${A}:${rest}`;
const NOW = new Date('2026-11-29T00:00:00Z');

let src: IngestedSource;
beforeAll(async () => {
  src = await ingestAuthorizationDetails(raw(), FIXTURE, { now: NOW });
});

const edges = (kind: GraphEdge['kind'], from?: string, to?: string) =>
  src.edges.filter((e) => e.kind === kind && (!from || e.from === from) && (!to || e.to === to));
const access = (from: string, to?: string) => edges('HAS_ACCESS', from, to) as GraphEdgeOf<'HAS_ACCESS'>[];
/** a pattern that other accounts' sources could also write is scoped to this account's source */
const pattern = (text: string) => `aws:${A}/${text}`;

describe('aws authorization details ingester', () => {
  it('detects the export and names the source after the account', async () => {
    expect(awsAuthorizationDetailsIngester.detect(raw(), FIXTURE)).toBe(true);
    expect(awsAuthorizationDetailsIngester.detect({ Items: [] }, 'x.json')).toBe(false);
    expect(src.descriptor).toMatchObject({ id: `aws:${A}`, cloud: 'aws' });
    expect(src.warnings).toEqual([]);
    const [viaIngester] = await awsAuthorizationDetailsIngester.ingest([{ file: FIXTURE, doc: raw() }]);
    expect(viaIngester?.descriptor.id).toBe(`aws:${A}`);
  });

  it('creates the account, principals and policies, every edge owned by the source', () => {
    const kinds = (k: string) => src.nodes.filter((n) => n.kind === k).map((n) => n.name);
    expect(kinds('Account')).toEqual([A]);
    expect(kinds('User').sort()).toEqual(['alice', 'bob', 'carol', 'ci-bot', 'dave']);
    expect(kinds('Group').sort()).toEqual(['admins', 'developers', 'readers']);
    expect(kinds('Role')).toContain('BreakGlass');
    expect(src.nodes.find((n) => n.id === arn('policy/DeveloperAccess'))?.props?.document).toMatchObject({
      Statement: expect.any(Array),
    });
    expect(new Set(src.edges.map((e) => e.id)).size).toBe(src.edges.length);
    expect(new Set(src.nodes.map((n) => n.id)).size).toBe(src.nodes.length);
    expect(src.edges.every((e) => e.source === `aws:${A}`)).toBe(true);
  });

  it('group grants sit on the group, at the account scope for Resource "*", with expanded actions and levels', () => {
    const [admin] = access(arn('group/admins'), arn('root'));
    expect(admin?.props.actions).toContain('s3:getobject');
    expect(admin?.props.actions.every((a) => a === a.toLowerCase() && !a.includes('*'))).toBe(true);
    expect(admin?.props.levels).toEqual(expect.arrayContaining(['admin', 'read', 'write', 'permissions']));
    expect(admin?.props.conditional).toBe(false);
    expect(admin?.via).toMatchObject({ ref: 'arn:aws:iam::aws:policy/AdministratorAccess', statement: 0 });
    expect(edges('MEMBER_OF', arn('user/alice'), arn('group/admins'))[0]?.props).toEqual({});
    expect(access(arn('user/alice'))).toEqual([]);
  });

  it('a member whose boundary or policy variables change a group grant gets its own copies', () => {
    const member = edges('MEMBER_OF', arn('user/bob'), arn('group/developers'))[0];
    expect(member?.props).toEqual({ grantsMaterialized: true });
    // ${aws:PrincipalTag/team} resolved with bob's tag
    const buckets = access(arn('user/bob'), pattern('arn:aws:s3:::app-payments-*'));
    expect(buckets[0]?.props).toMatchObject({ conditional: false, inheritedFrom: arn('group/developers') });
    // the boundary only lets iam:ListAccessKeys through on his own user
    expect(access(arn('user/bob'), arn('user/bob'))[0]?.props.actions).toEqual(['iam:listaccesskeys']);
    // at group level the variable is unknown: kept, flagged conditional
    const groupLevel = access(
      arn('group/developers'),
      pattern('arn:aws:s3:::app-${aws:PrincipalTag/team}-*'),
    );
    expect(groupLevel[0]?.props.conditional).toBe(true);
  });

  it('an unconditional deny removes actions; a conditional one splits them off as conditional', () => {
    const carolRoot = access(arn('user/carol'), arn('root')).filter(
      (e) => e.props.inheritedFrom === arn('group/developers'),
    );
    const sure = carolRoot.find((e) => !e.props.conditional);
    const maybe = carolRoot.find((e) => e.props.conditional);
    expect(sure?.props.actions).not.toContain('lambda:deletefunction');
    expect(sure?.props.actions).toContain('lambda:invokefunction');
    expect(maybe?.props.actions).toEqual(['lambda:deletefunction']);
    expect(JSON.stringify(maybe?.props.conditions)).toContain('NotIpAddress');
    // NoProdData only covers part of "*": recorded as an exception on the read grant
    const reads = access(arn('user/carol'), arn('root')).find(
      (e) => e.props.inheritedFrom === arn('group/readers'),
    );
    expect(JSON.stringify(reads?.props.exceptions)).toContain('arn:aws:s3:::prod-*');
  });

  it('grants on resource patterns land on pattern nodes that contain the matching nodes', () => {
    const pass = access(arn('role/DeployRole'), arn('role/app-*'))[0];
    expect(pass?.props).toMatchObject({ actions: ['iam:passrole'], conditional: true });
    // `admin` means every action of a service on the scope: cloudformation:* is, three S3 actions are not
    const appBuckets = access(arn('user/bob'), pattern('arn:aws:s3:::app-payments-*'))[0];
    expect(appBuckets?.props.levels).not.toContain('admin');
    expect(access(arn('role/DeployRole'), arn('root'))[0]?.props.levels).toContain('admin');
    expect(
      edges('CONTAINS', arn('role/app-*'))
        .map((e) => e.to)
        .sort(),
    ).toEqual([arn('role/app-orders-lambda'), arn('role/app-web')]);
    // a pattern pinned to this account keeps its ARN as id; others carry the account, text in props
    expect(src.nodes.find((n) => n.id === arn('role/app-*'))?.props).toMatchObject({
      pattern: arn('role/app-*'),
    });
    expect(src.nodes.find((n) => n.id === pattern('arn:aws:s3:::app-payments-*'))).toMatchObject({
      name: 'arn:aws:s3:::app-payments-*',
      props: { pattern: 'arn:aws:s3:::app-payments-*', accountId: A },
    });
    const table = `arn:aws:dynamodb:eu-west-1:${A}:table/orders`;
    expect(src.nodes.find((n) => n.id === table)).toMatchObject({ kind: 'Resource', type: 'dynamodb:table' });
    expect(edges('CONTAINS', arn('root'), table)).toHaveLength(1);
  });

  it('CAN_ASSUME: trust naming the user directly, or the account plus an identity grant', () => {
    expect(
      edges('CAN_ASSUME', arn('user/service/ci-bot'), arn('role/DeployRole'))[0]?.props.conditional,
    ).toBe(false);
    // account-root trust with an MFA condition: the admins group holds the grant, its members
    // reach the role through MEMBER_OF → CAN_ASSUME
    const admins = edges('CAN_ASSUME', arn('group/admins'), arn('role/DeployRole'))[0];
    expect(admins?.props.conditional).toBe(true);
    expect(JSON.stringify(admins?.props.conditions)).toContain('aws:MultiFactorAuthPresent');
    expect(edges('CAN_ASSUME', arn('group/admins'), arn('role/BreakGlass'))[0]?.props.conditional).toBe(
      false,
    );
    expect(edges('CAN_ASSUME', arn('user/alice'))).toEqual([]);
    expect(edges('CAN_ASSUME', arn('group/developers'))).toEqual([]);
    // account-root trust but no sts:AssumeRole in their policies
    for (const u of ['bob', 'carol', 'dave']) expect(edges('CAN_ASSUME', arn(`user/${u}`))).toEqual([]);
    // role chain: github-actions can assume DeployRole
    expect(edges('CAN_ASSUME', arn('role/github-actions'), arn('role/DeployRole'))).toHaveLength(1);
  });

  it('CAN_ASSUME from outside: services, other accounts and identity providers are External nodes', () => {
    const ext = (id: string) => src.nodes.find((n) => n.id === id);
    expect(ext('lambda.amazonaws.com')).toMatchObject({ kind: 'External', type: 'aws:service' });
    // not the account's own id (arn:aws:iam::<id>:root): that id is the Account node when the
    // other account is loaded too, and must not change kind with load order
    const other = 'arn:aws:iam::999988887777:root#external';
    expect(ext(other)).toMatchObject({
      kind: 'External',
      type: 'aws:account',
      name: 'AWS account 999988887777',
      props: { external: 'account', accountId: '999988887777' },
    });
    expect(ext('arn:aws:iam::999988887777:root')).toBeUndefined();
    const audit = edges('CAN_ASSUME', other, arn('role/SecurityAudit'))[0];
    expect(audit?.props).toMatchObject({
      conditional: true,
      crossAccount: true,
      trustedAccount: '999988887777',
    });
    const oidc = arn('oidc-provider/token.actions.githubusercontent.com');
    expect(edges('CAN_ASSUME', oidc, arn('role/github-actions'))[0]?.props.conditional).toBe(true);
  });

  it('accepts URL-encoded policy documents and uses only the default policy version', () => {
    const dev = src.nodes.find((n) => n.id === arn('policy/DeveloperAccess'));
    const doc = dev?.props?.document as { Statement: unknown[] } | undefined;
    expect(doc?.Statement).toHaveLength(4);
  });

  it('is deterministic', async () => {
    const again = await ingestAuthorizationDetails(raw(), FIXTURE, { now: NOW });
    expect(again.edges.map((e) => e.id)).toEqual(src.edges.map((e) => e.id));
  });

  it('rejects bad input with file, JSON path and reason', async () => {
    const bad = raw();
    bad.Policies[3].PolicyVersionList[0].Document = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:*' }],
    };
    const err = await ingestAuthorizationDetails(bad, 'export.json').catch((e) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect(err).toMatchObject({
      file: 'export.json',
      jsonPath: '$.Policies[3].PolicyVersionList[0].Document.Statement[0]',
    });
    const noArn = raw();
    delete noArn.RoleDetailList[1].Arn;
    await expect(ingestAuthorizationDetails(noArn, 'e.json')).rejects.toMatchObject({
      jsonPath: '$.RoleDetailList[1].Arn',
    });
    await expect(ingestAuthorizationDetails({ Users: [] }, 'e.json')).rejects.toMatchObject({
      jsonPath: '$',
    });
    const badTrust = raw();
    badTrust.RoleDetailList[0].AssumeRolePolicyDocument =
      '%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%7D%5D%7D';
    await expect(ingestAuthorizationDetails(badTrust, 'e.json')).rejects.toMatchObject({
      jsonPath: '$.RoleDetailList[0].AssumeRolePolicyDocument.Statement[0]',
    });
  });

  it('warns about managed policies the export does not include', async () => {
    const partial = raw();
    partial.Policies = partial.Policies.filter(
      (p: { PolicyName: string }) => p.PolicyName !== 'AdministratorAccess',
    );
    const s = await ingestAuthorizationDetails(partial, 'e.json', { now: NOW });
    expect(s.warnings.join('\n')).toContain('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(s.edges.filter((e) => e.kind === 'HAS_ACCESS' && e.from === arn('group/admins'))).toEqual([]);
  });
});
