/**
 * The responsiveness answer as the charts and table read it. Pure: no DOM, no API client (types
 * from the generated schema only), so the unit project tests it.
 */
import type { components } from '../../api/schema';

type Responsiveness = components['schemas']['Responsiveness'];

export interface ResponsivenessRow {
  day: string;
  conversations: number;
  answered: number;
  waiting: number;
  /** 0–100, null on a day without conversations. */
  ratePercent: number | null;
  medianMinutes: number | null;
  meanMinutes: number | null;
}

const DAY_MS = 86_400_000;

/** Every local day from `from` to `to`: the API lists only days with a conversation, a chart wants them all. */
export const responsivenessDays = (r: Responsiveness): ResponsivenessRow[] => {
  const byDay = new Map(r.days.map((d) => [d.day, d]));
  const rows: ResponsivenessRow[] = [];
  for (let t = Date.parse(`${r.from}T00:00:00Z`); t <= Date.parse(`${r.to}T00:00:00Z`); t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    const d = byDay.get(day);
    rows.push({
      day,
      conversations: d?.conversations ?? 0,
      answered: d?.answered ?? 0,
      waiting: d?.waiting ?? 0,
      ratePercent: d?.responseRate === undefined || d.responseRate === null ? null : d.responseRate * 100,
      medianMinutes: d?.medianSeconds === undefined || d.medianSeconds === null ? null : d.medianSeconds / 60,
      meanMinutes: d?.meanSeconds === undefined || d.meanSeconds === null ? null : d.meanSeconds / 60,
    });
  }
  return rows;
};

/** The buckets in the API's order, with words for them. */
export const BUCKETS: { key: keyof Responsiveness['buckets']; label: string }[] = [
  { key: 'under_30s', label: '< 30 s' },
  { key: '30s_to_2m', label: '30 s – 2 min' },
  { key: '2m_to_5m', label: '2 – 5 min' },
  { key: '5m_to_10m', label: '5 – 10 min' },
  { key: '10m_to_30m', label: '10 – 30 min' },
  { key: '30m_to_1h', label: '30 min – 1 h' },
  { key: 'over_1h', label: '1 h or more' },
];

/** Messenger's "Very responsive to messages": response rate at least 90 %, response time at most 15 minutes. */
export const VERY_RESPONSIVE = { ratePercent: 90, minutes: 15 } as const;
