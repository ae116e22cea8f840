import { describe, expect, it } from 'vitest';
import { RoleCatalog } from './roles-catalog.js';
import { catalogueFromApi, listPredefinedRoles, type RolesPage } from './roles-refresh.js';

// recorded shape of roles.list?view=FULL, two pages
const PAGES: Record<string, RolesPage> = {
  '': {
    roles: [
      {
        name: 'roles/storage.objectViewer',
        title: 'Storage Object Viewer',
        includedPermissions: ['storage.objects.list', 'storage.objects.get'],
        stage: 'GA',
      },
      { name: 'roles/old.thing', title: 'Old', includedPermissions: ['old.things.get'], deleted: true },
    ],
    nextPageToken: 'p2',
  },
  p2: {
    roles: [
      { name: 'roles/run.invoker', title: 'Cloud Run Invoker', includedPermissions: ['run.routes.invoke'] },
    ],
  },
};

describe('refreshing the predefined-role catalogue', () => {
  it('reads every page and writes a dated, honest catalogue', async () => {
    const urls: string[] = [];
    const roles = await listPredefinedRoles(async (url) => {
      urls.push(url);
      return PAGES[new URL(url).searchParams.get('pageToken') ?? ''];
    });
    expect(urls).toHaveLength(2);
    expect(urls[0]).toContain('view=FULL');
    const cat = catalogueFromApi(roles, new Date('2027-02-03T10:00:00Z'));
    expect(cat).toMatchObject({ generatedAt: '2027-02-03', source: 'iam.roles.list?view=FULL' });
    expect(Object.keys(cat.roles)).toEqual(['roles/run.invoker', 'roles/storage.objectViewer']);
    expect(cat.roles['roles/storage.objectViewer']?.permissions).toEqual([
      'storage.objects.get',
      'storage.objects.list',
    ]);
    // the ingester reads the refreshed catalogue as it reads the shipped one
    const catalog = new RoleCatalog(cat);
    expect(catalog.get('roles/run.invoker')?.permissions).toEqual(['run.routes.invoke']);
    expect(catalog.catalogue.source).toBe('iam.roles.list?view=FULL');
  });

  it('refuses a page token that repeats', async () => {
    await expect(listPredefinedRoles(async () => ({ roles: [], nextPageToken: 'same' }))).rejects.toThrow(
      /repeated/,
    );
  });

  it('the shipped catalogue says it is a hand-curated subset and covers the escalation catalogue roles', () => {
    const shipped = new RoleCatalog();
    expect(shipped.catalogue.source).toBe('hand-curated');
    expect(shipped.get('roles/owner')?.subset).toBe(true);
    for (const r of [
      'roles/iam.serviceAccountTokenCreator',
      'roles/iam.serviceAccountUser',
      'roles/iam.serviceAccountKeyAdmin',
      'roles/iam.roleAdmin',
      'roles/resourcemanager.organizationAdmin',
      'roles/orgpolicy.policyAdmin',
      'roles/deploymentmanager.editor',
      'roles/cloudbuild.builds.editor',
      'roles/cloudfunctions.developer',
      'roles/run.admin',
      'roles/cloudscheduler.admin',
      'roles/serviceusage.apiKeysAdmin',
      'roles/storage.hmacKeyAdmin',
      'roles/secretmanager.secretAccessor',
      'roles/bigquery.dataViewer',
      'roles/cloudsql.client',
    ])
      expect(shipped.get(r), r).toBeDefined();
    // every permission the escalation methods test is held by some shipped role
    const all = new Set(shipped.allPermissions());
    for (const p of [
      'iam.serviceaccounts.getaccesstoken',
      'iam.serviceaccounts.signblob',
      'iam.serviceaccounts.signjwt',
      'iam.serviceaccounts.implicitdelegation',
      'iam.serviceaccountkeys.create',
      'iam.roles.update',
      'orgpolicy.policy.set',
      'deploymentmanager.deployments.create',
      'cloudbuild.builds.create',
      'cloudfunctions.functions.sourcecodeset',
      'compute.instances.setserviceaccount',
      'run.services.create',
      'cloudscheduler.jobs.create',
      'serviceusage.apikeys.create',
      'storage.hmackeys.create',
      'resourcemanager.organizations.setiampolicy',
      'resourcemanager.folders.setiampolicy',
      'resourcemanager.projects.setiampolicy',
    ])
      expect(all.has(p), p).toBe(true);
  });
});
