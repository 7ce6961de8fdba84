/** Adds counts by key (skip reasons, routes) into `into`. */
export const addCounts = (into: Record<string, number>, more: Record<string, number>): void => {
  for (const [key, n] of Object.entries(more)) into[key] = (into[key] ?? 0) + n;
};
