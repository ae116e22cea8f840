/**
 * The graph interchange ingester: the graph's own JSON form (docs/schema/graph-interchange.schema.json),
 * for tests, hand-made examples and exports from other tools. Validated with the JSON
 * Schema, then checked for what a schema cannot say (duplicate ids).
 */
import { readFileSync } from 'node:fs';
import {
  type AccessLevel,
  type Cloud,
  type EdgeKind,
  edgeId,
  type GraphEdge,
  type GraphNode,
  type JsonObject,
  type JsonValue,
  type NodeKind,
} from '../../graph/model.js';
import { packagePath } from '../../lib/package-root.js';
import { IngestError, jsonPathJoin } from '../errors.js';
import { compileSchema } from '../schema-validate.js';
import type { IngestedSource, Ingester } from '../types.js';

export const GRAPH_FORMAT = 'accessgraph-graph';

interface RawNode {
  id: string;
  kind: NodeKind;
  name: string;
  cloud?: Cloud;
  type?: string;
  props?: JsonObject;
}
interface RawEdge {
  id?: string;
  kind: EdgeKind;
  from: string;
  to: string;
  via?: { ref: string; label?: string; statement?: string | number | null; excerpt?: JsonValue };
  actions?: string[];
  levels?: AccessLevel[];
  conditional?: boolean;
  conditions?: JsonValue;
  technique?: string;
}
interface RawGraph {
  source: { id: string; cloud: Cloud; meta?: JsonObject };
  nodes: RawNode[];
  edges: RawEdge[];
}

let validate: ReturnType<typeof compileSchema> | undefined;

function validator() {
  validate ??= compileSchema(
    JSON.parse(readFileSync(packagePath('docs', 'schema', 'graph-interchange.schema.json'), 'utf8')),
  );
  return validate;
}

export function toEdge(raw: RawEdge, source: string): GraphEdge {
  const via = raw.via
    ? {
        ref: raw.via.ref,
        label: raw.via.label ?? raw.via.ref,
        statement: raw.via.statement ?? null,
        excerpt: raw.via.excerpt ?? null,
      }
    : null;
  const id = raw.id ?? edgeId(raw.kind, raw.from, raw.to, via ? `${via.ref}#${via.statement ?? ''}` : '');
  const conditional = raw.conditional ?? false;
  const conditions = raw.conditions ?? null;
  const base = { id, from: raw.from, to: raw.to, source, via };
  switch (raw.kind) {
    case 'HAS_ACCESS':
      return {
        ...base,
        kind: raw.kind,
        props: {
          actions: (raw.actions ?? []).map((a) => a.toLowerCase()),
          levels: raw.levels ?? [],
          conditional,
          conditions,
        },
      };
    case 'CAN_ASSUME':
      return { ...base, kind: raw.kind, props: { conditional, conditions } };
    case 'CAN_ESCALATE':
      return { ...base, kind: raw.kind, props: { technique: raw.technique ?? '', conditional, conditions } };
    default:
      return { ...base, kind: raw.kind, props: {} };
  }
}

export const graphJsonIngester: Ingester = {
  name: 'accessgraph-graph',
  detect: (doc) =>
    typeof doc === 'object' && doc !== null && (doc as { format?: unknown }).format === GRAPH_FORMAT,
  async ingest(docs) {
    const out: IngestedSource[] = [];
    const seenSources = new Map<string, string>();
    for (const { file, doc } of docs) {
      validator()(doc, file);
      const g = doc as RawGraph;
      const earlier = seenSources.get(g.source.id);
      if (earlier)
        throw new IngestError(
          file,
          '$.source.id',
          `source ${g.source.id} is also defined by ${earlier}; give each file its own source id`,
        );
      seenSources.set(g.source.id, file);
      const nodeIds = new Map<string, number>();
      const nodes: GraphNode[] = g.nodes.map((n, i) => {
        const prev = nodeIds.get(n.id);
        if (prev !== undefined) {
          throw new IngestError(
            file,
            jsonPathJoin(jsonPathJoin('$.nodes', i), 'id'),
            `duplicate node id ${JSON.stringify(n.id)} (first at $.nodes[${prev}])`,
          );
        }
        nodeIds.set(n.id, i);
        const node: GraphNode = {
          id: n.id,
          cloud: n.cloud ?? g.source.cloud,
          kind: n.kind,
          name: n.name,
          source: g.source.id,
          props: n.props ?? {},
        };
        if (n.type !== undefined) node.type = n.type;
        return node;
      });
      const edgeIds = new Map<string, number>();
      const edges = g.edges.map((e, i) => {
        const edge = toEdge(e, g.source.id);
        const prev = edgeIds.get(edge.id);
        if (prev !== undefined) {
          throw new IngestError(
            file,
            jsonPathJoin('$.edges', i),
            `duplicate edge ${JSON.stringify(edge.id)} (first at $.edges[${prev}]); give parallel edges distinct ids or via`,
          );
        }
        edgeIds.set(edge.id, i);
        return edge;
      });
      const descriptor = {
        id: g.source.id,
        cloud: g.source.cloud,
        meta: { ...(g.source.meta ?? {}), format: GRAPH_FORMAT },
      };
      out.push({ descriptor, nodes, edges, warnings: [] });
    }
    return out;
  },
};
