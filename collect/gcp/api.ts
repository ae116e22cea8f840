/**
 * The Google Cloud calls `collect gcp` makes, behind one interface so tests inject recorded
 * responses and never call Google. `googleApi()` is the real one: the resource-manager and
 * Cloud Asset client libraries (their async iterators page through results), and plain REST
 * through google-auth-library for the APIs without a client here (IAM roles, service
 * accounts, deny policies, Cloud Identity groups, asset listings with resource data).
 * Credentials come from Application Default Credentials and are never stored.
 */
import { AssetServiceClient } from '@google-cloud/asset';
import { FoldersClient, OrganizationsClient, ProjectsClient } from '@google-cloud/resource-manager';
import { GoogleAuth } from 'google-auth-library';

export interface OrganizationInfo {
  name: string;
  displayName?: string | null;
  directoryCustomerId?: string | null;
}
export interface FolderInfo {
  name: string;
  displayName?: string | null;
  parent: string;
}
export interface ProjectInfo {
  /** `projects/<number>` */
  name: string;
  projectId: string;
  displayName?: string | null;
  parent?: string | null;
}
/** A search result as the client library returns it (camelCase, possibly protobuf-shaped). */
export type Row = Record<string, unknown>;

export interface GcpApi {
  getOrganization(name: string): Promise<OrganizationInfo>;
  listFolders(parent: string): AsyncIterable<FolderInfo>;
  listProjects(parent: string): AsyncIterable<ProjectInfo>;
  searchAllIamPolicies(scope: string): AsyncIterable<Row>;
  searchAllResources(scope: string): AsyncIterable<Row>;
  /** one GET against a Google REST API, parsed JSON */
  restGet(url: string): Promise<unknown>;
}

export function googleApi(): GcpApi {
  const orgs = new OrganizationsClient();
  const folders = new FoldersClient();
  const projects = new ProjectsClient();
  const assets = new AssetServiceClient();
  const auth = new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
  return {
    getOrganization: async (name) => {
      const [org] = await orgs.getOrganization({ name });
      return {
        name: org.name ?? name,
        displayName: org.displayName,
        directoryCustomerId: org.directoryCustomerId,
      };
    },
    listFolders: async function* (parent) {
      for await (const f of folders.listFoldersAsync({ parent }))
        if (f.name) yield { name: f.name, displayName: f.displayName, parent: f.parent ?? parent };
    },
    listProjects: async function* (parent) {
      for await (const p of projects.listProjectsAsync({ parent }))
        if (p.name && p.projectId)
          yield { name: p.name, projectId: p.projectId, displayName: p.displayName, parent: p.parent };
    },
    searchAllIamPolicies: (scope) => assets.searchAllIamPoliciesAsync({ scope }) as AsyncIterable<Row>,
    searchAllResources: (scope) => assets.searchAllResourcesAsync({ scope }) as AsyncIterable<Row>,
    restGet: async (url) => {
      const client = await auth.getClient();
      return (await client.request({ url })).data;
    },
  };
}
