/**
 * Best-effort collection: a denied or failing call on one service, region or account is
 * written down and the collection goes on, so one missing permission costs one slice of the
 * snapshot rather than the whole run. The recorded shape is the snapshot schemas'
 * `collectionError` (service, operation, region, code, message).
 */

export interface CollectionError {
  service: string;
  operation: string;
  region?: string;
  code?: string;
  message: string;
}

export interface CallSite {
  service: string;
  /** the operation to name when the error does not carry its own (see noteOperation) */
  operation: string;
  region?: string;
}

/** The error's code as the SDKs name it (`name` for AWS SDK v3, `code` for Google/Azure). */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { name?: unknown; code?: unknown; Code?: unknown };
  for (const v of [e.Code, e.code, e.name]) {
    if (typeof v === 'string' && v.length > 0 && v !== 'Error') return v;
    if (typeof v === 'number') return String(v);
  }
  return undefined;
}

// The API operation that failed, noted where the call is made (see `noteOperation`), so an
// error caught further out still names the exact call rather than the step around it.
const failedOperation = new WeakMap<object, string>();

/** Remember which operation `err` came from; the innermost (first) note wins. */
export function noteOperation(err: unknown, operation: string): void {
  if (typeof err === 'object' && err !== null && !failedOperation.has(err))
    failedOperation.set(err, operation);
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

export class ErrorLog {
  readonly entries: CollectionError[] = [];

  record(site: CallSite, err: unknown, prefix?: string): void {
    const code = errorCode(err);
    const message = errorMessage(err);
    this.entries.push({
      service: site.service,
      operation: (typeof err === 'object' && err !== null && failedOperation.get(err)) || site.operation,
      ...(site.region ? { region: site.region } : {}),
      ...(code ? { code } : {}),
      message: prefix ? `${prefix}: ${message}` : message,
    });
  }

  /** Run one call; on failure record it and return undefined instead of throwing. */
  async attempt<T>(site: CallSite, fn: () => Promise<T>, prefix?: string): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      this.record(site, err, prefix);
      return undefined;
    }
  }
}

/** Code-point order: the same on every machine and locale, so output files are reproducible. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Errors in a fixed order (concurrent calls record them in whatever order they fail). */
export function sortedErrors(errors: readonly CollectionError[]): CollectionError[] {
  const key = (e: CollectionError) => [e.service, e.operation, e.region ?? '', e.message].join('\u0000');
  return [...errors].sort((a, b) => compareText(key(a), key(b)));
}
