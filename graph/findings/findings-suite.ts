/** Findings on the fixture account, identical on every store (run by each store's test file). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GraphStore } from '../store.js';
import { findFindings } from './compute.js';
import { F, findingsGraph, NOW, SRC } from './findings-fixtures.js';
import type { Finding } from './types.js';

const summary = (f: Finding) => [f.kind, f.severity, f.principal, f.target, f.technique ?? ''].join(' | ');

export function defineFindingsSuite(name: string, open: () => Promise<GraphStore>): void {
  describe(`findings: ${name}`, () => {
    let store: GraphStore;
    beforeEach(async () => {
      store = await open();
      const g = findingsGraph();
      await store.replaceSource(SRC, async (w) => {
        await w.addNodes(g.nodes);
        await w.addEdges(g.edges);
      });
    });
    afterEach(async () => {
      await store.close();
    });

    it('finds every planted risk and none of the look-alikes', async () => {
      const { findings, truncated } = await findFindings(store, { now: NOW });
      expect(truncated).toBe(false);
      expect(findings.map(summary).sort()).toEqual(
        [
          `privilege-escalation | critical | ${F.alice} | ${F.adminNode} | iam-001`,
          `privilege-escalation | critical | ${F.deployer} | ${F.adminRole} | lambda-001`,
          `privilege-escalation | critical | ${F.bob} | ${F.adminRole} | lambda-001`,
          `admin-equivalent | high | ${F.adminRole} | ${F.account} | `,
          `admin-equivalent | high | ${F.admins} | ${F.account} | `,
          `admin-equivalent | high | ${F.carol} | ${F.account} | `,
          `admin-equivalent | high | ${F.erin} | ${F.account} | `,
          `public-access | high | ${F.anyone} | ${F.publicBucket} | `,
          `external-trust | high | ${F.vendor} | ${F.vendorRole} | `,
          `external-trust | high | ${F.github} | ${F.ciRole} | `,
          `cross-account-access | medium | ${F.auditor} | ${F.auditRole} | `,
          `cross-account-access | info | ${F.siblingRoot} | ${F.siblingRole} | `,
          `dormant-access | high | ${F.erin} | ${F.account} | `,
          `dormant-access | medium | ${F.gina} | ${F.customerDb} | `,
          `unused-permissions | low | ${F.hank} | ${F.hank} | `,
        ].sort(),
      );
    });

    it('explains every hop and names the statement to change', async () => {
      const { findings } = await findFindings(store, { now: NOW, kinds: ['privilege-escalation'] });
      const bob = findings.find((f) => f.principal === F.bob);
      expect(bob?.path.map((h) => [h.from, h.edge, h.to])).toEqual([
        [F.bob, 'CAN_ASSUME', F.deployer],
        [F.deployer, 'CAN_ESCALATE', F.adminRole],
      ]);
      expect(bob?.path.every((h) => h.via !== null)).toBe(true);
      expect(bob?.path[1]?.technique).toBe('lambda-001');
      expect(bob?.remediation).toContain('escalation lambda-001');
      expect(bob?.id).toMatch(/^privilege-escalation:[0-9a-f]{16}$/);
      const again = await findFindings(store, { now: NOW, kinds: ['privilege-escalation'] });
      expect(again.findings.map((f) => f.id)).toEqual(findings.map((f) => f.id));
      const alice = findings.find((f) => f.principal === F.alice);
      expect(alice?.details?.techniques).toEqual(['iam-001', 'iam-005']);
      expect(alice?.title).toContain('+1 more techniques');
    });

    it('filters by kind and minimum severity, ordered most severe first', async () => {
      const { findings } = await findFindings(store, { now: NOW, minSeverity: 'high' });
      expect(findings.every((f) => f.severity === 'critical' || f.severity === 'high')).toBe(true);
      expect(findings[0]?.severity).toBe('critical');
      const dormant = await findFindings(store, { now: NOW, kinds: ['dormant-access'], dormantDays: 2000 });
      expect(dormant.findings.map((f) => f.principal)).toEqual([]);
    });
  });
}
