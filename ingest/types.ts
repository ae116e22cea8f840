/**
 * What every ingester produces: one or more sources, each a complete new version of that
 * source's nodes and edges, ready for `GraphStore.replaceSource`.
 */
import type { GraphEdge, GraphNode } from '../graph/model.js';
import type { SourceDescriptor } from '../graph/store.js';

export interface IngestedSource {
  descriptor: SourceDescriptor;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** non-fatal notes for the user (skipped unknown fields, collection errors recorded in a snapshot) */
  warnings: string[];
}

/** An ingester recognises its inputs and turns them into sources. */
export interface Ingester {
  /** short name shown to users, e.g. `aws-authorization-details` */
  name: string;
  /** true when this ingester understands the parsed JSON document found at `file` */
  detect(doc: unknown, file: string): boolean;
  /** parse, validate and normalize; throws IngestError on bad input */
  ingest(docs: ReadonlyArray<{ file: string; doc: unknown }>): Promise<IngestedSource[]>;
}
