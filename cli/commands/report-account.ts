import type { Route } from '../../lambdas/admin/contract';
import type { Output } from '../output/output';
import { toCsv } from '../output/csv';
import { counts, duration, percent } from './report-format';

type Responsiveness = Route<'GET /admin/accounts/{channel}/{accountId}/responsiveness'>['response'];
type Growth = Route<'GET /admin/accounts/{channel}/{accountId}/growth'>['response'];
type TurnFigures = Omit<Responsiveness['days'][number], 'day'>;
type GrowthFigures = Omit<Growth['days'][number], 'day'>;

const BUCKETS = [
  ['under_30s', '<30s'],
  ['30s_to_2m', '30s-2m'],
  ['2m_to_5m', '2-5m'],
  ['5m_to_10m', '5-10m'],
  ['10m_to_30m', '10-30m'],
  ['30m_to_1h', '30-60m'],
  ['over_1h', '>1h'],
] as const;

/** Each local day, then the whole range as `total`. */
const turnRows = (r: Responsiveness): (TurnFigures & { day: string })[] => [...r.days, { ...r, day: 'total' }];
const growthRows = (g: Growth): (GrowthFigures & { day: string })[] => [...g.days, { ...g, day: 'total' }];

export const printResponsiveness = (out: Output, r: Responsiveness): void => {
  out.line(`${r.channel} ${r.accountId}: ${r.from} to ${r.to} (${r.timeZone}), human replies only, SLA ${duration(r.withinSla.seconds)}`);
  out.table(
    r.conversations === 0 ? [] : turnRows(r),
    [
      { header: 'day', value: (d) => d.day },
      { header: 'conversations', value: (d) => d.conversations },
      { header: 'answered', value: (d) => d.answered },
      { header: 'waiting', value: (d) => d.waiting },
      { header: 'response rate', value: (d) => percent(d.responseRate) },
      { header: 'median', value: (d) => duration(d.medianSeconds) },
      { header: 'mean', value: (d) => duration(d.meanSeconds) },
      { header: 'within SLA', value: (d) => `${d.withinSla.answered} (${percent(d.withinSla.share)})` },
      ...BUCKETS.map(([key, header]) => ({ header, value: (d: TurnFigures) => d.buckets[key] })),
    ],
    'no conversation opened on these days',
  );
  const badge = r.veryResponsive;
  out.line(
    `very responsive (Messenger's badge, ${badge.from} to ${badge.to}): ${badge.meets ? 'yes' : 'no'}, response rate ${percent(badge.responseRate)}, response time ${duration(badge.responseTimeSeconds)} (needs ≥ 90 % and ≤ 15 min)`,
  );
};

export const responsivenessCsv = (r: Responsiveness): string =>
  toCsv(
    ['day', 'conversations', 'answered', 'waiting', 'response_rate', 'median_seconds', 'mean_seconds', 'sla_seconds', 'within_sla', 'within_sla_share', ...BUCKETS.map(([key]) => key)],
    turnRows(r).map((d) => [
      d.day,
      d.conversations,
      d.answered,
      d.waiting,
      d.responseRate,
      d.medianSeconds,
      d.meanSeconds,
      d.withinSla.seconds,
      d.withinSla.answered,
      d.withinSla.share,
      ...BUCKETS.map(([key]) => d.buckets[key]),
    ]),
  );

export const printGrowth = (out: Output, g: Growth): void => {
  out.line(`${g.channel} ${g.accountId}: ${g.from} to ${g.to} (${g.timeZone})`);
  out.table(
    g.days.length === 0 ? [] : growthRows(g),
    [
      { header: 'day', value: (d) => d.day },
      { header: 'new contacts', value: (d) => d.newContacts },
      { header: 'opt-ins', value: (d) => counts(d.optIns) },
      { header: 'opt-outs', value: (d) => counts(d.optOuts) },
      { header: 'net', value: (d) => (d.net > 0 ? `+${d.net}` : d.net) },
    ],
    'no new contact, opt-in or opt-out on these days',
  );
};

/** A column per topic opted in to and per opt-out source seen in the range. */
export const growthCsv = (g: Growth): string => {
  const topics = Object.keys(g.optIns).sort();
  const sources = Object.keys(g.optOuts).sort();
  return toCsv(
    ['day', 'new_contacts', ...topics.map((t) => `opt_in_${t}`), ...sources.map((s) => `opt_out_${s}`), 'net'],
    growthRows(g).map((d) => [d.day, d.newContacts, ...topics.map((t) => d.optIns[t] ?? 0), ...sources.map((s) => d.optOuts[s] ?? 0), d.net]),
  );
};
