/**
 * Bad input must say which file, where in it (a JSON path like `$.Policies[3].PolicyVersionList[0]`)
 * and what is wrong, and the CLI maps it to exit code 2.
 */
export class IngestError extends Error {
  constructor(
    readonly file: string,
    readonly jsonPath: string,
    readonly problem: string,
  ) {
    super(`${file}: ${jsonPath}: ${problem}`);
    this.name = 'IngestError';
  }
}

/** Append a property or index to a JSON path, quoting keys that are not plain identifiers. */
export function jsonPathJoin(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}
