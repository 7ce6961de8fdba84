/**
 * Whether an IAM resource pattern can match a request to a route: the pattern's `*` matches any run
 * of characters, `/` included, and `?` one character (IAM's rules); the route template's `{name}` is
 * one path segment, one or more characters other than `/` (the admin router's rule). Both are read as
 * automata and walked in step: they overlap when both can reach their end on the same text. Imports
 * nothing: lib/access-levels.ts, which Lambdas bundle too, reads it.
 */

/** One step of a pattern or template: a literal character, any one character but `/`, any one character, or a run (possibly empty) of either. */
type Step = { lit: string } | 'segmentChar' | 'anyChar' | 'segmentRun' | 'anyRun';

const isRun = (step: Step | undefined): boolean => step === 'segmentRun' || step === 'anyRun';

const patternSteps = (pattern: string): Step[] => [...pattern].map((c): Step => (c === '*' ? 'anyRun' : c === '?' ? 'anyChar' : { lit: c }));

/** `{name}` is one character but `/`, then any more of them. */
const templateSteps = (template: string): Step[] =>
  template.split(/(\{[^}]+\})/).flatMap((part): Step[] => (/^\{[^}]+\}$/.test(part) ? ['segmentChar', 'segmentRun'] : [...part].map((c) => ({ lit: c }))));

/** A step within one segment accepts no `/`. */
const withinSegment = (step: Step): boolean => step === 'segmentChar' || step === 'segmentRun';

/** Whether one character both steps accept exists (runs accept what their one-character form does). */
function sharesCharacter(a: Step, b: Step): boolean {
  if (typeof a === 'object' && typeof b === 'object') return a.lit === b.lit;
  if (typeof a === 'object') return a.lit !== '/' || !withinSegment(b);
  if (typeof b === 'object') return b.lit !== '/' || !withinSegment(a);
  return true;
}

/** True when some request path matches both the IAM resource pattern and the route template (`{name}` one segment). */
export function iamPatternReachesTemplate(pattern: string, template: string): boolean {
  const p = patternSteps(pattern);
  const t = templateSteps(template);
  const seen = new Set<string>();
  const pending: [number, number][] = [[0, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [i, j] = next;
    const key = `${i},${j}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === p.length && j === t.length) return true;
    const a = p[i];
    const b = t[j];
    // A run may end here, matching nothing more.
    if (isRun(a)) pending.push([i + 1, j]);
    if (isRun(b)) pending.push([i, j + 1]);
    // Or both take one character they share; a run stays where it is.
    if (a !== undefined && b !== undefined && sharesCharacter(a, b) && !(isRun(a) && isRun(b))) pending.push([isRun(a) ? i : i + 1, isRun(b) ? j : j + 1]);
  }
  return false;
}
