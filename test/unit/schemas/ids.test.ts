/**
 * Interface under test: the id rules (lambdas/schemas/ids.ts). Every id in the Meta samples in
 * events/ passes its channel's rule (the webhook will be held to the same rules), and each kind
 * refuses what it must.
 */
import type { Channel } from '../../../lambdas/domain/events';
import { accountIdIssue, idIssue, messageIdIssue, userIdIssue } from '../../../lambdas/schemas/ids';
import { listEvents, loadEvent } from '../../helpers/events';
import { DE_BSUID, DE_WA, IG, IGSID, PAGE, PHONE, PSID, US_BSUID, US_WA, WABA } from '../../helpers/sample-ids';

type Found = { channel: Channel; kind: 'account' | 'user' | 'message'; value: string };

const CHANNEL_OF: Record<string, Channel> = { page: 'messenger', instagram: 'instagram', whatsapp_business_account: 'whatsapp' };

/** The ids a webhook body names, by what they are. */
const idsIn = (body: { object: string; entry: unknown[] }): Found[] => {
  const channel = CHANNEL_OF[body.object];
  if (channel === undefined) return [];
  const found: Found[] = [];
  const visit = (node: unknown, key: string | undefined, parentKey: string | undefined): void => {
    if (Array.isArray(node)) return node.forEach((item) => visit(item, key, parentKey));
    if (typeof node === 'object' && node !== null) {
      for (const [k, v] of Object.entries(node)) visit(v, k, key);
      return;
    }
    if (typeof node !== 'string' || node === '') return;
    if (channel === 'whatsapp') {
      if (key === 'phone_number_id') found.push({ channel, kind: 'account', value: node });
      if (key === 'wa_id' || key === 'user_id' || key === 'from_user_id' || key === 'recipient_user_id') found.push({ channel, kind: 'user', value: node });
      if (node.startsWith('wamid.')) found.push({ channel, kind: 'message', value: node });
    } else if (key === 'mid') {
      found.push({ channel, kind: 'message', value: node });
    } else if (key === 'id' && (parentKey === 'sender' || parentKey === 'recipient')) {
      // A person, or the Page / Instagram account itself (on echoes): numeric Graph ids alike.
      found.push({ channel, kind: 'user', value: node });
    }
  };
  visit(body.entry, undefined, undefined);
  return found;
};

const issueOf = (f: Found): string | undefined =>
  f.kind === 'account' ? accountIdIssue(f.channel, f.value) : f.kind === 'user' ? userIdIssue(f.channel, f.value) : messageIdIssue(f.value, f.channel);

describe('id rules against the samples in events/meta', () => {
  const samples = listEvents('meta').map((path) => [path, idsIn(loadEvent(path))] as const);

  it('finds ids of every kind in the samples', () => {
    const kinds = new Set(samples.flatMap(([, found]) => found.map((f) => `${f.channel}:${f.kind}`)));
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining(['instagram:message', 'messenger:message', 'messenger:user', 'whatsapp:account', 'whatsapp:message', 'whatsapp:user']),
    );
  });

  it.each(samples)('%s: every id passes its channel’s rule', (_path, found) => {
    expect(found.map((f) => ({ ...f, issue: issueOf(f) })).filter((f) => f.issue !== undefined)).toEqual([]);
  });
});

