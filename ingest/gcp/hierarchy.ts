/** The resource hierarchy as node ids: who contains whom, and which source owns what. */
export class Hierarchy {
  readonly parent = new Map<string, string>();
  readonly children = new Map<string, string[]>();

  link(child: string, parent: string): void {
    if (child === parent || this.parent.has(child)) return;
    // a loop (bad input pieced together from several files) would make ancestors endless
    if (this.ancestorsOrSelf(parent).includes(child)) return;
    this.parent.set(child, parent);
    this.children.set(parent, [...(this.children.get(parent) ?? []), child]);
  }

  /** node, parent, grandparent, … up to the root */
  ancestorsOrSelf(node: string): string[] {
    const out = [node];
    for (let p = this.parent.get(node); p && !out.includes(p); p = this.parent.get(p)) out.push(p);
    return out;
  }

  isAncestorOrSelf(anc: string, node: string): boolean {
    return this.ancestorsOrSelf(node).includes(anc);
  }

  root(node: string): string {
    const a = this.ancestorsOrSelf(node);
    return a[a.length - 1] as string;
  }

  /** node and everything below it */
  descendantsOrSelf(node: string): string[] {
    const out = new Set<string>();
    const stack = [node];
    while (stack.length) {
      const n = stack.pop() as string;
      if (out.has(n)) continue;
      out.add(n);
      stack.push(...(this.children.get(n) ?? []));
    }
    return [...out];
  }
}
