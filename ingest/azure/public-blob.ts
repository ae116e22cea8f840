/**
 * Anonymous read access to blob containers, modelled as AWS models public buckets: a
 * HAS_ACCESS edge from one External node standing for everyone (`azure:anonymous`,
 * `props.public: true`) to the container, which graph/findings/exposure.ts reports as
 * public-access. A container is anonymous-readable when its `publicAccess` is `Blob`
 * (read blobs by URL) or `Container` (also list them) and its storage account does not set
 * `allowBlobPublicAccess: false` (Azure permits it when the switch is true or unset). When
 * the account's switch was not in the inputs the edge is kept but conditional.
 */
import type { AccessLevel, JsonValue } from '../../graph/model.js';
import type { TenantContext } from './context.js';
import { scopeNodeId } from './scope.js';

export const ANONYMOUS_NODE_ID = 'azure:anonymous';
const CONTAINER_TYPE = 'microsoft.storage/storageaccounts/blobservices/containers';
const READ_BLOBS = 'microsoft.storage/storageaccounts/blobservices/containers/blobs/read';
const ACCOUNT_OF = /^(.*\/providers\/microsoft\.storage\/storageaccounts\/[^/]+)\/blobservices\//;

export function emitPublicBlobAccess(ctx: TenantContext): void {
  const { t, g } = ctx;
  for (const r of t.resources.values()) {
    if (r.type.toLowerCase() !== CONTAINER_TYPE) continue;
    const level = typeof r.props.publicAccess === 'string' ? r.props.publicAccess.toLowerCase() : 'none';
    if (level !== 'blob' && level !== 'container') continue;
    const accountScope = ACCOUNT_OF.exec(r.scope)?.[1];
    const account = accountScope ? t.resources.get(accountScope) : undefined;
    const allow = account?.props.allowBlobPublicAccess;
    const container = scopeNodeId(r.scope);
    if (allow === false) {
      // the container asks for public access but the account forbids it: nothing is open
      g.mergeProps(container, { public: false, publicBlockedBy: 'allowBlobPublicAccess' });
      continue;
    }
    const known = allow === true || allow === null;
    g.node({
      id: ANONYMOUS_NODE_ID,
      kind: 'External',
      name: 'anonymous (anyone on the internet)',
      type: 'azure:anonymous',
      props: { external: 'public', public: true },
    });
    g.mergeProps(container, { public: true });
    const levels: AccessLevel[] = level === 'container' ? ['list', 'read'] : ['read'];
    const excerpt: JsonValue = {
      publicAccess: r.props.publicAccess as string,
      allowBlobPublicAccess: allow === undefined ? 'not in the inputs' : allow,
    };
    g.edge({
      kind: 'HAS_ACCESS',
      from: ANONYMOUS_NODE_ID,
      to: container,
      via: {
        ref: container,
        label: `anonymous access level "${r.props.publicAccess as string}" of container ${r.name}`,
        statement: null,
        excerpt,
      },
      props: {
        actions: [READ_BLOBS],
        levels,
        conditional: !known,
        conditions: known
          ? null
          : [{ allowBlobPublicAccess: 'unknown: the storage account was not read with its properties' }],
        anonymous: level,
      },
    });
  }
}
