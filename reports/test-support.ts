/**
 * Shared by the report tests: the acme fixture company (graph/store-fixtures.ts) in an
 * embedded store, plus a public principal, a hostile-named role and a crown-jewel bucket;
 * hand-made findings; and a manual clock for the scheduler.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedStore } from '../graph/embedded/sqlite-store.js';
import type { Finding } from '../graph/findings/types.js';
import type { GraphEdge, GraphNode } from '../graph/model.js';
import { edgeId } from '../graph/model.js';
import type { Hop } from '../graph/queries/access.js';
import {
  ACME,
  access,
  acmeEdges,
  acmeNodes,
  ids,
  VENDOR,
  vendorEdges,
  vendorNodes,
} from '../graph/store-fixtures.js';
import type { Clock } from './scheduler.js';

export const extra = {
  anyone: 'aws:*',
  hostile: 'arn:aws:iam::111111111111:role/evil',
  vault: 'arn:aws:s3:::acme-vault',
};

/** A name built to break every output format at once. */
export const HOSTILE_NAME = `<script>alert(1)</script>"onmouseover='x'|=cmd|' /C calc'!A0 **bold** \`code\` [link](http://evil.example)\n# heading`;

export function extraNodes(): GraphNode[] {
  return [
    { id: extra.anyone, cloud: 'aws', kind: 'External', name: '*', source: ACME.id, props: { public: true } },
    {
      id: extra.hostile,
      cloud: 'aws',
      kind: 'Role',
      name: HOSTILE_NAME,
      source: ACME.id,
      props: { lastUsed: '2025-01-01T00:00:00Z' },
    },
    {
      id: extra.vault,
      cloud: 'aws',
      kind: 'Resource',
      name: 'acme-vault',
      type: 's3:bucket',
      source: ACME.id,
      props: { tags: { classification: 'pii' } },
    },
  ];
}

export function extraEdges(): GraphEdge[] {
  return [
    {
      id: edgeId('CONTAINS', ids.account, extra.vault),
      kind: 'CONTAINS',
      from: ids.account,
      to: extra.vault,
      source: ACME.id,
      via: null,
      props: {},
    },
    access(extra.anyone, extra.vault, ['s3:getobject'], ['read'], 'arn:aws:s3:::acme-vault#bucket-policy'),
    access(
      extra.hostile,
      extra.vault,
      ['s3:putobject', 's3:deleteobject'],
      ['write'],
      `policy/${HOSTILE_NAME}`,
    ),
  ];
}

export interface FixtureStore {
  store: EmbeddedStore;
  dir: string;
  cleanup(): Promise<void>;
}

export async function openFixtureStore(): Promise<FixtureStore> {
  const dir = mkdtempSync(join(tmpdir(), 'ag-reports-'));
  const store = await EmbeddedStore.open({ dataDir: join(dir, 'graph') });
  await store.replaceSource(ACME, async (w) => {
    await w.addNodes([...acmeNodes(), ...extraNodes()]);
    await w.addEdges([...acmeEdges(), ...extraEdges()]);
  });
  await store.replaceSource(VENDOR, async (w) => {
    await w.addNodes(vendorNodes());
    await w.addEdges(vendorEdges());
  });
  return {
    store,
    dir,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Hops as the stores return them, for findings built by hand. */
export function hop(from: string, to: string, edge: Hop['edge'], more: Partial<Hop> = {}): Hop {
  return {
    from,
    to,
    edge,
    via: { ref: `${from}#via`, label: `${edge} grant`, statement: 0, excerpt: { Effect: 'Allow' } },
    conditional: false,
    ...more,
  };
}

export function finding(
  f: Partial<Finding> & Pick<Finding, 'id' | 'kind' | 'principal' | 'target' | 'path'>,
): Finding {
  return {
    severity: 'high',
    title: `${f.kind} ${f.principal} → ${f.target}`,
    remediation: 'remove the grant',
    conditional: false,
    ...f,
  };
}

/** dave escalates to admin-role, which is admin on the account (fixture edges). */
export function escalationFinding(): Finding {
  return finding({
    id: 'privilege-escalation|dave|admin',
    kind: 'privilege-escalation',
    severity: 'critical',
    principal: ids.dave,
    target: ids.admin,
    technique: 'lambda-passrole-create-invoke',
    path: [
      hop(ids.dave, ids.admin, 'CAN_ESCALATE', {
        technique: 'lambda-passrole-create-invoke',
        via: {
          ref: 'arn:aws:iam::111111111111:policy/dave-inline',
          label: 'dave-inline',
          statement: 0,
          excerpt: { Effect: 'Allow', Action: '*', Resource: '*' },
        },
      }),
    ],
  });
}

export function publicFinding(): Finding {
  return finding({
    id: 'public-access|anyone|vault',
    kind: 'public-access',
    severity: 'high',
    principal: extra.anyone,
    target: extra.vault,
    path: [
      hop(extra.anyone, extra.vault, 'HAS_ACCESS', {
        actions: ['s3:getobject'],
        via: {
          ref: 'arn:aws:s3:::acme-vault#bucket-policy',
          label: 'arn:aws:s3:::acme-vault#bucket-policy',
          statement: 0,
          excerpt: { Effect: 'Allow', Action: '*', Resource: '*' },
        },
      }),
    ],
  });
}

/** A clock whose time only moves when a test says so; due timers fire in time order. */
export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start: Date) {
    this.t = start.getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  /** Move time forward, firing every timer that comes due on the way. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = [...this.timers.entries()]
        .filter(([, v]) => v.at <= end)
        .sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = Math.max(this.t, due[1].at);
      due[1].fn();
    }
    this.t = end;
  }
}
