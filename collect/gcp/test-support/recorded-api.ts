/** Recorded Google API responses for the collector tests: client-library rows (with their
 * empty protobuf defaults) and REST pages, served without any network. */
import type { GcpApi, Row } from '../api.js';

export const ORG = 'organizations/42';
async function* items<T>(list: T[]): AsyncIterable<T> {
  for (const x of list) yield x;
}
export const grpcError = (code: number, message: string) => Object.assign(new Error(message), { code });

/** Recorded shapes: client-library rows (empty protobuf defaults included) and REST pages. */
export function recordedApi(calls: string[]): GcpApi {
  let searchAttempts = 0;
  const rest: Record<string, unknown> = {
    'https://iam.googleapis.com/v1/projects/shop-prod/serviceAccounts': {
      accounts: [{ email: 'api@shop-prod.iam.gserviceaccount.com', uniqueId: '101', displayName: 'API' }],
      nextPageToken: 't2',
    },
    'https://iam.googleapis.com/v1/projects/shop-prod/serviceAccounts?pageToken=t2': {
      accounts: [{ email: 'batch@shop-prod.iam.gserviceaccount.com', uniqueId: '102', disabled: false }],
    },
    'https://iam.googleapis.com/v1/organizations/42/roles?view=FULL': {
      roles: [
        {
          name: 'organizations/42/roles/keyMaker',
          title: 'Key maker',
          includedPermissions: ['iam.serviceAccountKeys.create'],
        },
      ],
    },
    'https://iam.googleapis.com/v2/policies/cloudresourcemanager.googleapis.com%2Forganizations%2F42/denypolicies':
      {
        policies: [
          { name: 'policies/cloudresourcemanager.googleapis.com%2Forganizations%2F42/denypolicies/no-keys' },
        ],
      },
    'https://iam.googleapis.com/v2/policies/cloudresourcemanager.googleapis.com%2Forganizations%2F42/denypolicies/no-keys':
      {
        name: 'policies/cloudresourcemanager.googleapis.com%2Forganizations%2F42/denypolicies/no-keys',
        displayName: 'No keys',
        rules: [
          {
            denyRule: {
              deniedPrincipals: ['principal://goog/subject/mallet@shop.example'],
              deniedPermissions: ['iam.googleapis.com/serviceAccountKeys.create'],
            },
          },
        ],
      },
    'https://cloudidentity.googleapis.com/v1/groups:lookup?groupKey.id=ops%40shop.example': {
      name: 'groups/g-ops',
    },
    'https://cloudidentity.googleapis.com/v1/groups/g-ops/memberships?view=FULL': {
      memberships: [
        { preferredMemberKey: { id: 'Olga@shop.example' }, type: 'USER' },
        { preferredMemberKey: { id: 'oncall@shop.example' }, type: 'GROUP' },
      ],
    },
    'https://cloudidentity.googleapis.com/v1/groups:lookup?groupKey.id=oncall%40shop.example': {
      name: 'groups/g-oncall',
    },
    'https://cloudidentity.googleapis.com/v1/groups/g-oncall/memberships?view=FULL': {
      memberships: [{ preferredMemberKey: { id: 'pete@shop.example' }, type: 'USER' }],
    },
  };
  rest[
    `https://cloudasset.googleapis.com/v1/${ORG}/assets?contentType=RESOURCE&assetTypes=compute.googleapis.com%2FInstance&assetTypes=cloudfunctions.googleapis.com%2FCloudFunction&assetTypes=cloudfunctions.googleapis.com%2FFunction&assetTypes=run.googleapis.com%2FService`
  ] = {
    assets: [
      {
        name: '//compute.googleapis.com/projects/shop-prod/zones/europe-west1-b/instances/batch-1',
        assetType: 'compute.googleapis.com/Instance',
        resource: { data: { serviceAccounts: [{ email: 'batch@shop-prod.iam.gserviceaccount.com' }] } },
      },
    ],
  };
  return {
    getOrganization: async (name) => {
      calls.push(`getOrganization ${name}`);
      return { name, displayName: 'shop.example', directoryCustomerId: 'C0shop' };
    },
    listFolders: (parent) => {
      calls.push(`listFolders ${parent}`);
      if (parent === ORG) return items([{ name: 'folders/7', displayName: 'Prod', parent: ORG }]);
      if (parent === 'folders/7')
        return items([{ name: 'folders/8', displayName: 'Shop', parent: 'folders/7' }]);
      return items([]);
    },
    listProjects: (parent) => {
      calls.push(`listProjects ${parent}`);
      return parent === 'folders/8'
        ? items([{ name: 'projects/900', projectId: 'shop-prod', displayName: 'Shop', parent: 'folders/8' }])
        : items([]);
    },
    searchAllIamPolicies: (scope) => {
      calls.push(`searchAllIamPolicies ${scope}`);
      searchAttempts++;
      // the first listing is throttled part-way: it must be restarted, not half-kept
      if (searchAttempts === 1)
        return (async function* () {
          yield {
            resource: '//cloudresourcemanager.googleapis.com/projects/shop-prod',
            policy: { bindings: [] },
          } as Row;
          throw grpcError(8, 'RESOURCE_EXHAUSTED: quota');
        })();
      return items<Row>([
        {
          resource: '//cloudresourcemanager.googleapis.com/projects/shop-prod',
          assetType: 'cloudresourcemanager.googleapis.com/Project',
          project: 'projects/900',
          folders: ['folders/8', 'folders/7'],
          organization: ORG,
          policy: {
            version: 3,
            etag: Buffer.from('x'),
            bindings: [
              {
                role: 'roles/iam.serviceAccountTokenCreator',
                members: ['group:ops@shop.example'],
                condition: null,
              },
              {
                role: 'organizations/42/roles/keyMaker',
                members: ['user:mallet@shop.example', 'user:kim@shop.example'],
                condition: { expression: '', title: '', description: '' },
              },
              {
                role: 'roles/viewer',
                members: ['user:temp@shop.example'],
                condition: {
                  expression: 'request.time < timestamp("2030-01-01T00:00:00Z")',
                  title: 'temporary',
                  description: '',
                },
              },
            ],
          },
        },
      ]);
    },
    searchAllResources: (scope) => {
      calls.push(`searchAllResources ${scope}`);
      return items<Row>([
        {
          name: '//cloudresourcemanager.googleapis.com/projects/shop-prod',
          assetType: 'cloudresourcemanager.googleapis.com/Project',
          project: 'projects/900',
        },
        {
          name: '//compute.googleapis.com/projects/shop-prod/zones/europe-west1-b/instances/batch-1',
          assetType: 'compute.googleapis.com/Instance',
          project: 'projects/900',
          folders: ['folders/8', 'folders/7'],
          organization: ORG,
          displayName: 'batch-1',
          location: 'europe-west1-b',
          labels: { team: 'shop' },
        },
      ]);
    },
    restGet: async (url) => {
      calls.push(`GET ${url}`);
      if (url.includes('/v2/policies/cloudresourcemanager.googleapis.com%2Ffolders%2F7/'))
        throw Object.assign(new Error('The caller does not have permission'), { code: 403 });
      if (url in rest) return rest[url];
      return {};
    },
  };
}
