/**
 * Interface under test: the key layout (lambdas/adapters/dynamodb/keys.ts, shards.ts) as pure
 * functions: the shard hash (pinned: it is part of every stored key), the key shapes of every index,
 * and what the backfill derives for each kind of item.
 */
import {
  audiencePartitions,
  canonicalZone,
  derivedIndexFields,
  dueBefore,
  dueEntry,
  eventPersonFields,
  kindOf,
  outboxGroupPartitions,
  sendEntry,
  targetItem,
  withIndexFields,
} from '../../../lambdas/adapters/dynamodb/keys';
import { fnv1a32, SHARDS, shardKey, shardOf } from '../../../lambdas/adapters/dynamodb/shards';
import { IfAbsent } from '../../../lambdas/adapters/dynamodb/update-expression';
import type { ContactRef } from '../../../lambdas/domain/events';

const anna: ContactRef = { channel: 'whatsapp', accountId: '109876543210987', userId: '4915112345678' };

describe('write shards', () => {
  it('hash with FNV-1a (32 bit), values pinned: a changed hash would move every stored key', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    expect(shardOf('4915112345678')).toBe(27);
    expect(shardOf('6543210987654321')).toBe(19);
    expect(shardOf('DE.88201734659910273645')).toBe(26);
    expect(shardKey('AUD#x', 3)).toBe('AUD#x#03');
    expect(() => shardKey('AUD#x', 64)).toThrow(RangeError);
  });

  it('spread 100,000 sequential phone numbers within 1 % of an even split over 64 shards', () => {
    const counts = new Array<number>(SHARDS).fill(0);
    for (let i = 0; i < 100_000; i += 1) {
      const shard = shardOf(`49151${String(i).padStart(8, '0')}`);
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    for (const count of counts) expect(Math.abs(count - 1_562.5)).toBeLessThan(15.7);
  });
});

