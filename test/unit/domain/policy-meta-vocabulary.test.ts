/**
 * Interface under test: decide() on Meta's whole template-status vocabulary, WhatsApp account
 * restrictions and bans (through accountPolicyState, from the registers the webhook stores), and the
 * recipient rules (+1 area codes, authentication templates to BSUIDs).
 */
import { classifyGraphError } from '../../../lambdas/domain/send/classify-error';
import { decide } from '../../../lambdas/domain/send/policy-engine';
import { errorFeedback } from '../../../lambdas/domain/send/send-feedback';
import { POLICY_RULES } from '../../../lambdas/domain/send/policy-rules';
import type { AccountPolicyState, ContactPolicyState } from '../../../lambdas/domain/send/policy-types';
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import { accountPolicyState } from '../../../lambdas/domain/send/policy-inputs';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-20T12:00:00Z');
const PHONE = '109876543210987';

const send = (name: string, over: Partial<SendIntent> = {}): SendIntent => ({
  channel: 'whatsapp',
  accountId: PHONE,
  userId: '4915112345678',
  kind: 'utility',
  author: 'bot',
  content: { type: 'template', name, language: 'de' },
  ...over,
});
const outside: ContactPolicyState = { optIns: [], lastInboundAt: NOW - 3 * 24 * HOUR, lastMessageAt: NOW - 3 * 24 * HOUR, openedBy: 'message' };
const inside: ContactPolicyState = { ...outside, lastInboundAt: NOW - HOUR, lastMessageAt: NOW - HOUR };
const withTemplate = (status: string, category = 'UTILITY', over: Partial<AccountPolicyState> = {}): AccountPolicyState => ({
  channel: 'whatsapp',
  accountId: PHONE,
  templates: { 'tpl#de': { status, category } },
  ...over,
});

describe('template statuses, as Meta names them', () => {
  it.each([
    ['APPROVED', 'allow'],
    ['REINSTATED', 'allow'],
    ['PAUSED', 'template_paused'],
    ['DISABLED', 'template_disabled'],
    ['REJECTED', 'template_not_approved'],
    ['PENDING', 'template_not_approved'],
    ['IN_APPEAL', 'template_not_approved'],
    ['FLAGGED', 'template_not_approved'],
    ['LIMIT_EXCEEDED', 'template_not_approved'],
    ['LOCKED', 'template_not_approved'],
    ['UNARCHIVED', 'template_not_approved'],
    ['ARCHIVED', 'template_archived'],
    ['PENDING_DELETION', 'template_deleted'],
    ['DELETED', 'template_deleted'],
    ['SOMETHING_NEW', 'template_not_approved'],
  ])('%s → %s', (status, expected) => {
    const decision = decide(send('tpl'), outside, withTemplate(status), NOW);
    if (expected === 'allow') expect(decision).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
    else expect(decision).toMatchObject({ outcome: 'refuse', reason: expected, rule: 'template.status' });
  });

  it('quotes Meta for every status it decides, and marks where it chose the safe side', () => {
    const rule = POLICY_RULES.find((r) => r.topic === 'template.status');
    if (rule?.topic !== 'template.status') throw new Error('no template.status rule');
    for (const row of Object.values(rule.params.statuses)) expect(row.quote).toMatch(/developers\.facebook\.com|error 13201/);
    expect(rule.params.statuses.FLAGGED?.conservative).toBeDefined();
    expect(rule.params.statuses.APPROVED?.conservative).toBeUndefined();
  });
});

/** The account record as the webhook leaves it after `account_update` events (one register per kind). */
const stored = (updates: Record<string, object>) =>
  Object.fromEntries(Object.entries(updates).map(([kind, value]) => [`accountUpdate_${kind}`, JSON.stringify(value)]));
const accountFrom = (policy: Record<string, unknown>): AccountPolicyState =>
  accountPolicyState(undefined, { channel: 'whatsapp', accountId: PHONE }, [policy], [{ name: 'tpl', language: 'de', status: 'APPROVED', category: 'UTILITY' }], NOW);

