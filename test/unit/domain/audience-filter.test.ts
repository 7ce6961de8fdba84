/**
 * Interface under test: the audience filter a campaign and the contact search share
 * (lambdas/domain/audience/audience-filter.ts): which listing an audience is read from, and who of it matches.
 */
import { type AudienceCandidate, audienceSegmentOf, matchesAudience } from '../../../lambdas/domain/audience/audience-filter';

const NOW = Date.UTC(2026, 4, 17, 14);
const HOUR = 3_600_000;

const candidate = (over: Partial<AudienceCandidate> = {}, contact: Partial<AudienceCandidate['contact']> = {}): AudienceCandidate => ({
  channel: 'messenger',
  tags: ['vip', 'newsletter'],
  attributes: { city: 'Leipzig' },
  ...over,
  contact: { optIns: [{ token: 't1', topic: 'WEEKLY_DEALS', status: 'active' }], lastInboundAt: NOW - 2 * HOUR, ...contact },
});

describe('the audience filter', () => {
  it.each([
    [{ topic: 'WEEKLY_DEALS', tags: ['vip'] }, { kind: 'topic', topic: 'WEEKLY_DEALS' }],
    [{ tags: ['vip', 'newsletter'], attributes: { city: 'Leipzig' } }, { kind: 'tag', tag: 'vip' }],
    [{ attributes: { city: 'Leipzig' }, windowOpen: true }, { kind: 'all' }],
  ])('reads %j from the listing %j', (filter, segment) => {
    expect(audienceSegmentOf(filter)).toEqual(segment);
  });

  it.each([
    ['no filter', {}, true],
    ['its tag', { tags: ['vip'] }, true],
    ['a tag it lacks', { tags: ['vip', 'wholesale'] }, false],
    ['its attribute', { attributes: { city: 'Leipzig' } }, true],
    ['another attribute value', { attributes: { city: 'Berlin' } }, false],
    ['its topic', { topic: 'WEEKLY_DEALS' }, true],
    ['its topic, active', { topic: 'WEEKLY_DEALS', optInStatus: 'active' as const }, true],
    ['its topic, stopped', { topic: 'WEEKLY_DEALS', optInStatus: 'stopped' as const }, false],
    ['another topic', { topic: 'FLASH_SALES' }, false],
    ['an open window', { windowOpen: true }, true],
    ['a closed window', { windowOpen: false }, false],
    ['no marketing opt-out', { marketingOptOut: false }, true],
    ['a marketing opt-out', { marketingOptOut: true }, false],
    ['a write within 1 day', { lastInboundWithinDays: 1 }, true],
    ['another channel', { channel: 'whatsapp' as const }, false],
  ])('holds a contact to %s', (_name, filter, matches) => {
    expect(matchesAudience(candidate(), filter, NOW)).toBe(matches);
  });

  it('closes the window exactly 24 hours after the last inbound message', () => {
    const contact = candidate({}, { lastInboundAt: NOW - 24 * HOUR });
    expect(matchesAudience(contact, { windowOpen: false }, NOW)).toBe(true);
    expect(matchesAudience(contact, { windowOpen: true }, NOW - 1)).toBe(true);
  });

  it('counts a STOP keyword as a marketing opt-out, as Meta’s stop', () => {
    expect(matchesAudience(candidate({}, { keywordOptOut: { keyword: 'STOP' } }), { marketingOptOut: true }, NOW)).toBe(true);
    expect(matchesAudience(candidate({}, { marketingOptOut: true }), { marketingOptOut: true }, NOW)).toBe(true);
  });

  it('matches a contact that never wrote to no window and no recency', () => {
    const silent = candidate({}, { lastInboundAt: undefined });
    expect(matchesAudience(silent, { windowOpen: false }, NOW)).toBe(true);
    expect(matchesAudience(silent, { lastInboundWithinDays: 30 }, NOW)).toBe(false);
  });
});
