// Placeholder: replaced by the Neo4j test launcher (tools/neo4j-local).
import type { TestProject } from 'vitest/node';

export default function setup(project: TestProject) {
  project.provide('neo4j', null);
}

declare module 'vitest' {
  export interface ProvidedContext {
    neo4j: { uri: string; user: string; password: string } | null;
  }
}
