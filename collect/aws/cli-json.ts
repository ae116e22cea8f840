/**
 * SDK responses → JSON the way the AWS CLI prints it. The SDK returns timestamps as Date
 * objects and adds `$metadata`; the CLI prints timestamps as ISO 8601 with a `+00:00`
 * offset (Python's `datetime.isoformat()`: no fraction when it is zero, else six digits)
 * and has no `$metadata`. Undefined members are dropped, as JSON would.
 */

export function cliTimestamp(d: Date): string {
  const iso = d.toISOString(); // 2024-01-02T03:04:05.678Z
  const ms = d.getUTCMilliseconds();
  const seconds = iso.slice(0, 19);
  return ms === 0 ? `${seconds}+00:00` : `${seconds}.${String(ms).padStart(3, '0')}000+00:00`;
}

export function toCliJson(value: unknown): unknown {
  if (value instanceof Date) return cliTimestamp(value);
  if (Array.isArray(value)) return value.map(toCliJson);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$metadata' || v === undefined) continue;
      out[k] = toCliJson(v);
    }
    return out;
  }
  return value;
}
