/**
 * Interface under test: stateChanges for Meta's asynchronous errors (WhatsApp `failed` statuses and
 * value-level errors) — the same error table and the same feedback writes as a send call's answer.
 */
import type { ContactRef, MessageStatusEvent, WebhookEvent } from '../../../lambdas/domain/events';
import { classifyGraphError } from '../../../lambdas/domain/send/classify-error';
import { ERROR_TABLE } from '../../../lambdas/domain/send/error-table';
import { ACCOUNT_PAUSE_MS, failureFeedback } from '../../../lambdas/domain/send/send-feedback';
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import { stateChanges } from '../../../lambdas/domain/state-changes';
import type { RegisterWrite } from '../../../lambdas/domain/state-writes';

const PHONE = '109876543210987';
const WABA = '102290129340398';
const at = Date.UTC(2026, 10, 20, 9);
const DAY = 86_400_000;
const person: ContactRef = { channel: 'whatsapp', accountId: PHONE, userId: '4915112345678' };
const phone = { channel: 'whatsapp' as const, accountId: PHONE };
const waba = { channel: 'whatsapp' as const, accountId: WABA };

const failed = (code: number, extra: Partial<MessageStatusEvent> = {}): MessageStatusEvent => ({
  type: 'message_status',
  eventKey: `whatsapp#${PHONE}#status#wamid.X#failed#${code}`,
  occurredAt: at,
  messageId: 'wamid.X',
  status: 'failed',
  contact: person,
  account: phone,
  businessAccountId: WABA,
  error: { code, title: 'title' },
  ...extra,
});

/** The writes that change what the next decision sees, without the message record's own. */
const feedback = (event: WebhookEvent): RegisterWrite[] =>
  stateChanges(event).filter((w) => w.target.entity !== 'message' && w.target.entity !== 'outbox' && !['waId', 'bsuid', 'link'].includes(w.register));

describe('asynchronous errors change state as a send call’s answer would', () => {
  it('131050: the person opted out of marketing, in the register user_preferences writes', () => {
    expect(feedback(failed(131050))).toEqual([
      expect.objectContaining({
        target: { entity: 'contact', contact: person },
        register: 'marketingPreference',
        wins: 'later',
        fields: expect.objectContaining({ marketingOptOut: true, marketingPreferenceAt: at }) as object,
      }),
    ]);
  });

  it('131049: marketing to the person is held 24 h from Meta’s report', () => {
    expect(feedback(failed(131049))).toEqual([
      expect.objectContaining({ register: 'marketingPause', fields: expect.objectContaining({ marketingPausedUntil: at + DAY }) as object }),
    ]);
  });

  it('131026: the person is unreachable for a week, from the report’s time', () => {
    expect(feedback(failed(131026))).toEqual([
      expect.objectContaining({ register: 'unreachable', fields: expect.objectContaining({ unreachableUntil: at + 7 * DAY, unreachableAt: at }) as object }),
    ]);
  });

  it('132015 / 132016: the template afterchat sent is paused or disabled on its WABA', () => {
    const template = { name: 'spring_sale', language: 'de' };
    expect(feedback(failed(132015, { template }))).toEqual([
      expect.objectContaining({
        target: { entity: 'template', account: waba, ...template },
        register: 'templateStatus',
        fields: expect.objectContaining({ status: 'PAUSED', statusAt: at }) as object,
      }),
    ]);
    expect(feedback(failed(132016, { template }))[0]?.fields).toMatchObject({ status: 'DISABLED' });
    // Sent by another app: the template is not named, Meta's template webhook covers it.
    expect(feedback(failed(132015))).toEqual([]);
  });

  it('131031 / 131048: the sending number is paused for 15 minutes, even when the report names nobody', () => {
    for (const code of [131031, 131048]) {
      expect(feedback(failed(code, { contact: undefined }))).toEqual([
        expect.objectContaining({
          target: { entity: 'account', account: phone },
          register: 'sendingPause',
          fields: expect.objectContaining({ sendingPausedUntil: at + ACCOUNT_PAUSE_MS, sendingPauseCode: code }) as object,
        }),
      ]);
    }
  });

  it('131047, 131062, retries and unknown codes change nothing but the message', () => {
    for (const code of [131047, 131062, 131056, 131000, 999_999]) expect(feedback(failed(code))).toEqual([]);
  });

  it('a value-level error is recorded on the account and pauses it when it says the account can’t send', () => {
    const error = (code: number): WebhookEvent => ({ type: 'account_error', eventKey: `v#${code}`, occurredAt: at, account: phone, code, title: 'x' });
    expect(feedback(error(131000)).map((w) => w.register)).toEqual(['lastMetaError']);
    expect(feedback(error(131031)).map((w) => w.register)).toEqual(['lastMetaError', 'sendingPause']);
  });

  it('a failed status without a code (Marketing Message API) changes nothing but the message', () => {
    expect(feedback(failed(0, { error: { title: 'Recipient has stopped marketing messages' } }))).toEqual([]);
  });

  it.each(ERROR_TABLE.filter((row) => row.channels.includes('whatsapp') && row.subcode === undefined).map((row) => [row.code, row.outcome.action] as const))(
    'code %i (%s): the status webhook writes exactly what the sender writes for the same answer',
    (code) => {
      const intent: SendIntent = { ...person, kind: 'marketing', author: 'bot', content: { type: 'template', name: 'spring_sale', language: 'de' } };
      const outcome = classifyGraphError({ channel: 'whatsapp', code, requestSent: true });
      const fromSender = failureFeedback(intent, outcome, { code }, undefined, waba, 'ob_1', at);
      const fromWebhook = feedback(failed(code, { template: { name: 'spring_sale', language: 'de' } }));
      const strip = (writes: RegisterWrite[]) => writes.map(({ order: _order, ...rest }) => rest);
      expect(strip(fromWebhook)).toEqual(strip(fromSender));
    },
  );
});
