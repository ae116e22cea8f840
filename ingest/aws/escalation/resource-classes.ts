/**
 * Existing resources that every permission question of one detection run answers alike.
 *
 * Techniques on existing resources (a Lambda function's code, an instance's user data, …) ask
 * the same few actions about every resource of a type, for every actor: the work grows with
 * actors × resources, though a large account has thousands of functions and only a handful
 * of distinct Resource patterns naming them (`function:team-*`). The decision engine sees a
 * resource only through (a) whether each Resource / NotResource entry of the statements it
 * evaluates matches the ARN and (b) the account that owns it (decide.ts; the request context
 * holds nothing about the resource). So two resources whose ARNs match the same entries and
 * that sit in the same account get the same decision, with the same statements, conditions
 * and via, for any actor: only the `resource` echoed in a Permit differs.
 *
 * The entries compared are every Resource / NotResource entry of every statement that may
 * name one of the actions asked this way (identity policies of all actors, boundaries, SCPs,
 * RCPs): a finer split than a single question needs, never a coarser one. An entry with a
 * policy variable matches according to who asks; an actor whose statements (or the
 * guardrails) carry such an entry for these actions is answered resource by resource, as
 * before (`exactFor`).
 */
import { wildcardMatch } from '../../../lib/wildcard.js';
import type { NamedPolicy, OrgLevel } from '../eval/decide.js';
import type { Statement } from '../eval/policy.js';
import { statementNamesAction } from '../eval/statement.js';
import { hasVariables } from '../eval/variables.js';
import type { Actor, Guardrails } from './authority.js';
import type { RoleCarrier } from './detect.js';

/** One class: its members of the asked types in input order; `rep` is the first. */
export interface ResourceClass {
  rep: RoleCarrier;
  /** the first member per role it runs as, with its position in the input (later ones gain nothing new) */
  firstPerRole: Array<{ index: number; resource: RoleCarrier }>;
}

export class ResourceClasses {
  private readonly entries: string[];
  private readonly keys: string[];
  private readonly guardrailsExact: boolean;
  private readonly byTypes = new Map<string, ResourceClass[]>();

  constructor(
    private readonly resources: readonly RoleCarrier[],
    private readonly actions: readonly string[],
    actors: readonly Actor[],
    guardrails: Guardrails,
  ) {
    const entries = new Set<string>();
    const collect = (policies: readonly NamedPolicy[]) => {
      for (const np of policies)
        for (const st of np.policy.statements) {
          if (!this.namesAny(st)) continue;
          for (const e of st.resource ?? st.notResource ?? [])
            if (e !== '*' && !hasVariables(e)) entries.add(e);
        }
    };
    const levels = (ls: readonly OrgLevel[] | null) => (ls ?? []).flatMap((l) => l.policies);
    for (const a of actors) collect(a.boundary ? [...a.identity, a.boundary] : a.identity);
    collect(levels(guardrails.scpLevels));
    collect(levels(guardrails.rcpLevels));
    this.entries = [...entries];
    this.guardrailsExact = [...levels(guardrails.scpLevels), ...levels(guardrails.rcpLevels)].every((np) =>
      this.variableFree(np),
    );
    this.keys = resources.map((r) => this.keyOf(r.arn));
  }

  /** May the actor's questions about these resources be answered once per class? */
  exactFor(actor: Actor): boolean {
    return (
      this.guardrailsExact &&
      actor.identity.every((np) => this.variableFree(np)) &&
      (!actor.boundary || this.variableFree(actor.boundary))
    );
  }

  /** The classes among resources of the given types, ordered by their first member. */
  classes(types: readonly string[]): readonly ResourceClass[] {
    const memoKey = types.join('\u0000');
    let out = this.byTypes.get(memoKey);
    if (out) return out;
    out = [];
    const byKey = new Map<string, { cls: ResourceClass; roles: Set<string> }>();
    this.resources.forEach((r, index) => {
      if (!types.includes(r.type)) return;
      const key = this.keys[index] as string;
      let c = byKey.get(key);
      if (!c) {
        c = { cls: { rep: r, firstPerRole: [] }, roles: new Set() };
        byKey.set(key, c);
        out?.push(c.cls);
      }
      if (c.roles.has(r.roleArn)) return;
      c.roles.add(r.roleArn);
      c.cls.firstPerRole.push({ index, resource: r });
    });
    this.byTypes.set(memoKey, out);
    return out;
  }

  private namesAny(st: Statement): boolean {
    return this.actions.some((a) => statementNamesAction(st, a));
  }

  private variableFree(np: NamedPolicy): boolean {
    return np.policy.statements.every(
      (st) => !this.namesAny(st) || !(st.resource ?? st.notResource ?? []).some(hasVariables),
    );
  }

  /**
   * The owning account as authority.ts reads it from the ARN (none: the asker's own, the same
   * for every such resource) and which entries match.
   */
  private keyOf(arn: string): string {
    const a = arn.split(':')[4];
    const account = a && /^\d{12}$/.test(a) ? a : '';
    const hits: number[] = [];
    for (let i = 0; i < this.entries.length; i++)
      if (wildcardMatch(this.entries[i] as string, arn)) hits.push(i);
    return `${account}|${hits.join(',')}`;
  }
}
