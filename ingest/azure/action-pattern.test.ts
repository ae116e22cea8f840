import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionMatches } from './action-pattern.js';

const segment = fc.stringMatching(/^[A-Za-z][A-Za-z0-9.]{0,8}$/);
const operation = fc.array(segment, { minLength: 2, maxLength: 5 }).map((s) => s.join('/'));

describe('Azure action patterns', () => {
  it('matches case-insensitively, with * anywhere', () => {
    expect(actionMatches('Microsoft.Compute/*', 'microsoft.compute/virtualMachines/runCommand/action')).toBe(
      true,
    );
    expect(actionMatches('*/read', 'Microsoft.KeyVault/vaults/read')).toBe(true);
    expect(actionMatches('*/read', 'Microsoft.KeyVault/vaults/write')).toBe(false);
    expect(
      actionMatches('Microsoft.Authorization/*/Write', 'microsoft.authorization/roleassignments/write'),
    ).toBe(true);
    expect(actionMatches('Microsoft.Compute/*', 'Microsoft.ComputeX/disks/read')).toBe(false);
    expect(actionMatches('Microsoft.Web/sites/*', 'Microsoft.Web/sites')).toBe(false);
  });

  it('treats regex characters in names literally', () => {
    expect(actionMatches('Microsoft.Storage/x', 'MicrosoftXStorage/x')).toBe(false);
  });

  it('a concrete operation matches itself in any case, and * matches everything', () => {
    fc.assert(
      fc.property(operation, (op) => {
        expect(actionMatches(op, op.toUpperCase())).toBe(true);
        expect(actionMatches('*', op)).toBe(true);
      }),
    );
  });

  it('a namespace wildcard matches exactly the operations under that namespace', () => {
    fc.assert(
      fc.property(operation, operation, (a, b) => {
        const ns = a.split('/')[0] as string;
        expect(actionMatches(`${ns}/*`, b)).toBe(b.toLowerCase().startsWith(`${ns.toLowerCase()}/`));
      }),
    );
  });
});
