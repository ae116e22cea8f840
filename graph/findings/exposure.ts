/**
 * What outsiders can reach: public-access (anonymous / all-users grants and trusts),
 * external-trust (roles a third party or an identity provider can assume, worst without
 * `sts:ExternalId`), and cross-account-access (grants and trusts naming other accounts).
 * Ingesters put outsiders on External nodes; `props.external` says which kind
 * (account, principal, service, federated, public) and `props.public` marks everyone.
 * An account is "ours" when an Account node in the graph carries its id.
 */
import type { AccessLevel, GraphEdge, GraphNode, JsonValue } from '../model.js';
import type { GraphStore } from '../store.js';
import { describeVia, makeFinding, type NodeNames } from './finding.js';
import type { Finding, Severity } from './types.js';
import { scanNodes } from './walk.js';

const ACCOUNT_ID = /(?<![0-9])([0-9]{12})(?![0-9])/;

/**
 * Accounts of our organizations: Account nodes, and whatever an organization unit
 * contains (an account's node may be defined by another account's source as an outsider,
 * but the organization's CONTAINS edge still names it).
 */
export async function knownAccounts(store: GraphStore): Promise<Set<string>> {
  const ids = new Set<string>();
  const add = (text: string) => {
    const id = ACCOUNT_ID.exec(text)?.[1];
    if (id) ids.add(id);
  };
  for await (const n of scanNodes(store, ['Account'])) {
    const own = (n.props as { accountId?: unknown }).accountId;
    add(typeof own === 'string' ? own : n.id);
  }
  for await (const ou of scanNodes(store, ['Organization', 'OrgUnit'])) {
    for (const e of await store.getEdges(ou.id, { kinds: ['CONTAINS'], direction: 'out', limit: 10_000 }))
      add(e.to);
  }
  return ids;
}

export function outsiderKind(n: GraphNode): string {
  const p = n.props as { external?: unknown; public?: unknown };
  if (p.public === true) return 'public';
  return typeof p.external === 'string' ? p.external : 'unknown';
}

/** Whether a trust edge requires sts:ExternalId (the ingester's flag, else the statement's Condition). */
export function requiresExternalId(e: GraphEdge): boolean {
  const flag = (e.props as { externalIdRequired?: unknown }).externalIdRequired;
  if (typeof flag === 'boolean') return flag;
  const excerpt = e.via?.excerpt as { Condition?: JsonValue } | null | undefined;
  return mentionsKey(excerpt?.Condition ?? null, 'sts:externalid');
}

function mentionsKey(v: JsonValue, key: string): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some((x) => mentionsKey(x, key));
  return Object.entries(v).some(([k, x]) => k.toLowerCase() === key || mentionsKey(x, key));
}

const LEVEL_SEVERITY: Array<[AccessLevel, Severity]> = [
  ['admin', 'critical'],
  ['permissions', 'critical'],
  ['write', 'critical'],
  ['read', 'high'],
  ['tagging', 'medium'],
  ['list', 'medium'],
];

function publicSeverity(levels: readonly AccessLevel[]): Severity {
  return LEVEL_SEVERITY.find(([l]) => levels.includes(l))?.[1] ?? 'medium';
}

const isWriteLike = (levels: readonly AccessLevel[]) =>
  levels.some((l) => l === 'admin' || l === 'write' || l === 'permissions');

export async function exposureFindings(store: GraphStore, names: NodeNames): Promise<Finding[]> {
  const ours = await knownAccounts(store);
  const out: Finding[] = [];
  for await (const outsider of scanNodes(store, ['External'])) {
    const kind = outsiderKind(outsider);
    if (kind === 'service') continue; // AWS services acting as designed (PassRole abuse is escalation)
    const edges = await store.getEdges(outsider.id, {
      kinds: ['HAS_ACCESS', 'CAN_ASSUME'],
      direction: 'out',
      limit: 10_000,
    });
    await names.load([outsider.id, ...edges.map((e) => e.to)]);
    const account = ACCOUNT_ID.exec(outsider.id)?.[1];
    const thirdParty = account !== undefined && !ours.has(account);
    for (const e of edges) {
      const f = exposureOf(outsider, kind, e, thirdParty, account, names);
      if (f) out.push(f);
    }
  }
  return out;
}

