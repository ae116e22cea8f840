/**
 * Password reset by the limited reset roles: each reaches users holding no role plus users
 * whose every role is on its documented list, and nobody else.
 */
import { describe, expect, it } from 'vitest';
import type { GraphEdge } from '../../graph/model.js';
import { ingestAzure } from './index.js';
import { LESSER_ROLES_BY_RESETTER } from './password-reset-targets.js';

const T = '0f0f0f0f-0000-4000-8000-000000000000';
const HOLDER = 'a1000000-0000-4000-8000-000000000001';
const VICTIM = 'a1000000-0000-4000-8000-000000000002';
const PLAIN = 'a1000000-0000-4000-8000-000000000003';
const RAG = 'a2000000-0000-4000-8000-000000000001';
const AU = 'a6000000-0000-4000-8000-000000000001';

const ROLE = {
  globalAdmin: '62e90394-69f5-4237-9190-012177145e10',
  privilegedAuthAdmin: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  partnerTier1: '4ba39ca4-527c-499a-b93d-d9b492c50246',
  partnerTier2: 'e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8',
  password: '966707d0-3269-4727-9be2-8c3a10f19b9d',
  helpdesk: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  auth: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  user: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  groups: 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
  directoryReaders: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  messageCenterReader: '790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b',
  custom: 'c0570000-0000-4000-8000-00000000c0de',
};

interface Tenant {
  resetter: string;
  scope?: string;
  victimRoles?: string[];
  victimEligible?: string[];
  victimInRoleAssignableGroup?: boolean;
  victimOwnsRoleAssignableGroup?: boolean;
}

/** Every user HOLDER reaches by password reset, following capability nodes. */
async function resettable(opts: Tenant): Promise<string[]> {
  const assign = (roles: string[] | undefined) =>
    (roles ?? []).map((id, i) => ({ id: `v${i}`, principalId: VICTIM, roleDefinitionId: id }));
  const [src] = await ingestAzure([
    {
      file: 't.json',
      doc: {
        format: 'accessgraph-azure-snapshot',
        version: 1,
        collectedAt: '2026-11-28T00:00:00Z',
        tenantId: T,
        users: [
          { id: HOLDER, displayName: 'holder' },
          { id: VICTIM, displayName: 'victim' },
          { id: PLAIN, displayName: 'plain' },
        ],
        groups: [
          {
            id: RAG,
            displayName: 'tier0',
            securityEnabled: true,
            mailEnabled: false,
            isAssignableToRole: true,
          },
        ],
        groupMembers: opts.victimInRoleAssignableGroup ? [{ groupId: RAG, memberId: VICTIM }] : [],
        owners: opts.victimOwnsRoleAssignableGroup ? [{ objectId: RAG, ownerId: VICTIM }] : [],
        administrativeUnits: [{ id: AU, displayName: 'au', members: [VICTIM, PLAIN] }],
        directoryRoleAssignments: [
          {
            id: 'h',
            principalId: HOLDER,
            roleDefinitionId: opts.resetter,
            directoryScopeId: opts.scope ?? '/',
          },
          ...assign(opts.victimRoles),
        ],
        directoryRoleEligibilities: assign(opts.victimEligible).map((a) => ({ ...a, id: `e${a.id}` })),
      },
    },
  ]);
  const esc = (src?.edges ?? []).filter((e: GraphEdge) => e.kind === 'CAN_ESCALATE');
  const out = new Set<string>();
  const todo = [`azure:user:${HOLDER}`];
  const seen = new Set(todo);
  while (todo.length) {
    const at = todo.pop() as string;
    for (const e of esc.filter((x) => x.from === at && !seen.has(x.to))) {
      seen.add(e.to);
      if (e.to.startsWith('azure:user:')) out.add(e.to.slice('azure:user:'.length));
      else if (e.to.startsWith('azure:capability:') && e.to.includes(':reset-')) todo.push(e.to);
    }
  }
  return [...out].sort();
}

const reaches = async (opts: Tenant) => (await resettable(opts)).includes(VICTIM);

const LIMITED = [
  ['Password Administrator', ROLE.password],
  ['Helpdesk Administrator', ROLE.helpdesk],
  ['Authentication Administrator', ROLE.auth],
  ['User Administrator', ROLE.user],
] as const;

