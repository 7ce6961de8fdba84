/**
 * The audience growth answer as the chart and table read it: every day from `from` to `to` (the
 * API lists only the days with something counted; a quiet day is a zero, not a gap), opt-ins summed
 * over topics and opt-outs over sources. Pure: no DOM, so the unit project tests it.
 */

export interface GrowthFigures {
  newContacts: number;
  optIns: Record<string, number>;
  optOuts: Record<string, number>;
  net: number;
}

export interface GrowthRow {
  day: string;
  newContacts: number;
  optIns: number;
  optOuts: number;
  net: number;
}

const DAY_MS = 86_400_000;

const sum = (byKey: Record<string, number>): number => Object.values(byKey).reduce((total, n) => total + n, 0);

export const growthRow = (day: string, figures: GrowthFigures): GrowthRow => ({
  day,
  newContacts: figures.newContacts,
  optIns: sum(figures.optIns),
  optOuts: sum(figures.optOuts),
  net: figures.net,
});

/** One row per local day from `from` to `to` (ISO dates), in order. */
export const growthDays = (answer: { from: string; to: string; days: (GrowthFigures & { day: string })[] }): GrowthRow[] => {
  const counted = new Map(answer.days.map((d) => [d.day, d]));
  const rows: GrowthRow[] = [];
  for (let at = Date.parse(`${answer.from}T00:00:00Z`); at <= Date.parse(`${answer.to}T00:00:00Z`); at += DAY_MS) {
    const day = new Date(at).toISOString().slice(0, 10);
    const figures = counted.get(day);
    rows.push(figures ? growthRow(day, figures) : { day, newContacts: 0, optIns: 0, optOuts: 0, net: 0 });
  }
  return rows;
};
