/** Interface under test: what a failed send teaches the state (failureFeedback). */
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import { ACCOUNT_PAUSE_MS, failureFeedback } from '../../../lambdas/domain/send/send-feedback';

const now = Date.UTC(2026, 4, 17, 12);
const intent: SendIntent = {
  channel: 'whatsapp',
  accountId: '109876543210987',
  userId: '4915112345678',
  kind: 'marketing',
  author: 'bot',
  content: { type: 'template', name: 'summer_sale', language: 'en_US' },
};
const waba = { channel: 'whatsapp' as const, accountId: '102290129340398' };

describe('failureFeedback', () => {
  it('records an opt-out on 131050', () => {
    const [w] = failureFeedback(intent, { action: 'stop_contact', reason: 'opted_out', marketingOnly: true }, { code: 131050 }, undefined, waba, 'ob_1', now);
    expect(w).toMatchObject({ register: 'marketingPreference', fields: { marketingOptOut: true } });
  });

  it('pauses marketing for the person for the classifier’s time on 131049', () => {
    const [w] = failureFeedback(intent, { action: 'stop_contact', reason: 'limit', marketingOnly: true, forMs: 86_400_000 }, { code: 131049 }, undefined, waba, 'ob_1', now);
    expect(w).toMatchObject({ register: 'marketingPause', fields: { marketingPausedUntil: now + 86_400_000 } });
  });

  it('stops the Messenger token on 2300034', () => {
    const messenger = { ...intent, channel: 'messenger' as const };
    const [w] = failureFeedback(messenger, { action: 'stop_contact', reason: 'stopped', marketingOnly: true }, { code: 2300034 }, 'tok', waba, 'ob_1', now);
    expect(w).toMatchObject({ target: { entity: 'opt_in', token: 'tok' }, register: 'optInStatus', fields: { status: 'stopped' } });
  });

  it('marks the template paused on its WABA on 132015', () => {
    const [w] = failureFeedback(intent, { action: 'pause_template', reason: 'paused' }, { code: 132015 }, undefined, waba, 'ob_1', now);
    expect(w).toMatchObject({ target: { entity: 'template', account: waba, name: 'summer_sale' }, fields: { status: 'PAUSED' } });
  });

  it('pauses the account for a while on 190, so sends resume by themselves once the token is fixed', () => {
    const [w] = failureFeedback(intent, { action: 'flag_account', reason: 'token' }, { code: 190 }, undefined, waba, 'ob_1', now);
    expect(w).toMatchObject({ target: { entity: 'account' }, fields: { sendingPausedUntil: now + ACCOUNT_PAUSE_MS } });
  });
});
