/**
 * IAM member strings (`user:`, `group:`, `serviceAccount:`, `domain:`, `allUsers`,
 * `allAuthenticatedUsers`, `principal://`, `principalSet://`, `deleted:…`) turned into the
 * principal node each names. Emails are case-insensitive in Google identities, so ids use
 * them lowercased; the member string as written is kept in props.
 */
import type { JsonObject, PrincipalKind } from '../../graph/model.js';

export interface MemberNode {
  id: string;
  kind: PrincipalKind;
  name: string;
  type: string;
  props: JsonObject;
  /** the email for user/group/serviceAccount members (lowercase), else null */
  email: string | null;
}

export class MemberError extends Error {}

export const userNodeId = (email: string) => `gcp:user:${email.toLowerCase()}`;
export const groupNodeId = (email: string) => `gcp:group:${email.toLowerCase()}`;
export const serviceAccountNodeId = (email: string) => `gcp:serviceAccount:${email.toLowerCase()}`;

/** The principal node an IAM member string names; throws MemberError for an unknown member type. */
export function parseMember(member: string): MemberNode {
  const m = member.trim();
  if (m === 'allUsers')
    return {
      id: 'gcp:allUsers',
      kind: 'External',
      name: 'allUsers (anyone on the internet)',
      type: 'gcp:public',
      props: { public: true, member: m },
      email: null,
    };
  if (m === 'allAuthenticatedUsers')
    return {
      id: 'gcp:allAuthenticatedUsers',
      kind: 'External',
      name: 'allAuthenticatedUsers (any Google account)',
      type: 'gcp:public',
      props: { public: true, member: m },
      email: null,
    };
  if (m.startsWith('principal://') || m.startsWith('principalSet://'))
    return {
      id: `gcp:${m}`,
      kind: 'External',
      name: m,
      type: m.startsWith('principalSet://') ? 'gcp:principal-set' : 'gcp:federated-principal',
      props: { member: m },
      email: null,
    };
  if (m.startsWith('deleted:')) {
    // deleted:user:alice@example.com?uid=123 — the binding outlived its principal; a new
    // principal with the same email does not inherit it, so it gets its own node.
    return {
      id: `gcp:${m.toLowerCase()}`,
      kind: 'External',
      name: m,
      type: 'gcp:deleted-principal',
      props: { member: m, deleted: true },
      email: null,
    };
  }
  const colon = m.indexOf(':');
  const prefix = colon > 0 ? m.slice(0, colon) : '';
  const value = colon > 0 ? m.slice(colon + 1) : '';
  if (!value)
    throw new MemberError(
      `"${member}" is not an IAM member (expected user:, group:, serviceAccount:, domain:, allUsers, …)`,
    );
  const email = value.toLowerCase();
  switch (prefix) {
    case 'user':
      return {
        id: userNodeId(email),
        kind: 'User',
        name: email,
        type: 'gcp:user',
        props: { member: m },
        email,
      };
    case 'group':
      return {
        id: groupNodeId(email),
        kind: 'Group',
        name: email,
        type: 'gcp:group',
        props: { member: m },
        email,
      };
    case 'serviceAccount':
      return {
        id: serviceAccountNodeId(email),
        kind: 'ServiceAccount',
        name: email,
        type: 'gcp:service-account',
        props: { member: m, googleManaged: isGoogleManagedServiceAccount(email) },
        email,
      };
    case 'domain':
      return {
        id: `gcp:domain:${email}`,
        kind: 'External',
        name: `everyone in ${email}`,
        type: 'gcp:domain',
        props: { member: m, domain: email },
        email: null,
      };
    case 'projectOwner':
    case 'projectEditor':
    case 'projectViewer':
      // Convenience members of legacy bucket ACL-style bindings: the basic-role holders of a project.
      return {
        id: `gcp:${m}`,
        kind: 'External',
        name: m,
        type: 'gcp:convenience',
        props: { member: m },
        email: null,
      };
    default:
      throw new MemberError(`"${member}" has an unknown member type "${prefix}"`);
  }
}

/** Service agents and default accounts Google creates and manages (not user-created). */
export function isGoogleManagedServiceAccount(email: string): boolean {
  return (
    /@(cloudservices|cloudbuild)\.gserviceaccount\.com$/.test(email) ||
    /@gcp-sa-[a-z0-9-]+\.iam\.gserviceaccount\.com$/.test(email)
  );
}
