import { growthDays } from '../../../console/src/pages/subscribers/growth-days';

describe('audience growth per day, as the chart and table show it', () => {
  it('has every day of the range, quiet days as zeros, opt-ins and opt-outs summed', () => {
    const rows = growthDays({
      from: '2026-05-15',
      to: '2026-05-18',
      days: [
        { day: '2026-05-16', newContacts: 3, optIns: { marketing: 2, offers: 1 }, optOuts: { keyword: 1 }, net: 2 },
        { day: '2026-05-18', newContacts: 1, optIns: {}, optOuts: { keyword: 1, user_preferences: 1 }, net: -2 },
      ],
    });
    expect(rows).toEqual([
      { day: '2026-05-15', newContacts: 0, optIns: 0, optOuts: 0, net: 0 },
      { day: '2026-05-16', newContacts: 3, optIns: 3, optOuts: 1, net: 2 },
      { day: '2026-05-17', newContacts: 0, optIns: 0, optOuts: 0, net: 0 },
      { day: '2026-05-18', newContacts: 1, optIns: 0, optOuts: 2, net: -2 },
    ]);
  });
});
