/**
 * Which cases a run takes: those whose names match any of the patterns.
 */

/** Named things (cases) whose name matches at least one regular expression; all of them when none is given. */
export function selectCases<T extends { name: string }>(cases: readonly T[], patterns: readonly string[]): T[] {
  if (patterns.length === 0) return [...cases];
  const res = patterns.map((p) => {
    try {
      return new RegExp(p);
    } catch (e) {
      throw new Error(`bad case pattern ${JSON.stringify(p)}: ${(e as Error).message}`);
    }
  });
  return cases.filter((c) => res.some((re) => re.test(c.name)));
}

/** Case names must be unique: figures and charts are keyed by them. */
export function checkUniqueNames(cases: readonly { name: string }[]): void {
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.name)) throw new Error(`two benchmark cases are named ${c.name}`);
    seen.add(c.name);
  }
}
