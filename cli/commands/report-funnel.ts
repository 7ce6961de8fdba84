import type { Route } from '../../lambdas/admin/contract';
import type { Output } from '../output/output';
import { type CsvValue, toCsv } from '../output/csv';
import { counts, percent } from './report-format';

export type FunnelReport = Route<'GET /admin/campaigns/{campaignId}/report'>['response']['report'];
export type FunnelAudience = Route<'GET /admin/campaigns/{campaignId}/report'>['response']['audience'];

interface Step {
  metric: string;
  label: string;
  count: number;
  rate?: number | null;
  definition: string;
}

/** The funnel top to bottom, each rate as Meta defines it (README "Measurement"). */
const steps = (r: FunnelReport): Step[] => [
  { metric: 'sent', label: 'sent', count: r.sent, definition: r.sentBasis === 'sender' ? 'messages Meta accepted' : 'messages Meta reported an outcome for' },
  { metric: 'delivered', label: 'delivered', count: r.delivered, rate: r.rates.deliveryRate, definition: 'delivery rate: delivered / sent' },
  { metric: 'read', label: 'read', count: r.read, rate: r.rates.readRate, definition: 'read rate: read / delivered' },
  { metric: 'clicked', label: 'clicked', count: r.clicked, rate: r.rates.clickThroughRate, definition: 'click-through rate: clicked / delivered' },
  { metric: 'replied', label: 'replied', count: r.replied, rate: r.rates.replyRate, definition: 'reply rate: replied within 72 h / delivered' },
  { metric: 'converted', label: 'converted', count: r.converted, rate: r.rates.conversionRate, definition: 'conversion rate: converted / delivered' },
  { metric: 'opted_out', label: 'opted out', count: r.optedOut, rate: r.rates.optOutRate, definition: 'opt-out rate: STOP within 72 h / delivered' },
  { metric: 'limited', label: 'limited by Meta', count: r.limited.total, definition: "Meta's marketing limits: not the message's fault" },
  { metric: 'failed', label: 'failed', count: r.failed.total, definition: 'other failures, by code below' },
];

const byCode = (r: FunnelReport) => [
  ...r.limited.byCode.map((c) => ({ bucket: 'limited by Meta', metric: `limited_${c.code}`, ...c })),
  ...r.failed.byCode.map((c) => ({ bucket: 'failed', metric: `failed_${c.code}`, ...c })),
];

const currenciesOf = (r: FunnelReport): string[] =>
  [...new Set([...Object.keys(r.money.estimated ?? {}), ...Object.keys(r.money.billed.cost.totalsByCurrency), ...Object.keys(r.money.revenue)])].sort();

const fixed = (value: number | null | undefined, suffix = ''): string => (value === null || value === undefined ? '—' : `${value}${suffix}`);

/** The report as a person reads it: audience, funnel with rates, limits and failures by code, money, caveats. */
export const printFunnel = (out: Output, title: string, report: FunnelReport, audience?: FunnelAudience): void => {
  out.line(title);
  if (audience !== undefined) out.line(`audience ${audience.audience}, enqueued ${audience.enqueued}, skipped: ${counts(audience.skipped)}`);
  out.table(steps(report), [
    { header: 'metric', value: (s) => s.label },
    { header: 'count', value: (s) => s.count },
    { header: 'rate', value: (s) => (s.rate === undefined ? '' : percent(s.rate)) },
    { header: 'definition', value: (s) => s.definition },
  ]);
  const codes = byCode(report);
  if (codes.length > 0) {
    out.line('');
    out.table(codes, [
      { header: 'bucket', value: (c) => c.bucket },
      { header: 'code', value: (c) => c.code },
      { header: 'count', value: (c) => c.count },
      { header: "Meta's title", value: (c) => c.title },
    ]);
  }
  const { money } = report;
  out.line('');
  out.table(
    currenciesOf(report),
    [
      { header: 'currency', value: (c) => c },
      { header: 'estimated', value: (c) => (money.estimated === null ? 'not kept' : fixed(money.estimated[c])) },
      { header: 'billed', value: (c) => fixed(money.billed.cost.totalsByCurrency[c]) },
      { header: 'per delivered', value: (c) => fixed(money.costPerDelivered[c]) },
      { header: 'per click', value: (c) => fixed(money.costPerClick[c]) },
      { header: 'per conversion', value: (c) => fixed(money.costPerConversion[c]) },
      { header: 'revenue', value: (c) => fixed(money.revenue[c]) },
      { header: 'ROAS', value: (c) => fixed(money.roas[c], '×') },
    ],
    'money: nothing estimated, billed or earned',
  );
  const { billed } = money;
  const unpriced = billed.cost.unpriced > 0 ? `, ${billed.cost.unpriced} not priced` : '';
  out.line(`billed: ${billed.messages} messages Meta reported billable, ${billed.notBillable} not billable${unpriced}; priced from the dated table as of ${billed.cost.asOf}`);
  for (const caveat of report.caveats) out.line(`note: ${caveat}`);
  out.note(billed.cost.disclaimer);
};

/** The same report as long-form CSV: one `metric,value,rate,detail` row per figure, currencies and codes in the metric's name. */
export const funnelCsv = (report: FunnelReport, audience?: FunnelAudience): string => {
  const { money } = report;
  const perCurrency = (name: string, values: Readonly<Record<string, number | null>> | null): CsvValue[][] =>
    Object.entries(values ?? {}).map(([currency, value]) => [`${name}_${currency}`, value, null, null]);
  const rows: CsvValue[][] = [
    ...(audience === undefined
      ? []
      : [['audience', audience.audience, null, null], ['enqueued', audience.enqueued, null, null], ...Object.entries(audience.skipped).map(([reason, n]) => [`skipped_${reason}`, n, null, null])]),
    ...steps(report).map((s) => [s.metric, s.count, s.rate, s.definition]),
    ...byCode(report).map((c) => [c.metric, c.count, null, c.title]),
    ...perCurrency('estimated', money.estimated),
    ...perCurrency('billed', money.billed.cost.totalsByCurrency),
    ['billed_messages', money.billed.messages, null, null],
    ['not_billable', money.billed.notBillable, null, null],
    ['unpriced', money.billed.cost.unpriced, null, null],
    ...perCurrency('cost_per_delivered', money.costPerDelivered),
    ...perCurrency('cost_per_click', money.costPerClick),
    ...perCurrency('cost_per_conversion', money.costPerConversion),
    ...perCurrency('revenue', money.revenue),
    ...perCurrency('roas', money.roas),
  ];
  return toCsv(['metric', 'value', 'rate', 'detail'], rows);
};
