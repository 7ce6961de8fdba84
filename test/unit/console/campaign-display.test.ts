/**
 * Interface under test: the Campaigns area's pure parts (console/src/pages/campaigns): how stored
 * states read, the funnel's steps, the audience as the contact search takes it, readable reasons.
 */
import { searchQuery, matchesRest, audienceAccounts, personName, parseAttributeLines } from '../../../console/src/pages/campaigns/audience-query';
import { campaignDisplayStatus, occurrenceDisplayStatus } from '../../../console/src/pages/campaigns/display-status';
import { funnelApart, funnelSteps } from '../../../console/src/pages/campaigns/funnel-steps';
import { reasonText } from '../../../console/src/pages/campaigns/reason-text';

const occurrence = (status: 'running' | 'paused' | 'done' | 'stopped', stopReason: string | null = null) => ({ status, stopReason });

describe('a campaign’s status as the console shows it', () => {
  it('shows draft, scheduled and paused as stored', () => {
    expect(['draft', 'scheduled', 'paused'].map((s) => campaignDisplayStatus(s as 'draft'))).toEqual(['draft', 'scheduled', 'paused']);
  });

  it('shows a running campaign as sending while an occurrence runs, and as scheduled between a recurring one’s firings', () => {
    expect(campaignDisplayStatus('running')).toBe('sending');
    expect(campaignDisplayStatus('running', occurrence('running'))).toBe('sending');
    expect(campaignDisplayStatus('running', occurrence('done'))).toBe('scheduled');
  });

  it('shows a done campaign as sent, or partially sent when its occurrence stopped or hit a cap', () => {
    expect(campaignDisplayStatus('done')).toBe('sent');
    expect(campaignDisplayStatus('done', occurrence('done'))).toBe('sent');
    expect(campaignDisplayStatus('done', occurrence('done', 'recipient_cap'))).toBe('partially sent');
    expect(campaignDisplayStatus('done', occurrence('stopped', 'campaign_deleted'))).toBe('partially sent');
  });

  it('shows an occurrence as sending, paused, sent or partially sent', () => {
    expect([occurrence('running'), occurrence('paused'), occurrence('done'), occurrence('stopped'), occurrence('done', 'recipient_cap')].map(occurrenceDisplayStatus)).toEqual([
      'sending',
      'paused',
      'sent',
      'partially sent',
      'partially sent',
    ]);
  });
});

describe('the funnel chart’s numbers', () => {
  const numbers = {
    audience: 50,
    report: {
      sent: 50,
      delivered: 40,
      read: 30,
      clicked: 12,
      replied: 11,
      converted: 0,
      optedOut: 3,
      limited: { total: 6, byCode: [{ code: 131049, count: 6, title: 'healthy ecosystem' }] },
      failed: { total: 4, byCode: [{ code: 131050, count: 4, title: null }] },
    },
  };

  it('runs audience → sent → delivered → read → clicked → replied → converted, each as a share of the step before', () => {
    expect(funnelSteps(numbers)).toEqual([
      { label: 'Audience', count: 50, ofPrevious: null },
      { label: 'Sent', count: 50, ofPrevious: 1 },
      { label: 'Delivered', count: 40, ofPrevious: 0.8 },
      { label: 'Read', count: 30, ofPrevious: 0.75 },
      { label: 'Clicked', count: 12, ofPrevious: 0.4 },
      { label: 'Replied', count: 11, ofPrevious: 0.9167 },
      { label: 'Converted', count: 0, ofPrevious: 0 },
    ]);
  });

  it('has no share after an empty step', () => {
    expect(funnelSteps({ ...numbers, audience: 0, report: { ...numbers.report, sent: 0 } })[1]).toEqual({ label: 'Sent', count: 0, ofPrevious: null });
  });

  it('shows Meta’s limits apart from the failures, by code, with Meta’s title or the code', () => {
    expect(funnelApart(numbers)).toEqual([
      { kind: 'Limited by Meta', code: 131049, reason: 'healthy ecosystem', count: 6 },
      { kind: 'Failed', code: 131050, reason: 'Meta error 131050', count: 4 },
      { kind: 'Opted out', code: null, reason: 'Stopped marketing within 72 h of the delivery', count: 3 },
    ]);
  });
});

describe('the audience builder and the contact search', () => {
  it('asks the search for the first tag and attribute with every other filter, its flags as words', () => {
    expect(searchQuery({ tags: ['vip', 'newsletter'], attributes: { city: 'Leipzig', plan: 'gold' }, marketingOptOut: false, windowOpen: true, lastInboundWithinDays: 7 })).toEqual({
      tag: 'vip',
      attribute: 'city:Leipzig',
      marketingOptOut: 'false',
      windowOpen: 'true',
      lastInboundWithinDays: 7,
    });
    expect(searchQuery({})).toEqual({});
    expect(searchQuery({ optInStatus: 'active' })).toEqual({});
    expect(searchQuery({ topic: 'deals', optInStatus: 'active' })).toEqual({ topic: 'deals', optInStatus: 'active' });
  });

  it('holds the other tags and attributes to each contact the search answers', () => {
    const audience = { tags: ['vip', 'newsletter'], attributes: { city: 'Leipzig', plan: 'gold' } };
    expect(matchesRest({ tags: ['vip', 'newsletter'], attributes: { city: 'Leipzig', plan: 'gold' } }, audience)).toBe(true);
    expect(matchesRest({ tags: ['vip'], attributes: { city: 'Leipzig', plan: 'gold' } }, audience)).toBe(false);
    expect(matchesRest({ tags: ['vip', 'newsletter'], attributes: { city: 'Leipzig' } }, audience)).toBe(false);
  });

  it('reads only the accounts on the audience’s channel', () => {
    const accounts = [{ channel: 'whatsapp' as const, accountId: '1' }, { channel: 'messenger' as const, accountId: '2' }];
    expect(audienceAccounts(accounts, { channel: 'messenger' })).toEqual([accounts[1]]);
    expect(audienceAccounts(accounts, {})).toEqual(accounts);
  });

  it('names a person from their attributes, else not at all', () => {
    expect(personName({ first_name: 'Ada', last_name: 'Lovelace' })).toBe('Ada Lovelace');
    expect(personName({ firstName: 'Ada' })).toBe('Ada');
    expect(personName({ name: 'Grace Hopper' })).toBe('Grace Hopper');
    expect(personName({ city: 'Leipzig' })).toBeNull();
  });

  it('reads attribute lines as name:value, a value keeping its colons, and reports lines without a name', () => {
    expect(parseAttributeLines('city: Leipzig\n\nurl:https://x.example\nnonsense\n:empty')).toEqual({
      attributes: { city: 'Leipzig', url: 'https://x.example' },
      invalid: ['nonsense', ':empty'],
    });
  });
});

describe('reasons as sentences', () => {
  it('explains a known skip or refusal code, and shows an unknown one as words', () => {
    expect(reasonText('quiet_hours')).toBe('In quiet hours on their clock');
    expect(reasonText('window_closed')).toContain('window is closed');
    expect(reasonText('some_new_reason')).toBe('some new reason');
  });
});
