/**
 * Interface under test: the admin API's handoff routes and what `POST /admin/sends` does to the
 * handoff (lambdas/admin/handoff-routes.ts), on the admin rig with a recording business bus.
 */
import { createAdminHandler } from '../../../lambdas/admin/admin-api';
import type { BusinessBusEvent } from '../../../lambdas/domain/automation/rule';
import type { RegisterWrite } from '../../../lambdas/domain/state-writes';
import { AutomationConfigSchema } from '../../../lambdas/schemas/automation-config';
import { httpEvent } from '../../helpers/api-gateway-event';
import { DE_WA, PHONE } from '../../helpers/sample-ids';
import { adminRig, NOW } from './admin-rig';

const HOUR = 3_600_000;
const CONTACT = `whatsapp/${PHONE}/${DE_WA}`;

const setup = async (timeoutHours?: number) => {
  const { deps, automationConfigs } = adminRig();
  if (timeoutHours !== undefined) await automationConfigs.put({ channel: 'whatsapp', accountId: PHONE }, AutomationConfigSchema.parse({ handoff: { timeoutHours } }));
  const put: BusinessBusEvent[] = [];
  const handler = createAdminHandler({ ...deps, bus: { put: (events) => Promise.resolve(void put.push(...events)) } });
  const call = async (method: string, path: string, body?: unknown) => {
    const result = await handler(httpEvent({ method, path, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
    return { status: result.statusCode, body: JSON.parse(String(result.body)) as Record<string, unknown> };
  };
  const handoffWrites = () => (deps.store as unknown as { writes: RegisterWrite[] }).writes.filter((w) => w.register === 'handoff');
  return { call, put, handoffWrites };
};

describe('the handoff routes', () => {
  it('POST hands over for the account’s timeout and puts handoff.requested with the note; DELETE resumes', async () => {
    const { call, put, handoffWrites } = await setup(6);
    const over = await call('POST', `/admin/contacts/${CONTACT}/handoff`, { note: 'asked about a refund' });
    expect(over).toEqual({
      status: 200,
      body: {
        channel: 'whatsapp',
        accountId: PHONE,
        userId: DE_WA,
        handoff: { active: true, source: 'admin', since: new Date(NOW).toISOString(), until: new Date(NOW + 6 * HOUR).toISOString(), keyword: null, note: 'asked about a refund' },
      },
    });
    expect(put).toEqual([{ detailType: 'handoff.requested', detail: expect.objectContaining({ source: 'admin', note: 'asked about a refund', contactPath: `/admin/contacts/${CONTACT}` }) as unknown }]);

    const back = await call('DELETE', `/admin/contacts/${CONTACT}/handoff`);
    expect(back.body.handoff).toEqual({ active: false, source: 'resume', since: new Date(NOW).toISOString(), until: null, keyword: null, note: null });
    expect(handoffWrites().map((w) => w.fields.handoffActive)).toEqual([true, false]);
  });

  it('refuses a person afterchat never saw, and a body with fields it doesn’t know', async () => {
    const { call, handoffWrites } = await setup();
    expect(await call('POST', `/admin/contacts/whatsapp/${PHONE}/4915100000999/handoff`, {})).toMatchObject({ status: 404, body: { error: 'contact not found' } });
    expect(await call('POST', `/admin/contacts/${CONTACT}/handoff`, { note: 'x', until: 'tomorrow' })).toMatchObject({ status: 400, body: { error: 'invalid handoff' } });
    expect(handoffWrites()).toEqual([]);
  });
});

describe('an agent’s reply through POST /admin/sends', () => {
  const intent = (author: 'human' | 'bot', kind = 'reply') => ({ channel: 'whatsapp', accountId: PHONE, userId: DE_WA, kind, author, content: { type: 'text', text: 'Hallo!' } });

  it('(re)starts the handoff when a human’s reply is let through, once per job', async () => {
    const { call, put, handoffWrites } = await setup();
    expect((await call('POST', '/admin/sends', { intent: intent('human'), idempotencyKey: 'agent-1' })).status).toBe(202);
    expect((await call('POST', '/admin/sends', { intent: intent('human'), idempotencyKey: 'agent-1' })).status).toBe(200);
    expect(handoffWrites()).toEqual([expect.objectContaining({ fields: expect.objectContaining({ handoffSource: 'agent_reply', handoffUntil: NOW + 24 * HOUR }) as unknown })]);
    expect(put).toEqual([]);
  });

  it('never for a bot’s send or a person’s promotion', async () => {
    const { call, handoffWrites } = await setup();
    await call('POST', '/admin/sends', { intent: intent('bot'), idempotencyKey: 'bot-1' });
    await call('POST', '/admin/sends', { intent: intent('human', 'marketing'), idempotencyKey: 'promo-1' });
    expect(handoffWrites()).toEqual([]);
  });
});
