/**
 * computeGrants shared between the principals of one account. Every member of a group has the
 * group's grants computed again under its own restrictions (grants.ts, authorization-details.ts),
 * and most members of a group have the same restrictions (the same groups, no boundary, no
 * denies of their own): the same question with a different caller. The answer depends on the
 * caller only through its request context (names, tags, …, for conditions and policy
 * variables), so an answer is reused for a caller whose context returns the same for every key
 * the computation read (ContextMemo): exactly what its own computation would give.
 *
 * Callers that get the same answer get the same array and grant objects: treat them as
 * read-only, as the edges built from them already share action lists.
 */
import { objectNumber } from '../../lib/object-number.js';
import type { ActionCatalog } from './action-catalog.js';
import { ContextMemo } from './eval/context.js';
import { type EffectiveGrant, grantsInContext, type PolicyAttachment, type Restrictions } from './grants.js';
import { type KnownPrincipal, staticContext } from './principal-context.js';

const attachmentKey = (a: PolicyAttachment) => `${a.policyId}\u0001${a.label}\u0001${objectNumber(a.policy)}`;

export class GrantMemo {
  private readonly memo = new ContextMemo<EffectiveGrant[]>();

  constructor(
    private readonly catalog: ActionCatalog,
    private readonly now: Date,
  ) {}

  grants(
    who: KnownPrincipal,
    sources: readonly PolicyAttachment[],
    restrictions: Restrictions,
  ): EffectiveGrant[] {
    // Everything computeGrants reads besides the context, by identity: attachments (id, label,
    // document), each deny statement with the attachment it comes from, the boundary, and the
    // SCP levels (one array per account).
    const key = [
      sources.map(attachmentKey).join('\u0002'),
      restrictions.denies.map((d) => `${attachmentKey(d.att)}\u0001${objectNumber(d.st)}`).join('\u0002'),
      restrictions.boundary ? attachmentKey(restrictions.boundary) : '',
      restrictions.scpLevels ? objectNumber(restrictions.scpLevels) : '',
    ].join('\u0003');
    return this.memo.get(key, staticContext(who, this.now), (ctx) =>
      grantsInContext(ctx, sources, restrictions, this.catalog),
    );
  }
}
