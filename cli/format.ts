/**
 * Human-readable rendering of access answers; `--json` output bypasses this and prints
 * the contract shapes instead.
 */
import type { AccessAnswer, AccessResult, Hop } from '../graph/queries/access.js';
import type { GraphStore, TruncationReason } from '../graph/store.js';

const MAX_ACTIONS_SHOWN = 4;

function actionsLabel(actions: readonly string[]): string {
  if (actions.length <= MAX_ACTIONS_SHOWN) return actions.join(', ');
  return `${actions.slice(0, MAX_ACTIONS_SHOWN).join(', ')} +${actions.length - MAX_ACTIONS_SHOWN} more`;
}

function hopLabel(h: Hop): string {
  let label: string = h.edge;
  if (h.actions) label += ` ${actionsLabel(h.actions)}`;
  if (h.technique) label += ` (${h.technique})`;
  if (h.conditional) label += ' [conditional]';
  if (h.via) {
    const st = h.via.statement === null ? '' : ` #${h.via.statement}`;
    label += ` · via ${h.via.label}${st}`;
  }
  return `[${label}]`;
}

/** `alice ─[MEMBER_OF]→ devs`: one explained hop, nodes by name where known. */
export function hopLine(h: Hop, names: ReadonlyMap<string, string>): string {
  return `${names.get(h.from) ?? h.from} ─${hopLabel(h)}→ ${names.get(h.to) ?? h.to}`;
}

/** Names for every node on the answers' paths, so paths read as names, not ARNs. */
export async function nameMap(
  store: GraphStore,
  answers: readonly AccessAnswer[],
): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const a of answers) for (const h of a.path) ids.add(h.from).add(h.to);
  const nodes = await store.getNodes([...ids]);
  return new Map(nodes.map((n) => [n.id, n.name]));
}

export function renderAnswers(result: AccessResult, names: Map<string, string>, heading: string): string {
  const out: string[] = [heading, ''];
  for (const a of result.answers) {
    const cond = a.conditional ? ', conditional' : '';
    out.push(
      `${a.node.name} (${a.node.kind}${a.node.type ? ` ${a.node.type}` : ''}) · ${a.depth} hop${a.depth === 1 ? '' : 's'}${cond}`,
    );
    out.push(`  ${a.node.id}`);
    for (const h of a.path) out.push(`    ${hopLine(h, names)}`);
  }
  if (result.truncated) out.push('', truncationNote(result.truncatedBy));
  return `${out.join('\n')}\n`;
}

export function truncationNote(reasons: readonly TruncationReason[]): string {
  const why: Record<TruncationReason, string> = {
    maxDepth: 'longer paths exist beyond --max-depth (raise it to see them)',
    maxResults: 'more results exist beyond --limit (raise it to see them)',
    timeout: 'the search ran out of time; the answer is partial',
  };
  return `note: truncated: ${reasons.map((r) => why[r]).join('; ')}`;
}
