/**
 * The keyboard of every listbox in the explorer (findings, report items, who-can answers):
 * how far a key moves the cursor, `page` rows for PageUp/PageDown, Home/End to the ends
 * (callers clamp). Undefined for keys that do not move it.
 */
const STEPS: Record<string, (page: number) => number> = {
  ArrowDown: () => 1,
  ArrowUp: () => -1,
  PageDown: (page) => page,
  PageUp: (page) => -page,
  Home: () => -1e9,
  End: () => 1e9,
};

export function listStep(key: string, page: number): number | undefined {
  return Object.hasOwn(STEPS, key) ? STEPS[key]!(page) : undefined;
}