function exposureOf(
  outsider: GraphNode,
  kind: string,
  e: GraphEdge,
  thirdParty: boolean,
  account: string | undefined,
  names: NodeNames,
): Finding | null {
  const who = names.name(outsider.id);
  const what = names.name(e.to);
  const details = { outsider: kind, ...(account ? { account, thirdParty } : {}) };
  if (e.kind === 'HAS_ACCESS') {
    const levels = e.props.levels;
    if (kind === 'public') {
      return makeFinding({
        kind: 'public-access',
        severity: publicSeverity(levels),
        principal: outsider.id,
        target: e.to,
        title: `${what} is open to ${who} (${levels.join(', ') || 'access'})`,
        path: [e],
        remediation: `Remove the public principal from ${describeVia(e)}, or block public access on ${what}.`,
        details: { ...details, levels },
      });
    }
    if (kind === 'account' || kind === 'principal') {
      return makeFinding({
        kind: 'cross-account-access',
        severity: thirdParty ? (isWriteLike(levels) ? 'medium' : 'low') : 'info',
        principal: outsider.id,
        target: e.to,
        title: `${who}${thirdParty ? ' (outside the organization)' : ''} has ${levels.join(', ') || 'access'} on ${what}`,
        path: [e],
        remediation: `Check that ${who} still needs ${describeVia(e)}; narrow its actions and resources.`,
        details: { ...details, levels },
      });
    }
    return null;
  }
  if (e.kind !== 'CAN_ASSUME') return null;
  if (kind === 'public') {
    return makeFinding({
      kind: 'public-access',
      severity: 'critical',
      principal: outsider.id,
      target: e.to,
      title: `anyone can assume ${what}`,
      path: [e],
      remediation: `Replace the wildcard principal in ${describeVia(e)} with the accounts or principals that need it.`,
      details,
    });
  }
  if (kind === 'federated') {
    const guarded = requiresConditions(e);
    return makeFinding({
      kind: 'external-trust',
      severity: guarded ? 'medium' : 'high',
      principal: outsider.id,
      target: e.to,
      title: `identity provider ${who} can sign in as ${what}${guarded ? '' : ' with no condition on who'}`,
      path: [e],
      remediation: `Restrict ${describeVia(e)} with conditions on the token's audience and subject.`,
      details: { ...details, conditioned: guarded },
    });
  }
  if (kind !== 'account' && kind !== 'principal') return null;
  const externalId = requiresExternalId(e);
  if (thirdParty && !externalId) {
    return makeFinding({
      kind: 'external-trust',
      severity: 'high',
      principal: outsider.id,
      target: e.to,
      title: `${who} (outside the organization) can assume ${what} without an external ID`,
      path: [e],
      remediation: `Add a Condition requiring sts:ExternalId to ${describeVia(e)} (confused-deputy protection), or remove the trust.`,
      details: { ...details, externalIdRequired: false },
    });
  }
  return makeFinding({
    kind: 'cross-account-access',
    severity: thirdParty ? 'medium' : 'info',
    principal: outsider.id,
    target: e.to,
    title: `${who}${thirdParty ? ' (outside the organization)' : ''} can assume ${what}`,
    path: [e],
    remediation: `Check that ${who} still needs to assume ${what} (${describeVia(e)}).`,
    details: { ...details, externalIdRequired: externalId },
  });
}

/** A trust statement that says anything about who may use it (a Condition block). */
function requiresConditions(e: GraphEdge): boolean {
  const excerpt = e.via?.excerpt as { Condition?: JsonValue } | null | undefined;
  const c = excerpt?.Condition;
  return c !== undefined && c !== null && typeof c === 'object' && Object.keys(c).length > 0;
}
