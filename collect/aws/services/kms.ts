import { GetKeyPolicyCommand, KMSClient, ListAliasesCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { mapLimit } from '../../common/map-limit.js';
import type { AwsContext } from '../context.js';
import { readPolicy, type ServiceCollector, withPolicy } from './service.js';

export const kmsCollector: ServiceCollector = {
  name: 'kms',
  scope: 'region',
  async collect(ctx: AwsContext, region: string) {
    const kms = ctx.clients.get(KMSClient, region);
    const keys = (
      await ctx.pages(
        'ListKeys',
        (Marker) => kms.send(new ListKeysCommand({ Marker, Limit: 1000 })),
        (p) => (p.Truncated ? p.NextMarker : undefined),
      )
    ).flatMap((p) => p.Keys ?? []);
    // Aliases only name keys; losing them loses names, not access, so failures are recorded and skipped.
    const aliasPages = await ctx.errors.attempt({ service: 'kms', operation: 'ListAliases', region }, () =>
      ctx.pages(
        'ListAliases',
        (Marker) => kms.send(new ListAliasesCommand({ Marker, Limit: 100 })),
        (p) => (p.Truncated ? p.NextMarker : undefined),
      ),
    );
    const aliasOf = new Map<string, string>();
    for (const a of (aliasPages ?? []).flatMap((p) => p.Aliases ?? []))
      if (a.TargetKeyId && a.AliasName && !aliasOf.has(a.TargetKeyId))
        aliasOf.set(a.TargetKeyId, a.AliasName);
    return mapLimit(
      keys.filter((k) => k.KeyId && k.KeyArn),
      4,
      async (k) => {
        const arn = k.KeyArn as string;
        const keyId = k.KeyId as string;
        // "default" is the only key policy name KMS has.
        const policy = await readPolicy(
          ctx,
          { service: 'kms', operation: 'GetKeyPolicy', region },
          arn,
          async () =>
            (await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy,
          [],
        );
        return withPolicy({ arn, type: 'kms:key', name: aliasOf.get(keyId) ?? keyId, region }, policy);
      },
    );
  },
};
