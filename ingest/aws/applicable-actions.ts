/**
 * Which actions can touch a resource of a given AWS type. An account-wide grant
 * (`Resource: "*"`) reaches every resource in the account through CONTAINS, but only its
 * actions that act on that resource's service matter there: `cloudformation:*` on an
 * account does not reach an S3 bucket, `s3:GetObject` and `ssm:SendCommand` (which acts on
 * EC2 instances) do. Object-level actions count for their bucket, since a bucket contains
 * its objects.
 */
import { ActionCatalog } from './action-catalog.js';

let catalog: Promise<ActionCatalog> | null = null;
const byService = new Map<string, string[]>();

function fullCatalog(): Promise<ActionCatalog> {
  catalog ??= (async () => {
    const c = new ActionCatalog();
    await c.load(['*']);
    return c;
  })();
  return catalog;
}

/** Lowercase actions that act on resources of `type`'s service (`s3:bucket` → s3), or null when the type is not an AWS resource type. */
export async function awsActionsApplicableTo(type: string | undefined): Promise<string[] | null> {
  const m = /^([a-z0-9-]+):[a-z0-9-]+$/.exec(type ?? '');
  if (!m || m[1] === 'aws') return null; // containers, policies, patterns: not a typed resource
  const service = m[1]!;
  let actions = byService.get(service);
  if (!actions) {
    const c = await fullCatalog();
    if (!c.services().includes(service)) return null;
    actions = c.expand(['*'], null, service).map((a) => a.id);
    byService.set(service, actions);
  }
  return actions;
}
