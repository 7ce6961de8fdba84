/** Interface under test: which webhook events the funnel counts as an opt-out of the message they follow (funnel-opt-out.ts). */
import type { MarketingPreferenceEvent, OptInEvent, WebhookEvent } from '../../../lambdas/domain/events';
import { funnelOptOut } from '../../../lambdas/domain/measurement/funnel-opt-out';
import { PAGE, PHONE, PSID } from '../../helpers/sample-ids';

const AT = Date.UTC(2026, 11, 6, 10);
const WA = { channel: 'whatsapp' as const, accountId: PHONE, userId: '4915100000001' };

const preference = (value: 'stop' | 'resume'): MarketingPreferenceEvent => ({
  type: 'marketing_preference',
  eventKey: `whatsapp#${PHONE}#prefs#${value}`,
  occurredAt: AT,
  contact: WA,
  value,
  category: 'marketing_messages',
});

describe('funnelOptOut', () => {
  it('is a WhatsApp user_preferences stop, by the person at Meta’s time', () => {
    expect(funnelOptOut(preference('stop'))).toEqual({ contact: WA, at: AT });
  });

  it('is not a resume, nor any other event: a STOP keyword is automation’s to judge', () => {
    const optIn: OptInEvent = { type: 'opt_in', eventKey: `messenger#${PAGE}#optin#1`, occurredAt: AT, contact: { channel: 'messenger', accountId: PAGE, userId: PSID }, token: 't-1', change: 'opt_in' };
    const text: WebhookEvent = { type: 'inbound', eventKey: `whatsapp#${PHONE}#mid#1`, occurredAt: AT, contact: WA, opener: 'message', said: { text: 'STOP' } };

    expect([preference('resume'), optIn, text].map(funnelOptOut)).toEqual([undefined, undefined, undefined]);
  });
});