describe('WhatsApp account_update', () => {
  const restriction = (type: string, expiresAt = NOW + 2 * HOUR) => stored({ ACCOUNT_RESTRICTION: { at: NOW - HOUR, restrictions: [{ type, expiresAt }] } });

  it('RESTRICTED_BIZ_INITIATED_MESSAGING holds templates until it expires, and free-form in the window still goes', () => {
    const account = accountFrom(restriction('RESTRICTED_BIZ_INITIATED_MESSAGING'));
    expect(decide(send('tpl'), outside, account, NOW)).toMatchObject({ reason: 'account_restricted', earliestAt: NOW + 2 * HOUR });
    expect(decide(send('tpl'), outside, account, NOW + 2 * HOUR)).toMatchObject({ outcome: 'allow' });
    expect(decide(send('x', { kind: 'reply', content: { type: 'text', text: 'hi' } }), inside, account, NOW)).toMatchObject({ outcome: 'allow' });
  });

  it('RESTRICTED_CUSTOMER_INITIATED_MESSAGING holds every answer inside the window, and templates outside it still go', () => {
    const account = accountFrom(restriction('RESTRICTED_CUSTOMER_INITIATED_MESSAGING'));
    const reply = send('x', { kind: 'reply', content: { type: 'text', text: 'hi' } });
    expect(decide(reply, inside, account, NOW)).toMatchObject({ reason: 'account_restricted', rule: 'whatsapp.customer_initiated_restriction' });
    expect(decide(send('tpl'), inside, account, NOW)).toMatchObject({ reason: 'account_restricted' });
    expect(decide(send('tpl'), outside, account, NOW)).toMatchObject({ outcome: 'allow' });
  });

  it('a restriction that expired holds nothing', () => {
    expect(decide(send('tpl'), outside, accountFrom(restriction('RESTRICTED_BIZ_INITIATED_MESSAGING', NOW - 1)), NOW)).toMatchObject({ outcome: 'allow' });
  });

  it('DISABLED_UPDATE DISABLE blocks the account and REINSTATE lifts it', () => {
    const disabled = accountFrom(stored({ DISABLED_UPDATE: { at: NOW - HOUR, banState: 'DISABLE' } }));
    expect(decide(send('tpl'), outside, disabled, NOW)).toMatchObject({ reason: 'account_blocked' });
    expect(decide(send('tpl'), outside, disabled, NOW).outcome === 'refuse' && decide(send('tpl'), outside, disabled, NOW)).toMatchObject({
      detail: expect.stringContaining('DISABLE') as string,
    });
    const reinstated = accountFrom(stored({ DISABLED_UPDATE: { at: NOW - 1, banState: 'REINSTATE' } }));
    expect(decide(send('tpl'), outside, reinstated, NOW)).toMatchObject({ outcome: 'allow' });
    const scheduled = accountFrom(stored({ DISABLED_UPDATE: { at: NOW - 1, banState: 'SCHEDULE_FOR_DISABLE' } }));
    expect(decide(send('tpl'), outside, scheduled, NOW)).toMatchObject({ outcome: 'allow' });
  });

  it('ACCOUNT_OFFBOARDED blocks until a later ACCOUNT_RECONNECTED; ACCOUNT_DELETED blocks', () => {
    const off = accountFrom(stored({ ACCOUNT_OFFBOARDED: { at: NOW - HOUR } }));
    expect(decide(send('tpl'), outside, off, NOW)).toMatchObject({ reason: 'account_blocked' });
    const back = accountFrom(stored({ ACCOUNT_OFFBOARDED: { at: NOW - HOUR }, ACCOUNT_RECONNECTED: { at: NOW - 1 } }));
    expect(decide(send('tpl'), outside, back, NOW)).toMatchObject({ outcome: 'allow' });
    expect(decide(send('tpl'), outside, accountFrom(stored({ ACCOUNT_DELETED: { at: NOW - 1 } })), NOW)).toMatchObject({ reason: 'account_blocked' });
  });

  it('a pause from an account-wide error names its cause and ends by itself', () => {
    const paused = accountFrom({ sendingPausedUntil: NOW + 10 * 60_000, sendingPauseReason: 'page_restricted', sendingPauseCode: 10 });
    expect(decide(send('tpl'), outside, paused, NOW)).toMatchObject({ reason: 'account_paused', earliestAt: NOW + 10 * 60_000 });
    expect(decide(send('tpl'), outside, paused, NOW + 10 * 60_000)).toMatchObject({ outcome: 'allow' });
    const token = accountFrom({ sendingPausedUntil: NOW + 60_000, sendingPauseReason: 'token_invalid', sendingPauseCode: 190 });
    expect(decide(send('tpl'), outside, token, NOW)).toMatchObject({ reason: 'token_invalid' });
  });
});

