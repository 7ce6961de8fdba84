/**
 * Interface under test: the segment export's CSV (lambdas/contacts/contacts-csv.ts): one RFC 4180
 * row per found contact, safe to open in a spreadsheet.
 */
import { contactsCsv } from '../../../lambdas/contacts/contacts-csv';
import type { FoundContact } from '../../../lambdas/contacts/search-contacts';

const ACCOUNT = { channel: 'messenger', accountId: '1234567890123456' };
const contact = (over: Partial<FoundContact> = {}): FoundContact => ({
  userId: '6543210987654321',
  tags: ['vip', 'newsletter'],
  attributes: { city: 'Leipzig' },
  windowOpen: true,
  lastInboundAt: Date.UTC(2026, 4, 17, 13),
  marketingOptOut: false,
  optIns: [{ topic: 'WEEKLY_DEALS', status: 'active' }],
  ...over,
});

describe('the segment CSV', () => {
  it('writes the header on the first page only, one CRLF line per contact', () => {
    expect(contactsCsv([contact()], ACCOUNT, true)).toBe(
      'channel,accountId,userId,tags,attributes,timeZone,windowOpen,lastInboundAt,marketingOptOut,optIns\r\n' +
        'messenger,1234567890123456,6543210987654321,vip;newsletter,"{""city"":""Leipzig""}",,true,2026-05-17T13:00:00.000Z,false,WEEKLY_DEALS:active\r\n',
    );
    expect(contactsCsv([contact()], ACCOUNT, false).split('\r\n')[0]).toMatch(/^messenger,/);
  });

  it('quotes commas and line breaks, and keeps a spreadsheet from running a tag as a formula', () => {
    const csv = contactsCsv([contact({ tags: ['=HYPERLINK("x")'], attributes: {}, optIns: [], lastInboundAt: undefined })], ACCOUNT, false);
    expect(csv).toBe('messenger,1234567890123456,6543210987654321,"\'=HYPERLINK(""x"")",{},,true,,false,\r\n');
  });
});
