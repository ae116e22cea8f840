import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideAtResource, decideCondition } from './conditions.js';

const NOW = new Date('2026-11-29T12:00:00Z');
const at = (expression: string, resource?: { name: string; type: string; service: string }) =>
  decideCondition(expression, resource ? { now: NOW, resource } : { now: NOW });
const BUCKET = {
  name: 'projects/_/buckets/prod-logs',
  type: 'storage.googleapis.com/Bucket',
  service: 'storage.googleapis.com',
};

describe('IAM Conditions, decided statically', () => {
  it('request.time against timestamps and the ingest time', () => {
    expect(at('request.time < timestamp("2027-01-01T00:00:00Z")')).toBe(true);
    expect(at('request.time < timestamp("2026-01-01T00:00:00Z")')).toBe(false);
    expect(at("request.time >= timestamp('2026-11-29T12:00:00Z')")).toBe(true);
    expect(at('request.time > timestamp("2026-11-29T12:00:00Z")')).toBe(false);
  });

  it('resource attributes only when the resource is known', () => {
    const e = 'resource.name.startsWith("projects/_/buckets/prod-")';
    expect(at(e)).toBeNull();
    expect(at(e, BUCKET)).toBe(true);
    expect(at('resource.type == "storage.googleapis.com/Bucket"', BUCKET)).toBe(true);
    expect(at('resource.service != "storage.googleapis.com"', BUCKET)).toBe(false);
  });

  it('three-valued logic: a known side can decide && and || alone', () => {
    const unknown = 'request.time.getHours("Europe/Berlin") < 18';
    expect(at(unknown)).toBeNull();
    expect(at(`request.time < timestamp("2020-01-01T00:00:00Z") && ${unknown}`)).toBe(false);
    expect(at(`request.time > timestamp("2020-01-01T00:00:00Z") || ${unknown}`)).toBe(true);
    expect(at(`request.time > timestamp("2020-01-01T00:00:00Z") && ${unknown}`)).toBeNull();
    expect(at(`!(${unknown})`)).toBeNull();
    expect(at('!(request.time < timestamp("2020-01-01T00:00:00Z"))')).toBe(true);
  });

  it('anything not understood is undecided, never an error', () => {
    for (const e of [
      "resource.matchTag('123/env', 'prod')",
      'api.getAttribute("iam.googleapis.com/modifiedGrantsByRole", []).hasOnly(["roles/viewer"])',
      'request.auth.claims["email"] == "x"',
      'resource.name in ["a", "b"]',
      '"unterminated',
      '',
    ])
      expect(at(e)).toBeNull();
  });

  it('at a resource, a result holds only if sub-resources (objects) get it too', () => {
    // an object under the bucket also starts with the prefix: decided
    expect(decideAtResource('resource.name.startsWith("projects/_/buckets/prod-")', NOW, BUCKET)).toBe(true);
    // equality with the bucket name fails for its objects: left undecided
    expect(decideAtResource('resource.name == "projects/_/buckets/prod-logs"', NOW, BUCKET)).toBeNull();
    // the type differs for objects: undecided
    expect(decideAtResource('resource.type == "storage.googleapis.com/Bucket"', NOW, BUCKET)).toBeNull();
    // a prefix that excludes the bucket excludes its objects too
    expect(decideAtResource('resource.name.startsWith("projects/_/buckets/dev-")', NOW, BUCKET)).toBe(false);
    // time conditions do not depend on the resource
    expect(decideAtResource('request.time < timestamp("2020-01-01T00:00:00Z")', NOW, BUCKET)).toBe(false);
  });

  it('property: request.time < timestamp(t) is decided exactly as the clock says', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (t) => {
          expect(at(`request.time < timestamp("${t.toISOString()}")`)).toBe(NOW.getTime() < t.getTime());
        },
      ),
    );
  });

  it('property: De Morgan and double negation hold in the three-valued logic', () => {
    const atoms = fc.constantFrom(
      'request.time < timestamp("2020-01-01T00:00:00Z")',
      'request.time < timestamp("2030-01-01T00:00:00Z")',
      'request.time.getHours("UTC") < 9',
      "resource.matchTag('1/env', 'prod')",
    );
    fc.assert(
      fc.property(atoms, atoms, (a, b) => {
        expect(at(`!((${a}) && (${b}))`)).toBe(at(`!(${a}) || !(${b})`));
        expect(at(`!((${a}) || (${b}))`)).toBe(at(`!(${a}) && !(${b})`));
        expect(at(`!!(${a})`)).toBe(at(a));
      }),
    );
  });
});
