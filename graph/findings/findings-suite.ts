/** Findings on the fixture account, identical on every store (run by each store's test file). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GraphStore } from '../store.js';
import { A, CLOUD_NOW, cloudSources, G } from './cloud-findings-fixtures.js';
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

  describe(`cloud findings (GCP, Azure): ${name}`, () => {
    let store: GraphStore;
    beforeEach(async () => {
      store = await open();
      for (const s of await cloudSources())
        await store.replaceSource(s.descriptor, async (w) => {
          await w.addNodes(s.nodes);
          await w.addEdges(s.edges);
        });
    });
    afterEach(async () => {
      await store.close();
    });
    const run = async (kind: Finding['kind']) => {
      const { findings, truncated } = await findFindings(store, { now: CLOUD_NOW, kinds: [kind] });
      expect(truncated).toBe(false);
      return findings;
    };
    const pairs = (fs: Finding[]) => fs.map((f) => [f.severity, f.principal, f.target].join(' | ')).sort();

    it('public-access: allUsers bindings and anonymous blob containers, not containers their account closes', async () => {
      expect(pairs(await run('public-access'))).toEqual(
        [
          `high | ${G.allUsers} | ${G.publicAssets}`,
          `high | ${A.anonymous} | ${A.publicAssets}`,
          // the account's allowBlobPublicAccess is not in the inputs: kept, conditional
          `medium | ${A.anonymous} | ${A.unknownAccountContainer}`,
        ].sort(),
      );
    });

    it('external-member: other domains, consumer accounts, foreign projects, guests and other tenants; not our own look-alikes', async () => {
      const findings = await run('external-member');
      const principals = new Set(findings.map((f) => f.principal));
      expect([...principals].sort()).toEqual(
        [
          G.partnerUser,
          G.gmailUser,
          G.vendorViaGroup,
          G.partnerDomain,
          G.foreignSa,
          A.guestOwner,
          A.extMember,
          A.guestHelpdesk,
          A.vendorSp,
        ].sort(),
      );
      const one = (p: string, t: string) => findings.find((f) => f.principal === p && f.target === t);
      expect(one(G.gmailUser, G.invoices)).toMatchObject({
        severity: 'low',
        details: { outsider: 'consumer-account' },
      });
      expect(one(G.partnerUser, G.web)?.severity).toBe('high');
      expect(one(G.foreignSa, G.ledger)).toMatchObject({
        details: { outsider: 'other-project', home: 'other-company-42' },
      });
      expect(one(A.guestOwner, A.dev)).toMatchObject({
        severity: 'high',
        details: { outsider: 'guest', home: 'partner.example' },
      });
      expect(one(A.extMember, A.rgApp)?.severity).toBe('low');
      expect(one(A.vendorSp, A.rgData)).toMatchObject({
        severity: 'medium',
        details: { outsider: 'other-tenant' },
      });
      // a directory role reaches the tenant through an escalation edge
      expect(findings.find((f) => f.principal === A.guestHelpdesk)?.path.map((h) => h.edge)).toEqual([
        'CAN_ESCALATE',
      ]);
      // through a group of ours: the membership, then the group's binding
      const vic = one(G.vendorViaGroup, G.sandbox);
      expect(vic?.path.map((h) => [h.from, h.edge, h.to])).toEqual([
        [G.vendorViaGroup, 'MEMBER_OF', G.vendorsGroup],
        [G.vendorsGroup, 'HAS_ACCESS', G.sandbox],
      ]);
      expect(vic?.remediation).toContain('vendors@example.com');
    });

    it('default-service-account-admin: default accounts holding Editor or Owner, with the binding', async () => {
      const findings = await run('default-service-account-admin');
      expect(pairs(findings)).toEqual(
        [
          `high | ${G.computeDefault} | ${G.payments}`,
          `high | ${G.appEngineDefault} | ${G.production}`,
        ].sort(),
      );
      const owner = findings.find((f) => f.principal === G.appEngineDefault);
      expect(owner?.details).toMatchObject({ role: 'roles/owner', defaultAccount: 'app-engine' });
      expect(owner?.path).toHaveLength(1);
      expect(owner?.path[0]?.via?.ref).toBe(`${G.production}#iam-policy`);
    });

    it('dormant-access from GCP last authentication and Entra sign-in activity', async () => {
      expect(pairs(await run('dormant-access'))).toEqual(
        [
          `high | ${G.rootAdmin} | ${G.org}`,
          `high | ${A.walt} | azure:/providers/microsoft.management/managementgroups/${A.tenant}`,
          // never signed in since its creation; its Owner is PIM-eligible (conditional)
          `medium | ${A.xena} | ${A.dev}`,
        ].sort(),
      );
    });
  });
}