describe('key shapes', () => {
  it('list an audience over its 64 shards, then the previous release’s unsharded key; one shard alone, the old key with shard 0', () => {
    const all = audiencePartitions({ channel: 'messenger', accountId: '1', segment: { kind: 'all' } });
    expect(all).toHaveLength(65);
    expect(all[0]).toBe('AUD#messenger#1#all#00');
    expect(all[63]).toBe('AUD#messenger#1#all#63');
    expect(all[64]).toBe('AUD#messenger#1#all');
    expect(audiencePartitions({ channel: 'messenger', accountId: '1', segment: { kind: 'topic', topic: 'deals' }, shard: 7 })).toEqual(['AUD#messenger#1#topic#deals#07']);
    expect(audiencePartitions({ channel: 'messenger', accountId: '1', segment: { kind: 'tag', tag: 'vip' }, shard: 0 })).toEqual(['AUD#messenger#1#tag#vip#00', 'AUD#messenger#1#tag#vip']);
    // Zone buckets are new: no old key; the zone is named canonically.
    expect(audiencePartitions({ channel: 'messenger', accountId: '1', segment: { kind: 'zone', zone: 'europe/berlin' }, shard: 2 })).toEqual(['AUD#messenger#1#zone#Europe/Berlin#02']);
    expect(audiencePartitions({ channel: 'messenger', accountId: '1', segment: { kind: 'topic_zone', topic: 'd', zone: '_account' } })).toHaveLength(64);
    expect(outboxGroupPartitions('c#2026-05-18T08:00:00.000Z')[64]).toBe('OCC#c#2026-05-18T08:00:00.000Z');
  });

  it('name canonical zones, and no zone for a name no runtime knows', () => {
    expect(canonicalZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(canonicalZone('EUROPE/PARIS')).toBe('Europe/Paris');
    expect(canonicalZone('Mars/Olympus')).toBeUndefined();
    // Intl takes an offset as a zone; the planner doesn't (its contact follows the account's zone), so no bucket names one.
    expect(canonicalZone('+05:30')).toBeUndefined();
    expect(canonicalZone(undefined)).toBeUndefined();
  });

  it('sort a person’s sends by creation time, and pending work by due time as fixed-width numbers', () => {
    const older = sendEntry(anna, Date.UTC(2026, 4, 1));
    const newer = sendEntry(anna, Date.UTC(2026, 4, 2));
    expect(older).toEqual({ gsi2pk: 'P#whatsapp#109876543210987#4915112345678', gsi2sk: 'SEND#2026-05-01T00:00:00.000Z' });
    expect(older.gsi2sk < newer.gsi2sk).toBe(true);
    const soon = dueEntry('OUTBOX', 'ob_a', 999);
    const later = dueEntry('OUTBOX', 'ob_a', 1_000_000);
    expect(soon).toEqual({ gsi3pk: `DUE#${String(shardOf('ob_a')).padStart(2, '0')}`, gsi3sk: '000000000000999#OUTBOX#ob_a' });
    expect(soon.gsi3sk < later.gsi3sk && soon.gsi3sk < dueBefore(1_000) && later.gsi3sk > dueBefore(1_000)).toBe(true);
    expect(eventPersonFields(anna, 0, 'k')).toEqual({ userId: anna.userId, gsi2pk: 'P#whatsapp#109876543210987#4915112345678', gsi2sk: 'EVENT#1970-01-01T00:00:00.000Z#k' });
  });

  it('give a contact its sharded audience entry, and its zone bucket only where none exists', () => {
    const { identity } = targetItem({ entity: 'contact', contact: anna });
    expect(identity).toMatchObject({ gsi1pk: 'AUD#whatsapp#109876543210987#all#27', gsi1sk: anna.userId });
    expect(identity.gsi2pk).toEqual(new IfAbsent('AUD#whatsapp#109876543210987#zone#_account#27'));
  });

  it('list a person once: a BSUID’s record loses its listing with its link, and a write known to meet such an alias carries none', () => {
    const bsuid: ContactRef = { ...anna, userId: 'DE.88201734659910273645' };
    const link = withIndexFields({ target: { entity: 'contact', contact: bsuid }, register: 'link', order: '1', wins: 'later', fields: { linkedUserId: anna.userId } });
    expect(link).toHaveLength(1);
    expect(link[0]?.fields).toEqual({ linkedUserId: anna.userId, gsi1pk: undefined, gsi1sk: undefined, gsi2pk: undefined, gsi2sk: undefined });
    // Any other register of the record leaves the listing to the identity.
    const window = { target: { entity: 'contact' as const, contact: bsuid }, register: 'window', order: '1', wins: 'later' as const, fields: { lastInboundAt: 1 } };
    expect(withIndexFields(window)).toEqual([window]);
    // Unlinked, a BSUID-only person is listed like anyone; known to be linked, the identity lists nothing.
    expect(targetItem({ entity: 'contact', contact: bsuid }).identity).toMatchObject({ gsi1pk: `AUD#whatsapp#109876543210987#all#26`, gsi1sk: bsuid.userId });
    const alias = targetItem({ entity: 'contact', contact: bsuid }, { alias: true }).identity;
    expect(alias).toEqual({ entity: 'contact', channel: 'whatsapp', accountId: anna.accountId, userId: bsuid.userId });
    // A phone number's record linked to a newer one (a number change) stays listed: a number is a main key.
    const numberChange = { ...window, target: { entity: 'contact' as const, contact: anna }, register: 'link', fields: { linkedUserId: '4915199999999' } };
    expect(withIndexFields(numberChange)).toEqual([numberChange]);
  });

  it('give a message its recipient’s person entry as a least register beside the recipient, so the entry follows the id that wins', () => {
    const write = (register: string, fields: Record<string, string>) =>
      withIndexFields({ target: { entity: 'message', messageId: 'w1' }, register, order: '', wins: 'least', fields }).map((w) => [w.register, w.wins, w.fields]);
    expect(write('recipient', { ...anna })).toEqual([
      ['recipient', 'least', { ...anna }],
      ['recipientEntry', 'least', { gsi2pk: 'P#whatsapp#109876543210987#4915112345678', gsi2sk: 'MSG#w1' }],
    ]);
    expect(write('callback', { callbackData: 'x' })).toEqual([['callback', 'least', { callbackData: 'x' }]]);
    // The entry orders as the id does: a wa_id (digits) before a BSUID (letters), as `recipient` keeps it.
    const bsuidEntry = withIndexFields({ target: { entity: 'message', messageId: 'w1' }, register: 'recipient', order: '', wins: 'least', fields: { ...anna, userId: 'DE.1' } })[1];
    expect(bsuidEntry?.fields.gsi2pk).toBe('P#whatsapp#109876543210987#DE.1');
    expect('P#whatsapp#109876543210987#DE.1' > 'P#whatsapp#109876543210987#4915112345678').toBe(true);
    expect(targetItem({ entity: 'message', messageId: 'w1' }).identity).not.toHaveProperty('gsi2pk');
  });

  it('put an opt-in in its topic, and in the topic’s zone bucket only with a topic and a known zone', () => {
    const write = (fields: Record<string, string | undefined>) =>
      withIndexFields({ target: { entity: 'opt_in', contact: anna, token: 't' }, register: 'optInDetails', order: '1', wins: 'later', fields })[0]?.fields;
    expect(write({ topic: 'deals', timezone: 'Europe/Paris' })).toMatchObject({ gsi1pk: 'AUD#whatsapp#109876543210987#topic#deals#27', gsi2pk: 'AUD#whatsapp#109876543210987#topic#deals#zone#Europe/Paris#27' });
    expect(write({ topic: 'deals', timezone: undefined })).toMatchObject({ gsi2pk: undefined, gsi2sk: undefined });
    expect(write({ topic: 'deals', timezone: 'Mars/Olympus' })).toMatchObject({ gsi2pk: undefined });
    expect(write({ topic: undefined, timezone: 'Europe/Paris' })).toMatchObject({ gsi1pk: undefined, gsi2pk: undefined });
    // A label (no timezone field) leaves the zone bucket to the details register.
    expect(write({ topic: 'deals' })).not.toHaveProperty('gsi2pk');
  });
});

describe('what the backfill derives', () => {
  it('names each kind of item by its key', () => {
    expect(kindOf({ pk: 'C#whatsapp#1#2', sk: 'STATE' })).toBe('contact');
    expect(kindOf({ pk: 'C#whatsapp#1#2', sk: 'OPTIN#t' })).toBe('opt_in');
    expect(kindOf({ pk: 'C#whatsapp#1#2', sk: 'TAG#vip' })).toBe('tag');
    expect(kindOf({ pk: 'M#w', sk: 'STATUS' })).toBe('message');
    expect(kindOf({ pk: 'E#k', sk: 'EVENT' })).toBe('event');
    expect(kindOf({ pk: 'O#ob_x', sk: 'OUTBOX' })).toBe('outbox');
    expect(kindOf({ pk: 'CAMPAIGN#c', sk: 'OCC#o' })).toBe('occurrence');
    expect(kindOf({ pk: 'MIGRATION', sk: 'key-layout-2' })).toBe('migration');
    expect(kindOf({ pk: 'CAMPAIGNS', sk: 'c' })).toBe('other');
  });

  it('derives a contact’s zone from its profile, a claimed job’s due time (an old one’s from its claim), a user id with a # from the key', () => {
    expect(derivedIndexFields({ pk: 'C#instagram#1#a#b', sk: 'STATE', timeZone: 'Asia/Tokyo' }, { staleClaimMs: 5 }).fields).toMatchObject({
      gsi1pk: `AUD#instagram#1#all#${String(shardOf('a#b')).padStart(2, '0')}`,
      gsi1sk: 'a#b',
      gsi2pk: `AUD#instagram#1#zone#Asia/Tokyo#${String(shardOf('a#b')).padStart(2, '0')}`,
    });
    const job = { pk: 'O#ob_j', sk: 'OUTBOX', idempotencyKey: 'k', intent: anna, createdAt: 10, status: 'claimed', claimedAt: 100 };
    expect(derivedIndexFields(job, { staleClaimMs: 5 }).fields).toMatchObject({ gsi1pk: undefined, gsi3sk: '000000000000105#OUTBOX#ob_j' });
    // A claim that stored its deadline leaves the job at its queued due time, as the claim writes it.
    expect(derivedIndexFields({ ...job, claimUntil: 105 }, { staleClaimMs: 5 }).fields).toMatchObject({ gsi3sk: '000000000000010#OUTBOX#ob_j' });
    expect(derivedIndexFields({ ...job, claimUntil: 105, notBefore: 50 }, { staleClaimMs: 5 }).fields).toMatchObject({ gsi3sk: '000000000000050#OUTBOX#ob_j' });
    expect(derivedIndexFields({ ...job, status: 'sent' }, { staleClaimMs: 5 }).fields).toMatchObject({ gsi3pk: undefined, gsi3sk: undefined });
    // Not a job yet (only a status webhook touched it): nothing is owned, nothing changes.
    expect(derivedIndexFields({ pk: 'O#ob_j', sk: 'OUTBOX', deliveryStatus: 'read' }, { staleClaimMs: 5 }).owned).toEqual([]);
  });

  it('takes a linked BSUID record out of the audience and every zone bucket, and lists an unlinked one, deciding by the link it read', () => {
    const pk = 'C#whatsapp#109876543210987#DE.88201734659910273645';
    const linked = derivedIndexFields({ pk, sk: 'STATE', bsuid: 'DE.88201734659910273645', linkedUserId: anna.userId, timeZone: 'Asia/Tokyo' }, { staleClaimMs: 5 });
    expect(linked.owned).toEqual(['gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk']);
    expect(linked.fields).toEqual({ gsi1pk: undefined, gsi1sk: undefined, gsi2pk: undefined, gsi2sk: undefined });
    // The backfill's write is conditional on its inputs: a link learnt after the scan refuses it.
    expect(linked.inputs).toEqual(expect.arrayContaining(['timeZone', 'linkedUserId']));
    expect(derivedIndexFields({ pk, sk: 'STATE', bsuid: 'DE.88201734659910273645' }, { staleClaimMs: 5 }).fields).toEqual({
      gsi1pk: 'AUD#whatsapp#109876543210987#all#26',
      gsi1sk: 'DE.88201734659910273645',
      gsi2pk: 'AUD#whatsapp#109876543210987#zone#_account#26',
      gsi2sk: 'DE.88201734659910273645',
    });
    // A phone number's record keeps its listing whatever it links to.
    const oldNumber = derivedIndexFields({ pk: `C#whatsapp#109876543210987#${anna.userId}`, sk: 'STATE', linkedUserId: '4915199999999' }, { staleClaimMs: 5 });
    expect(oldNumber.fields).toMatchObject({ gsi1pk: 'AUD#whatsapp#109876543210987#all#27', gsi2pk: 'AUD#whatsapp#109876543210987#zone#_account#27' });
  });
});
