/** Pieces of `aws iam get-account-authorization-details` output for hand-written test accounts. */

/** A customer managed policy of the export's `Policies` list, with one (default) version. */
export function managedPolicyEntry(accountId: string, name: string, document: unknown) {
  return {
    PolicyName: name,
    PolicyId: `ANPA${name.toUpperCase()}`,
    Arn: `arn:aws:iam::${accountId}:policy/${name}`,
    Path: '/',
    DefaultVersionId: 'v1',
    AttachmentCount: 1,
    IsAttachable: true,
    PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: document }],
  };
}
