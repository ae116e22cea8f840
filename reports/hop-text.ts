/** Plain-text explanation of one hop, shared by every output format (each escapes it). */
import type { Hop } from '../graph/queries/access.js';

const MAX_ACTIONS = 6;

const EDGE_MEANING: Record<Hop['edge'], string> = {
  MEMBER_OF: 'is a member of',
  CAN_ASSUME: 'can assume',
  CAN_ESCALATE: 'can escalate to',
  HAS_ACCESS: 'has access to',
  CONTAINS: 'contains',
  ATTACHED_TO: 'is attached to',
  RUNS_AS: 'runs as',
};

export function edgeMeaning(h: Hop): string {
  return EDGE_MEANING[h.edge];
}

export function actionsText(actions: readonly string[] | undefined): string {
  if (!actions || actions.length === 0) return '';
  const shown = actions.slice(0, MAX_ACTIONS).join(', ');
  return actions.length > MAX_ACTIONS ? `${shown} (+${actions.length - MAX_ACTIONS} more)` : shown;
}

/** Why the hop exists: `via` the policy/binding/assignment and statement, or what the edge means. */
export function viaText(h: Hop): string {
  const parts: string[] = [];
  if (h.via) {
    parts.push(
      `via ${h.via.statement === null ? h.via.label : `${h.via.label}, statement ${h.via.statement}`}`,
    );
  } else if (h.edge === 'CONTAINS') {
    parts.push('grants on a container reach everything below it');
  } else if (h.edge === 'MEMBER_OF') {
    parts.push('group membership');
  } else {
    parts.push('no recorded policy statement');
  }
  if (h.technique) parts.push(`technique ${h.technique}`);
  const acts = actionsText(h.actions);
  if (acts) parts.push(`actions ${acts}`);
  if (h.conditional) parts.push('conditional: guarded by a condition not decidable at load time');
  return parts.join('; ');
}

export function excerptText(h: Hop): string | null {
  if (!h.via || h.via.excerpt === null || h.via.excerpt === undefined) return null;
  return JSON.stringify(h.via.excerpt, null, 2);
}
