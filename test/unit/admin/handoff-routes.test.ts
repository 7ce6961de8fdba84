/**
 * Interface under test: the admin API's handoff routes and what `POST /admin/sends` does to the
 * handoff (lambdas/admin/handoff-routes.ts), on the admin rig with a recording business bus.
 */
import { mergeContactStates } from '../../../lambdas/adapters/dynamodb/contact-merge';
import { createAdminHandler } from '../../../lambdas/admin/admin-api';
import type { BusinessBusEvent } from '../../../lambdas/domain/automation/rule';
import type { ContactRef } from '../../../lambdas/domain/events';
import type { RegisterWrite } from '../../../lambdas/domain/state-writes';
import { AutomationConfigSchema } from '../../../lambdas/schemas/automation-config';
import { httpEvent } from '../../helpers/api-gateway-event';
import { DE_WA, PHONE } from '../../helpers/sample-ids';
import { RegisterModel } from '../../helpers/register-model';
import { adminRig, NOW } from './admin-rig';
import * as z from 'zod';

const HOUR = 3_600_000;
const CONTACT = `whatsapp/${PHONE}/${DE_WA}`;

/** Failures to inject: the next `handoffWrites` writes of the handoff register, and the next `puts` bus puts, fail. */
interface Faults {
  handoffWrites: number;
  puts: number;
}

const setup = async (timeoutHours?: number, options: { clock?: () => number } = {}) => {
  const { deps, automationConfigs } = adminRig();
  if (timeoutHours !== undefined) await automationConfigs.put({ channel: 'whatsapp', accountId: PHONE }, AutomationConfigSchema.parse({ handoff: { timeoutHours } }));
  const put: BusinessBusEvent[] = [];
  const faults: Faults = { handoffWrites: 0, puts: 0 };
  const fails = (kind: keyof Faults) => faults[kind] > 0 && faults[kind]-- > 0;
  // The person's state as the writes that landed leave it (the rig's store records writes only).
  const model = new RegisterModel();
  const apply = async (writes: RegisterWrite[]) => {
    if (writes.some((w) => w.register === 'handoff') && fails('handoffWrites')) throw new Error('DynamoDB unavailable');
    await deps.store.apply(writes);
    model.applyWrites(writes);
  };
  const getPerson = async (contact: ContactRef) => {
    const record = await deps.store.getPerson(contact);
    return record && { ...record, state: { ...record.state, ...mergeContactStates([...model.items.values()]) } };
  };
  const store = new Proxy(deps.store, {
    get: (target, name, receiver): unknown => (name === 'apply' ? apply : name === 'getPerson' ? getPerson : Reflect.get(target, name, receiver)),
  });
  const bus = { put: (events: BusinessBusEvent[]) => (fails('puts') ? Promise.reject(new Error('EventBridge unavailable')) : Promise.resolve(void put.push(...events))) };
  const handler = createAdminHandler({ ...deps, store, bus, ...(options.clock ? { clock: options.clock } : {}) });
  const call = async (method: string, path: string, body?: unknown) => {
    const result = await handler(httpEvent({ method, path, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
    return { status: result.statusCode, body: JSON.parse(String(result.body)) as Record<string, unknown> };
  };
  const handoffWrites = () => (deps.store as unknown as { writes: RegisterWrite[] }).writes.filter((w) => w.register === 'handoff');
  return { call, put, handoffWrites, faults, deps, automationConfigs };
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

  it('a POST retried after the bus refused its event puts handoff.requested', async () => {
    const { call, put, faults } = await setup();
    faults.puts = 1;
    expect((await call('POST', `/admin/contacts/${CONTACT}/handoff`, {})).status).toBe(500);
    expect((await call('POST', `/admin/contacts/${CONTACT}/handoff`, {})).status).toBe(200);
    expect(put).toEqual([{ detailType: 'handoff.requested', detail: expect.objectContaining({ source: 'admin', contactPath: `/admin/contacts/${CONTACT}` }) as unknown }]);
  });

  it('hands over under the built-in configuration when the stored one no longer parses', async () => {
    const { deps } = await setup();
    const unreadable = { read: () => Promise.reject(new z.ZodError([])), put: deps.automationConfigs.put.bind(deps.automationConfigs) };
    const handler = createAdminHandler({ ...deps, automationConfigs: unreadable, bus: { put: () => Promise.resolve() } });
    const over = await handler(httpEvent({ method: 'POST', path: `/admin/contacts/${CONTACT}/handoff`, body: '{}' }));
    expect(over.statusCode).toBe(200);
    expect(JSON.parse(String(over.body))).toMatchObject({ handoff: { active: true, until: new Date(NOW + 24 * HOUR).toISOString() } });
    expect((await handler(httpEvent({ method: 'DELETE', path: `/admin/contacts/${CONTACT}/handoff` }))).statusCode).toBe(200);
  });
});

describe('an agent’s reply through POST /admin/sends', () => {
  const intent = (author: 'human' | 'bot', kind = 'reply') => ({ channel: 'whatsapp', accountId: PHONE, userId: DE_WA, kind, author, content: { type: 'text', text: 'Hallo!' } });

  it('(re)starts the handoff when a human’s reply is let through, from the job’s time; a retried call writes the same', async () => {
    const { call, put, handoffWrites } = await setup(undefined, { clock: () => NOW + 5 * 60_000 });
    expect((await call('POST', '/admin/sends', { intent: intent('human'), idempotencyKey: 'agent-1' })).status).toBe(202);
    expect((await call('POST', '/admin/sends', { intent: intent('human'), idempotencyKey: 'agent-1' })).status).toBe(200);
    const [first, again] = handoffWrites();
    expect(first).toEqual(expect.objectContaining({ fields: expect.objectContaining({ handoffSource: 'agent_reply', handoffSince: NOW, handoffUntil: NOW + 24 * HOUR }) as unknown }));
    expect(again).toEqual(first);
    expect(put).toEqual([]);
  });

  it('a call retried after the handoff write failed still silences the bot: the job went out', async () => {
    const { call, handoffWrites, faults } = await setup();
    faults.handoffWrites = 1;
    expect((await call('POST', '/admin/sends', { intent: intent('human'), idempotencyKey: 'agent-1' })).status).toBe(500);
    expect((await call('POST', '/admin/sends', { intent: intent('human'), idempotencyKey: 'agent-1' })).body).toMatchObject({ created: false });
    expect(handoffWrites()).toEqual([expect.objectContaining({ fields: expect.objectContaining({ handoffSource: 'agent_reply', handoffActive: true, handoffSince: NOW }) as unknown })]);
  });

  it('never for a bot’s send or a person’s promotion', async () => {
    const { call, handoffWrites } = await setup();
    await call('POST', '/admin/sends', { intent: intent('bot'), idempotencyKey: 'bot-1' });
    await call('POST', '/admin/sends', { intent: intent('human', 'marketing'), idempotencyKey: 'promo-1' });
    expect(handoffWrites()).toEqual([]);
  });
});