describe('id rules', () => {
  it.each([
    ['messenger', PAGE, PSID],
    ['instagram', IG, IGSID],
    ['whatsapp', PHONE, DE_WA],
    ['whatsapp', PHONE, US_WA],
    ['whatsapp', WABA, DE_BSUID],
    ['whatsapp', PHONE, US_BSUID],
  ] as const)('accepts %s account %s and user %s', (channel, accountId, userId) => {
    expect([accountIdIssue(channel, accountId), userIdIssue(channel, userId)]).toEqual([undefined, undefined]);
  });

  it.each([
    ['whatsapp', '../../x', 'a wa_id of 6–15 digits (E.164 without +), or a BSUID such as DE.88201734659910273645'],
    ['whatsapp', '+4915112345678', 'a wa_id of 6–15 digits (E.164 without +), or a BSUID such as DE.88201734659910273645'],
    ['whatsapp', '12345', 'a wa_id of 6–15 digits (E.164 without +), or a BSUID such as DE.88201734659910273645'],
    ['whatsapp', '1234567890123456', 'a wa_id of 6–15 digits (E.164 without +), or a BSUID such as DE.88201734659910273645'],
    ['whatsapp', 'de.88201734659910273645', 'a wa_id of 6–15 digits (E.164 without +), or a BSUID such as DE.88201734659910273645'],
    ['whatsapp', 'DE.8820173465991027364!', 'a wa_id of 6–15 digits (E.164 without +), or a BSUID such as DE.88201734659910273645'],
    ['whatsapp', '4'.repeat(3000), 'at most 259 characters (got 3000)'],
    ['messenger', DE_BSUID, 'at most 20 characters (got 23)'],
    ['messenger', 'DE.1', 'a numeric page-scoped id (PSID, 1–20 digits)'],
    ['messenger', '0123', 'a numeric page-scoped id (PSID, 1–20 digits)'],
    ['messenger', '1'.repeat(21), 'at most 20 characters (got 21)'],
    ['instagram', '', 'a numeric Instagram-scoped id (IGSID, 1–20 digits)'],
  ] as const)('refuses %s user %s: %s', (channel, userId, message) => {
    expect(userIdIssue(channel, userId)).toBe(message);
  });

  it.each([
    ['wamid.HBgNNDkxNTExMjM0NTY3OBUCABEYEjc4QkIxMTI2OUVGQzJFNUQyRQA=', 'whatsapp'],
    ['m_ocuBeCW6AOWWxsJnvbfVrtr9peapHT2TLnFLIYlJwPEJCOW6eUxzWeh0YGSHldHBPsYxAT6Qkei4DS7sWzxY', 'messenger'],
    ['mid.$cAAJsujCd2ORj_1qmrFdzhVa-4cvO', 'messenger'],
    ['mid.1457764197618:41d102a3e1ae206a38', 'messenger'],
    ['4738291056473829105', 'messenger'],
    ['120215000000000101#0123456789abcdef', 'messenger'],
    ['aWdfaXRlbToxOklHTWVzc2FnZUlEOjE3ODQxNDAwMDAwMDAwMDAx', 'instagram'],
  ] as const)('accepts message id %s (%s), and without a channel', (id, channel) => {
    expect([messageIdIssue(id, channel), messageIdIssue(id)]).toEqual([undefined, undefined]);
  });

  it.each([['wamid.'], ['m_'], ['../../x'], ['wamid.a b'], [`m_${'a'.repeat(255)}`], ['mid.a/b']])('refuses message id %s', (id) => {
    expect(messageIdIssue(id)).toBeDefined();
  });

  it('refuses a wamid as a Messenger message id', () => {
    expect(messageIdIssue('wamid.HBgN', 'messenger')).toBeDefined();
  });

  it.each([
    ['outboxId', 'ob_RxvmVYtmXk9t1J8RhIFNFJGw', true],
    ['outboxId', 'ob_RxvmVYtmXk9t1J8RhIFNFJG', false],
    ['outboxId', 'ob_RxvmVYtmXk9t1J8RhIFNFJG+', false],
    ['campaignId', 'weekly-deals', true],
    ['campaignId', '-weekly', false],
    ['campaignId', 'Weekly', false],
    ['occurrenceKey', '2026-11-23T08:00:00.000Z', true],
    ['occurrenceKey', '2026-02-30T08:00:00.000Z', false],
    ['occurrenceKey', '2026-11-23T08:00:00Z', false],
    ['templateName', 'weekly_deals', true],
    ['templateName', 'Weekly Deals', false],
    ['templateName', 'a'.repeat(513), false],
  ] as const)('%s %s: valid %s', (kind, value, valid) => {
    expect(idIssue(value, kind) === undefined).toBe(valid);
  });
});
