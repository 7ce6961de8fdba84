/**
 * The funnel as the console draws it: audience → sent → delivered → read → clicked → replied →
 * converted, each with its share of the step before, and Meta's limits and the failures apart (they
 * are not steps: a limited message never had a chance). Pure, for the unit tests.
 */
export interface FunnelNumbers {
  /** Audience index entries read (the occurrence's, or summed over a campaign's recent ones). */
  audience: number;
  report: {
    sent: number;
    delivered: number;
    read: number;
    clicked: number;
    replied: number;
    converted: number;
    optedOut: number;
    limited: { total: number; byCode: { code: number; count: number; title: string | null }[] };
    failed: { total: number; byCode: { code: number; count: number; title: string | null }[] };
  };
}

export interface FunnelStep {
  label: string;
  count: number;
  /** This step over the one before it (null for the first, or when the one before is 0). */
  ofPrevious: number | null;
}

export const funnelSteps = ({ audience, report }: FunnelNumbers): FunnelStep[] => {
  const counts: [string, number][] = [
    ['Audience', audience],
    ['Sent', report.sent],
    ['Delivered', report.delivered],
    ['Read', report.read],
    ['Clicked', report.clicked],
    ['Replied', report.replied],
    ['Converted', report.converted],
  ];
  return counts.map(([label, count], i) => {
    const previous = i === 0 ? 0 : (counts[i - 1]?.[1] ?? 0);
    return { label, count, ofPrevious: i === 0 || previous === 0 ? null : Math.round((count / previous) * 10_000) / 10_000 };
  });
};

export interface ApartRow {
  kind: 'Limited by Meta' | 'Failed' | 'Opted out';
  code: number | null;
  reason: string;
  count: number;
}

/** What left the funnel, by Meta's error code: the limits (not the message's fault) before the failures. */
export const funnelApart = ({ report }: FunnelNumbers): ApartRow[] => [
  ...report.limited.byCode.map((c) => ({ kind: 'Limited by Meta' as const, code: c.code, reason: c.title ?? `Meta error ${c.code}`, count: c.count })),
  ...report.failed.byCode.map((c) => ({ kind: 'Failed' as const, code: c.code, reason: c.title ?? `Meta error ${c.code}`, count: c.count })),
  ...(report.optedOut > 0 ? [{ kind: 'Opted out' as const, code: null, reason: 'Stopped marketing within 72 h of the delivery', count: report.optedOut }] : []),
];