describe('password reset within each role’s documented limits', () => {
  it.each(LIMITED)('%s reaches users holding no role', async (_name, resetter) => {
    expect(await resettable({ resetter })).toEqual([VICTIM, PLAIN].sort());
  });

  it.each(LIMITED)('%s reaches holders of every role on its list', async (_name, resetter) => {
    for (const lesser of LESSER_ROLES_BY_RESETTER.get(resetter) ?? []) {
      expect(await reaches({ resetter, victimRoles: [lesser.templateId] }), lesser.name).toBe(true);
    }
    // several roles, all on the list
    const [a, b] = LESSER_ROLES_BY_RESETTER.get(resetter) ?? [];
    expect(await reaches({ resetter, victimRoles: [a?.templateId ?? '', b?.templateId ?? ''] })).toBe(true);
  });

  it.each(LIMITED)(
    '%s does not reach Global Administrators, custom roles or mixed holders',
    async (_name, resetter) => {
      expect(await reaches({ resetter, victimRoles: [ROLE.globalAdmin] })).toBe(false);
      expect(await reaches({ resetter, victimRoles: [ROLE.privilegedAuthAdmin] })).toBe(false);
      expect(await reaches({ resetter, victimRoles: [ROLE.custom] })).toBe(false);
      expect(await reaches({ resetter, victimRoles: [ROLE.directoryReaders, ROLE.globalAdmin] })).toBe(false);
    },
  );

  it.each(LIMITED)(
    '%s: an eligible (PIM) role outside the list also protects the user',
    async (_name, resetter) => {
      expect(await reaches({ resetter, victimEligible: [ROLE.globalAdmin] })).toBe(false);
      expect(
        await reaches({ resetter, victimRoles: [ROLE.directoryReaders], victimEligible: [ROLE.globalAdmin] }),
      ).toBe(false);
      // an eligible role on the list does not
      expect(await reaches({ resetter, victimEligible: [ROLE.directoryReaders] })).toBe(true);
    },
  );

  it.each(LIMITED)(
    '%s does not reach members or owners of role-assignable groups',
    async (_name, resetter) => {
      expect(await reaches({ resetter, victimInRoleAssignableGroup: true })).toBe(false);
      expect(await reaches({ resetter, victimOwnsRoleAssignableGroup: true })).toBe(false);
    },
  );

  it.each(LIMITED)(
    '%s scoped to an administrative unit reaches only its members holding no role',
    async (_name, resetter) => {
      const scope = `/administrativeUnits/${AU}`;
      expect(await resettable({ resetter, scope })).toEqual([VICTIM, PLAIN].sort());
      expect(await reaches({ resetter, scope, victimRoles: [ROLE.directoryReaders] })).toBe(false);
      // the holder is not in the unit, so it is not a target either way
      expect(await resettable({ resetter, scope })).not.toContain(HOLDER);
    },
  );

  it('each list is the documented one', async () => {
    // Password Administrator: not Helpdesk Administrator, not Message Center Reader
    expect(await reaches({ resetter: ROLE.password, victimRoles: [ROLE.helpdesk] })).toBe(false);
    expect(await reaches({ resetter: ROLE.password, victimRoles: [ROLE.messageCenterReader] })).toBe(false);
    expect(await reaches({ resetter: ROLE.password, victimRoles: [ROLE.password] })).toBe(true);
    // Helpdesk Administrator: not Authentication, User or Groups Administrator
    expect(await reaches({ resetter: ROLE.helpdesk, victimRoles: [ROLE.auth] })).toBe(false);
    expect(await reaches({ resetter: ROLE.helpdesk, victimRoles: [ROLE.user] })).toBe(false);
    expect(await reaches({ resetter: ROLE.helpdesk, victimRoles: [ROLE.groups] })).toBe(false);
    expect(await reaches({ resetter: ROLE.helpdesk, victimRoles: [ROLE.helpdesk] })).toBe(true);
    // Authentication Administrator: itself, but not Helpdesk or User Administrator
    expect(await reaches({ resetter: ROLE.auth, victimRoles: [ROLE.auth] })).toBe(true);
    expect(await reaches({ resetter: ROLE.auth, victimRoles: [ROLE.helpdesk] })).toBe(false);
    expect(await reaches({ resetter: ROLE.auth, victimRoles: [ROLE.user] })).toBe(false);
    // User Administrator: Groups, Helpdesk and User Administrators, but not Authentication Administrator
    expect(await reaches({ resetter: ROLE.user, victimRoles: [ROLE.groups] })).toBe(true);
    expect(await reaches({ resetter: ROLE.user, victimRoles: [ROLE.helpdesk, ROLE.user] })).toBe(true);
    expect(await reaches({ resetter: ROLE.user, victimRoles: [ROLE.auth] })).toBe(false);
  });

  it('Partner Tier1 Support reaches only users holding no role', async () => {
    expect(await resettable({ resetter: ROLE.partnerTier1 })).toEqual([VICTIM, PLAIN].sort());
    expect(await reaches({ resetter: ROLE.partnerTier1, victimRoles: [ROLE.directoryReaders] })).toBe(false);
    expect(await reaches({ resetter: ROLE.partnerTier1, victimInRoleAssignableGroup: true })).toBe(false);
  });

  it('Privileged Authentication Administrator and Partner Tier2 Support reach everyone', async () => {
    for (const resetter of [ROLE.privilegedAuthAdmin, ROLE.partnerTier2]) {
      expect(await reaches({ resetter, victimRoles: [ROLE.globalAdmin] })).toBe(true);
      expect(await reaches({ resetter, victimInRoleAssignableGroup: true })).toBe(true);
    }
  });

  it('each resetting role has its own lesser-admin node, named after it', async () => {
    const [src] = await ingestAzure([
      {
        file: 't.json',
        doc: {
          format: 'accessgraph-azure-snapshot',
          version: 1,
          collectedAt: '2026-11-28T00:00:00Z',
          tenantId: T,
          users: [{ id: HOLDER, displayName: 'holder' }],
          directoryRoleAssignments: [
            { id: 'a', principalId: HOLDER, roleDefinitionId: ROLE.helpdesk },
            { id: 'b', principalId: HOLDER, roleDefinitionId: ROLE.password },
          ],
        },
      },
    ]);
    const nodes = (src?.nodes ?? []).filter((n) => n.props?.capability === 'reset-lesser-admin-password');
    expect(nodes.map((n) => n.id).sort()).toEqual(
      [
        `azure:capability:${T}:reset-lesser-admin-password:${ROLE.helpdesk}`,
        `azure:capability:${T}:reset-lesser-admin-password:${ROLE.password}`,
      ].sort(),
    );
    expect(nodes.find((n) => n.id.endsWith(ROLE.password))?.props?.resettableRoles).toEqual([
      'Directory Readers',
      'Guest Inviter',
      'Password Administrator',
    ]);
  });
});
