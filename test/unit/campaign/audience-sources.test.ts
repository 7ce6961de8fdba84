/** Interface under test: audienceSources(campaign), which index partitions a campaign reads, and encodePosition / decodePosition, an occurrence's place in them. */
import { START, audienceSources, decodePosition, encodePosition } from '../../../lambdas/campaign/audience-sources';
import type { Campaign } from '../../../lambdas/schemas/campaign';

const WA = '109876543210987';
const PAGE = '1234567890123456';
const IG = '17841400000000001';

const campaign = (over: Partial<Campaign> = {}): Campaign => ({
  id: 'weekly-deals',
  name: 'Weekly deals',
  accounts: [
    { channel: 'whatsapp', accountId: WA },
    { channel: 'messenger', accountId: PAGE },
  ],
  audience: {},
  content: { type: 'text', text: 'New deals inside!' },
  kind: 'marketing',
  schedule: { kind: 'recurring', expression: 'cron(0 10 ? * MON *)' },
  status: 'draft',
  ...over,
});

describe('audienceSources', () => {
  it('reads every contact of each account, in the campaign’s account order, when nothing narrows the audience', () => {
    expect(audienceSources(campaign())).toEqual([
      { channel: 'whatsapp', accountId: WA, segment: { kind: 'all' } },
      { channel: 'messenger', accountId: PAGE, segment: { kind: 'all' } },
    ]);
    expect(audienceSources(campaign({ audience: { tags: [] } })).map((s) => s.segment)).toEqual([{ kind: 'all' }, { kind: 'all' }]);
  });

  it('reads the first tag’s carriers when the audience names tags', () => {
    const sources = audienceSources(campaign({ audience: { tags: ['vip', 'newsletter'], attributes: { city: 'Berlin' } } }));
    expect(sources.map((s) => s.segment)).toEqual([
      { kind: 'tag', tag: 'vip' },
      { kind: 'tag', tag: 'vip' },
    ]);
  });

  it('reads a topic’s token holders rather than a tag’s carriers when the audience names both', () => {
    const sources = audienceSources(campaign({ audience: { topic: 'deals', tags: ['vip'] } }));
    expect(sources.map((s) => s.segment)).toEqual([
      { kind: 'topic', topic: 'deals' },
      { kind: 'topic', topic: 'deals' },
    ]);
  });

  it('leaves out the accounts on other channels than the audience’s', () => {
    const three = campaign({
      accounts: [
        { channel: 'instagram', accountId: IG },
        { channel: 'whatsapp', accountId: WA },
        { channel: 'messenger', accountId: PAGE },
        { channel: 'messenger', accountId: '2234567890123456' },
      ],
      audience: { channel: 'messenger', topic: 'deals' },
    });
    expect(audienceSources(three)).toEqual([
      { channel: 'messenger', accountId: PAGE, segment: { kind: 'topic', topic: 'deals' } },
      { channel: 'messenger', accountId: '2234567890123456', segment: { kind: 'topic', topic: 'deals' } },
    ]);
  });
});

describe('encodePosition / decodePosition', () => {
  it('starts at the first source when the occurrence has no position yet', () => {
    expect(decodePosition(undefined)).toEqual(START);
    expect(START).toEqual({ source: 0 });
  });

  it.each([
    [{ source: 0 }],
    [{ source: 1, cursor: 'eyJwayI6IngifQ==' }],
    [{ source: 3, cursor: '{"pk":"a#b","sk":"c"}' }],
  ])('reads back the position it wrote: %j', (position) => {
    const encoded = encodePosition(position);
    expect(typeof encoded).toBe('string');
    expect(decodePosition(encoded)).toEqual(position);
  });

  it.each([
    ['a source that is not a number', '{"source":"1"}'],
    ['no source', '{"cursor":"abc"}'],
    ['a cursor that is not a string', '{"source":1,"cursor":42}'],
    ['an array', '[0,"abc"]'],
    ['a bare number', '7'],
    ['null', 'null'],
    ['text that is not JSON', 'garbage'],
    ['a negative source, which would end the occurrence unread', '{"source":-1}'],
    ['a fractional source', '{"source":1.5}'],
  ])('refuses %s, naming the cursor', (_case, text) => {
    expect(() => decodePosition(text)).toThrow(new Error(`occurrence cursor ${text} is not an audience position`));
  });

  it('quotes at most 80 characters of a long malformed cursor', () => {
    const text = JSON.stringify({ source: 'x', cursor: 'y'.repeat(500) });
    expect(() => decodePosition(text)).toThrow(new Error(`occurrence cursor ${text.slice(0, 80)} is not an audience position`));
  });
});