describe('recipient rules', () => {
  const marketing = (waId: string) =>
    decide(send('tpl', { kind: 'marketing', userId: waId }), { ...outside, waId }, withTemplate('APPROVED', 'MARKETING'), NOW);

  it.each([
    ['14155552671', 'US (San Francisco)'],
    ['12015550123', 'US (New Jersey)'],
    ['17875550123', 'Puerto Rico, a US territory (conservative)'],
    ['19995550123', 'an area code of no country (conservative)'],
  ])('refuses marketing templates to +%s: %s', (waId) => {
    expect(marketing(waId)).toMatchObject({ reason: 'marketing_to_us_number' });
  });

  it.each([
    ['14165551234', 'Canada (Toronto)'],
    ['16045551234', 'Canada (Vancouver)'],
    ['18765550123', 'Jamaica'],
    ['12425550123', 'the Bahamas'],
    ['4915112345678', 'Germany'],
  ])('keeps marketing templates to +%s: %s', (waId) => {
    expect(marketing(waId)).toMatchObject({ outcome: 'allow', route: 'whatsapp.template' });
  });

  it('never sends an authentication template to a person known only by a BSUID (131062), and does to a phone number', () => {
    const auth = withTemplate('APPROVED', 'AUTHENTICATION');
    const code = (userId?: string) => send('tpl', { kind: 'proactive_update', ...(userId ? { userId } : {}) });
    expect(decide(code('DE.88201734659910273645'), outside, auth, NOW)).toMatchObject({ reason: 'auth_template_to_bsuid' });
    expect(decide(code('DE.88201734659910273645'), { ...outside, waId: '4915112345678' }, auth, NOW)).toMatchObject({ outcome: 'allow' });
    expect(decide(code(), outside, auth, NOW)).toMatchObject({ outcome: 'allow', pricing: 'authentication' });
  });
});

describe('130497: the account may not message a country', () => {
  it('holds that country for the account from the error, and no other', () => {
    const account = accountFrom({ countryRestriction_DE: NOW + 2 * HOUR });
    expect(decide(send('tpl'), outside, account, NOW)).toMatchObject({ reason: 'recipient_country_restricted', earliestAt: NOW + 2 * HOUR });
    expect(decide(send('tpl', { userId: '436641234567' }), outside, account, NOW)).toMatchObject({ outcome: 'allow' });
    expect(decide(send('tpl'), outside, account, NOW + 2 * HOUR)).toMatchObject({ outcome: 'allow' });
  });

  it('the error writes the country of the number on the sending account', () => {
    const writes = errorFeedback({
      outcome: classifyGraphError({ channel: 'whatsapp', code: 130497, requestSent: true }),
      code: 130497,
      account: { channel: 'whatsapp', accountId: PHONE },
      contact: { channel: 'whatsapp', accountId: PHONE, userId: '4915112345678' },
      at: NOW,
      order: 'o',
    });
    expect(writes).toEqual([expect.objectContaining({ register: 'countryRestriction_DE', fields: { countryRestriction_DE: NOW + 24 * HOUR } })]);
  });
});

describe('131049 back-off and the window', () => {
  it('holds marketing templates outside the window only: inside a window the person opened they do not count', () => {
    const paused = { marketingPausedUntil: NOW + 10 * HOUR };
    const marketing = send('tpl', { kind: 'marketing' });
    expect(decide(marketing, { ...outside, ...paused }, withTemplate('APPROVED', 'MARKETING'), NOW)).toMatchObject({ reason: 'marketing_limit_backoff' });
    expect(decide(marketing, { ...inside, ...paused }, withTemplate('APPROVED', 'MARKETING'), NOW)).toMatchObject({ outcome: 'allow' });
  });
});
