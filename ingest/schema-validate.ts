/**
 * JSON Schema validation (ajv, draft 2020-12) that reports the first problem as an
 * IngestError with a `$.a.b[3]` JSON path, the way every ingester reports bad input.
 */
import { createRequire } from 'node:module';
import type { Ajv2020 as Ajv2020Class, ErrorObject } from 'ajv/dist/2020.js';
import { IngestError } from './errors.js';

// ajv ships CommonJS whose default export TypeScript's NodeNext view cannot construct;
// requiring it gives the class directly.
const Ajv2020 = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof Ajv2020Class;

function toJsonPath(instancePath: string): string {
  if (!instancePath) return '$';
  return `$${instancePath
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((seg) =>
      /^\d+$/.test(seg)
        ? `[${seg}]`
        : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(seg)
          ? `.${seg}`
          : `[${JSON.stringify(seg)}]`,
    )
    .join('')}`;
}

function describe(e: ErrorObject): { path: string; problem: string } {
  const path = toJsonPath(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { path, problem: `missing required property "${String(p.missingProperty)}"` };
    case 'additionalProperties':
      return { path, problem: `unknown property "${String(p.additionalProperty)}"` };
    case 'enum':
      return {
        path,
        problem: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'const':
      return { path, problem: `must be ${JSON.stringify(p.allowedValue)}` };
    default:
      return { path, problem: e.message ?? e.keyword };
  }
}

/** Most specific error first: deepest path, and not the generic if/then wrappers. */
function pick(errors: ErrorObject[]): ErrorObject {
  const useful = errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'allOf');
  const list = useful.length ? useful : errors;
  return list.reduce((a, b) => (b.instancePath.length > a.instancePath.length ? b : a));
}

export function compileSchema(schema: object): (doc: unknown, file: string) => void {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const check = ajv.compile(schema);
  return (doc, file) => {
    if (check(doc)) return;
    const { path, problem } = describe(pick(check.errors ?? []));
    throw new IngestError(file, path, problem);
  };
}
