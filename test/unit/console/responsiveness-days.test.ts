import { responsivenessDays } from '../../../console/src/pages/reporting/responsiveness-days';

const figures = { conversations: 0, answered: 0, waiting: 0, responseRate: null, medianSeconds: null, meanSeconds: null, buckets: { under_30s: 0, '30s_to_2m': 0, '2m_to_5m': 0, '5m_to_10m': 0, '10m_to_30m': 0, '30m_to_1h': 0, over_1h: 0 }, withinSla: { seconds: 900, answered: 0, share: null } };

describe('responsiveness per day, as the charts and table show it', () => {
  it('has every day of the range, the rate in percent and times in minutes; a quiet day has no rate rather than 0 %', () => {
    const rows = responsivenessDays({
      ...figures,
      channel: 'whatsapp',
      accountId: '109876543210987',
      timeZone: 'Europe/Berlin',
      from: '2026-11-30',
      to: '2026-12-02',
      days: [{ ...figures, day: '2026-12-01', conversations: 4, answered: 3, waiting: 1, responseRate: 0.75, medianSeconds: 90, meanSeconds: 150 }],
      veryResponsive: { from: '2026-11-26', to: '2026-12-02', responseRate: 0.75, responseTimeSeconds: 150, meets: false },
    });
    expect(rows).toEqual([
      { day: '2026-11-30', conversations: 0, answered: 0, waiting: 0, ratePercent: null, medianMinutes: null, meanMinutes: null },
      { day: '2026-12-01', conversations: 4, answered: 3, waiting: 1, ratePercent: 75, medianMinutes: 1.5, meanMinutes: 2.5 },
      { day: '2026-12-02', conversations: 0, answered: 0, waiting: 0, ratePercent: null, medianMinutes: null, meanMinutes: null },
    ]);
  });
});
