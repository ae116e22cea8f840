/**
 * Crown jewels: resolve each configured selector to resource nodes, then ask who can reach
 * each of them (whoCan, shortest path per principal).
 *
 * Candidates: an `id` is one getNode; a selector with text (`search`, or the longest literal
 * run of its `namePattern`) asks store.search, capped at MAX_CANDIDATES (the run notes when
 * the cap was hit); a type- or tag-only selector pages through every Resource node with
 * store.scanNodes. Every candidate is then checked against all of the selector's fields.
 */

import type { GraphNode } from '../graph/model.js';
import { type AccessAnswer, whoCan } from '../graph/queries/access.js';
import type { GraphStore } from '../graph/store.js';
import { type CrownJewel, globToRegExp, type ResourceSelector } from './config.js';

export const MAX_CANDIDATES = 10_000;
export const MAX_PRINCIPALS_PER_JEWEL = 500;
const SCAN_PAGE = 1000;

export interface ResolvedJewel {
  jewel: CrownJewel;
  resources: GraphNode[];
  notes: string[];
}

function longestLiteral(glob: string): string {
  return glob
    .split(/[*?]/)
    .reduce((best, part) => (part.trim().length > best.length ? part.trim() : best), '');
}

function tagsMatch(node: GraphNode, wanted: Record<string, string | true>): boolean {
  const tags = node.props?.tags;
  if (!tags || typeof tags !== 'object' || Array.isArray(tags)) return false;
  const own = tags as Record<string, unknown>;
  return Object.entries(wanted).every(([k, v]) => (v === true ? k in own : own[k] === v));
}

export function selectorMatches(sel: ResourceSelector, node: GraphNode): boolean {
  if (sel.id !== undefined && node.id !== sel.id) return false;
  if (sel.type !== undefined && node.type !== sel.type) return false;
  if (sel.tags !== undefined && !tagsMatch(node, sel.tags)) return false;
  if (sel.namePattern !== undefined && !globToRegExp(sel.namePattern).test(node.name)) return false;
  return true;
}

export async function resolveSelector(
  store: GraphStore,
  sel: ResourceSelector,
  limit = MAX_CANDIDATES,
): Promise<{ nodes: GraphNode[]; capped: boolean }> {
  if (sel.id !== undefined) {
    const n = await store.getNode(sel.id);
    // a placeholder is an id some edge mentions but no source defines: nothing to protect yet
    const real = n && n.props?.placeholder !== true && selectorMatches(sel, n) ? [n] : [];
    return { nodes: real, capped: false };
  }
  const text = sel.search ?? (sel.namePattern ? longestLiteral(sel.namePattern) : '');
  const found = new Map<string, GraphNode>();
  let capped = false;
  if (text) {
    const hits = await store.search(text, { kinds: ['Resource'], limit });
    capped = hits.length >= limit;
    for (const h of hits) if (selectorMatches(sel, h.node)) found.set(h.node.id, h.node);
  } else {
    let after: string | undefined;
    for (;;) {
      const page = await store.scanNodes({
        kinds: ['Resource'],
        limit: SCAN_PAGE,
        ...(after ? { after } : {}),
      });
      for (const n of page) if (selectorMatches(sel, n)) found.set(n.id, n);
      if (page.length < SCAN_PAGE) break;
      after = page[page.length - 1]!.id;
    }
  }
  const nodes = [...found.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { nodes, capped };
}

export async function resolveJewels(
  store: GraphStore,
  jewels: readonly CrownJewel[],
): Promise<ResolvedJewel[]> {
  const out: ResolvedJewel[] = [];
  for (const jewel of jewels) {
    const resources = new Map<string, GraphNode>();
    const notes: string[] = [];
    for (const [i, sel] of jewel.select.entries()) {
      const r = await resolveSelector(store, sel);
      if (r.capped)
        notes.push(
          `selector ${i + 1} of "${jewel.name}" matched more candidates than searched (${MAX_CANDIDATES}); add "search" text to narrow it`,
        );
      if (r.nodes.length === 0) notes.push(`selector ${i + 1} of "${jewel.name}" matched no resource`);
      for (const n of r.nodes) resources.set(n.id, n);
    }
    out.push({ jewel, resources: [...resources.values()], notes });
  }
  return out;
}

export interface JewelReach {
  jewel: CrownJewel;
  resource: GraphNode;
  answers: AccessAnswer[];
  truncated: boolean;
}

export async function reachJewels(
  store: GraphStore,
  resolved: readonly ResolvedJewel[],
): Promise<JewelReach[]> {
  const out: JewelReach[] = [];
  for (const r of resolved) {
    for (const resource of r.resources) {
      const q = r.jewel.level
        ? { level: r.jewel.level, limit: MAX_PRINCIPALS_PER_JEWEL }
        : { limit: MAX_PRINCIPALS_PER_JEWEL };
      const result = await whoCan(store, resource.id, q);
      out.push({ jewel: r.jewel, resource, answers: result.answers, truncated: result.truncated });
    }
  }
  return out;
}
