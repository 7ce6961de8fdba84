/**
 * Interface under test: `GET /admin/accounts/{channel}/{accountId}/automation/usage` on the admin
 * handler over in-memory adapters (every answer held to the contract by the rig).
 */
import type { AutomatedSendUsage } from '../../../lambdas/domain/automation/usage';
import { PAGE, PHONE } from '../../helpers/sample-ids';
import { adminRig } from './admin-rig';

const USAGE = `/admin/accounts/whatsapp/${PHONE}/automation/usage`;
let n = 0;
const send = (over: Partial<AutomatedSendUsage>): AutomatedSendUsage => {
  n += 1;
  return { account: { channel: 'whatsapp', accountId: PHONE }, day: '2026-12-06', rule: 'keyword', outboxId: `ob_${String(n).padStart(24, '0')}`, pricing: 'service', market: 'DE', ...over };
};

describe('GET …/automation/usage', () => {
  it('answers per local day and rule the sends, refusals and estimated cost, with the dated price rows used', async () => {
    const { call, automationUsage } = adminRig();
    for (const s of [send({}), send({}), send({ rule: 'greeting' }), send({ rule: 'greeting', pricing: null }), send({ day: '2026-12-07', market: 'default' })]) {
      await automationUsage.record(s);
    }

    const answer = await call('GET', USAGE, undefined, { from: '2026-12-01', to: '2026-12-07' });

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      channel: 'whatsapp',
      accountId: PHONE,
      timeZone: 'Europe/Berlin',
      from: '2026-12-01',
      to: '2026-12-07',
      days: [
        { day: '2026-12-06', rule: 'greeting', sends: 1, refused: 1, estimatedCost: { EUR: 0.0456 }, unpriced: 0 },
        { day: '2026-12-06', rule: 'keyword', sends: 2, refused: 0, estimatedCost: { EUR: 0.0912 }, unpriced: 0 },
        { day: '2026-12-07', rule: 'keyword', sends: 1, refused: 0, estimatedCost: {}, unpriced: 1 },
      ],
      totals: { sends: 4, refused: 1, estimatedCost: { EUR: 0.1368 }, unpriced: 1 },
    });
    expect((answer.body.prices as { id: string; confirmed: boolean; effectiveFrom: string }[]).map((p) => [p.id, p.effectiveFrom, p.confirmed])).toEqual([
      ['whatsapp.default.service.2026-10', '2026-10-01', false],
      ['whatsapp.DE.service.2026-10', '2026-10-01', false],
    ]);
  });

  it('reads the week up to today in the account’s zone when no range is given', async () => {
    const { call, automationUsage } = adminRig();
    // The rig's now is 2026-05-17 12:00 UTC.
    for (const day of ['2026-05-10', '2026-05-11', '2026-05-17', '2026-05-18']) await automationUsage.record(send({ day }));

    const answer = await call('GET', USAGE);

    expect(answer.body).toMatchObject({ from: '2026-05-11', to: '2026-05-17' });
    expect((answer.body.days as { day: string }[]).map((d) => d.day)).toEqual(['2026-05-11', '2026-05-17']);
  });

  it.each([
    [{ from: '2026-12-08', to: '2026-12-07' }, 'must not be after `to`'],
    [{ from: '2026-01-01', to: '2026-12-07' }, 'at most 92 days before `to`'],
    [{ from: '6 Dec', to: '2026-12-07' }, 'a date, YYYY-MM-DD'],
  ])('refuses the range %j: %s', async (query, message) => {
    const answer = await adminRig().call('GET', USAGE, undefined, query);

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'invalid query', detail: [{ path: 'from', message }] });
  });

  it('answers 404 for an account that is not registered', async () => {
    const answer = await adminRig().call('GET', `/admin/accounts/messenger/${PAGE}1/automation/usage`);

    expect(answer).toMatchObject({ status: 404, body: { error: 'account not registered' } });
  });
});
