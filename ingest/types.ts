/**
 * What every ingester produces: one or more sources, each a complete new version of that
 * source's nodes and edges, ready for `GraphStore.replaceSource`.
 */
import type { GraphEdge, GraphNode } from '../graph/model.js';
import type { SourceDescriptor, StagedRows } from '../graph/store.js';

export interface IngestedSource {
  descriptor: SourceDescriptor;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** non-fatal notes for the user (skipped unknown fields, collection errors recorded in a snapshot) */
  warnings: string[];
}

/**
 * A source a build worker evaluated and staged as a file in the store's row form
 * (GraphStore.staging) instead of sending its nodes and edges back.
 */
export interface StagedSource {
  descriptor: SourceDescriptor;
  warnings: string[];
  rows: StagedRows;
}

/** What a load needs to know of a built source, however it arrives. */
export type BuiltSource = IngestedSource | StagedSource;

/**
 * A source whose input has been read and validated but not yet evaluated. `build` does the
 * heavy work (policy evaluation, graph building) and may be called once: ingest validates
 * every input first (so bad input fails before anything is written), then builds and loads
 * one source at a time, so memory holds one evaluated source, not the whole organization.
 */
export interface PlannedSource {
  /** the id the built source's descriptor will carry, known before building */
  id: string;
  build(): Promise<IngestedSource>;
  /**
   * The same build as plain data, for a worker thread (ingest/build-pool.ts). Like `build`,
   * it hands the input over once. Sources whose build is cheap leave it out.
   */
  job?(): BuildJob;
}

/** A build a worker can run (ingest/build-jobs.ts runBuildJob): structured-clonable data only. */
export type BuildJob =
  | { kind: 'aws-snapshot-account'; payload: import('./aws/snapshot.js').SnapshotAccountJob }
  | {
      kind: 'aws-authorization-details';
      payload: import('./aws/authorization-details.js').AuthorizationDetailsJob;
    };

/** An ingester recognises its inputs and turns them into sources. */
export interface Ingester {
  /** short name shown to users, e.g. `aws-authorization-details` */
  name: string;
  /** true when this ingester understands the parsed JSON document found at `file` */
  detect(doc: unknown, file: string): boolean;
  /** parse, validate and normalize; throws IngestError on bad input */
  ingest(docs: ReadonlyArray<{ file: string; doc: unknown }>): Promise<IngestedSource[]>;
  /**
   * Validate everything (throwing IngestError on bad input) and return the sources to build
   * one by one. Ingesters whose sources are cheap leave it out: their sources are built
   * eagerly by `ingest`.
   */
  plan?(docs: ReadonlyArray<{ file: string; doc: unknown }>): Promise<PlannedSource[]>;
}

/**
 * A planned source's input, handed over once (to `build` or to `job`) and then let go, so
 * memory does not hold an input whose source is built. A second call throws.
 */
export function handOver<T>(id: string, input: T): () => T {
  let held: T | undefined = input;
  return () => {
    if (held === undefined) throw new Error(`${id} was already built`);
    const out = held;
    held = undefined;
    return out;
  };
}

/** Build planned sources in order, all kept (small inputs, tests). */
export async function buildAll(planned: readonly PlannedSource[]): Promise<IngestedSource[]> {
  const out: IngestedSource[] = [];
  for (const p of planned) out.push(await p.build());
  return out;
}

/** Sources already built, as planned sources (for ingesters without `plan`). */
export function builtSources(sources: readonly IngestedSource[]): PlannedSource[] {
  return sources.map((s) => ({ id: s.descriptor.id, build: async () => s }));
}
