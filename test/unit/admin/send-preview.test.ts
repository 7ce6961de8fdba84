/**
 * Interface under test: `POST /admin/sends/preview` through the admin handler (createAdminHandler over
 * createSendRequests and in-memory stores): the decision now, or at `at`, from what is known now.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { type AdminDeps, createAdminHandler } from '../../../lambdas/admin/admin-api';
import type { AccountRef } from '../../../lambdas/domain/events';
import type { StoredAttributes, TemplateRecord } from '../../../lambdas/ports/state-store';
import { createSendRequests } from '../../../lambdas/send/send-requests';
import { httpEvent } from '../../helpers/api-gateway-event';
import { MemoryOutbox } from '../../helpers/memory-outbox';
import { FixedAccounts } from '../../helpers/recording-store';
import { DE_WA, PHONE, WABA } from '../../helpers/sample-ids';
import { PeopleStore } from '../campaign/fakes';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-05-17T12:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();

/** People, plus the WABA's templates and the number's policy record. */
class Store extends PeopleStore {
  accountPolicy: StoredAttributes | undefined;

  override listTemplates(account: AccountRef): Promise<TemplateRecord[]> {
    return Promise.resolve(account.accountId === WABA ? [{ name: 'weekly_deals', language: 'de', status: 'APPROVED', category: 'MARKETING' }] : []);
  }

  override getAccountPolicy(account: AccountRef): Promise<StoredAttributes | undefined> {
    return Promise.resolve(account.accountId === PHONE ? this.accountPolicy : undefined);
  }
}

const setup = (state: StoredAttributes) => {
  const store = new Store([{ channel: 'whatsapp', accountId: PHONE, userId: DE_WA, state, optIns: [] }]);
  const accounts = new FixedAccounts([{ channel: 'whatsapp', accountId: PHONE, displayName: 'Shop', tokenSecret: 't', timezone: 'Europe/Berlin', wabaId: WABA }]);
  const clock = () => NOW;
  const handler = createAdminHandler({
    store,
    accounts,
    automationConfigs: {} as AdminDeps['automationConfigs'],
    clock,
    logger: new Logger({ serviceName: 'afterchat-test', logLevel: 'ERROR' }),
    sends: createSendRequests({ outbox: new MemoryOutbox(), queue: { enqueue: () => Promise.resolve() }, store, accounts, clock }),
    campaigns: {} as AdminDeps['campaigns'],
    profiles: {} as AdminDeps['profiles'],
  });
  const preview = async (body: object) => {
    const result = await handler(httpEvent({ method: 'POST', path: '/admin/sends/preview', body: JSON.stringify(body) }));
    return { status: result.statusCode, body: JSON.parse(String(result.body)) as Record<string, unknown> };
  };
  return { preview, store };
};

const text = { channel: 'whatsapp', accountId: PHONE, userId: DE_WA, kind: 'reply', author: 'bot', content: { type: 'text', text: 'Hallo!' } };
const marketing = { ...text, kind: 'marketing', content: { type: 'template', name: 'weekly_deals', language: 'de' } };
const wroteAnHourAgo = { lastInboundAt: NOW - HOUR, lastMessageAt: NOW - HOUR, openedBy: 'message' };

describe('POST /admin/sends/preview', () => {
  it('decides now when no time is given, and says when it decided', async () => {
    const { preview } = setup(wroteAnHourAgo);
    expect(await preview(text)).toEqual({
      status: 200,
      body: { decision: expect.objectContaining({ outcome: 'allow', route: 'whatsapp.free_form' }) as unknown, decidedAt: iso(NOW) },
    });
  });

  it('refuses free text at a time the window will have closed by, from what is known now', async () => {
    const { preview } = setup(wroteAnHourAgo);
    const at = iso(NOW + 25 * HOUR);
    expect(await preview({ ...text, at })).toMatchObject({ status: 200, body: { decision: { outcome: 'refuse', reason: 'window_closed' }, decidedAt: at } });
    // Still inside the window two hours from now.
    expect(await preview({ ...text, at: iso(NOW + 2 * HOUR) })).toMatchObject({ body: { decision: { outcome: 'allow', route: 'whatsapp.free_form' } } });
  });

  it('allows marketing at a time Meta’s back-off (131049) is over by, and refuses it before', async () => {
    // Outside the window: inside a window the person opened, marketing templates don't count towards Meta's limit.
    const wroteTwoDaysAgo = { lastInboundAt: NOW - 2 * DAY, lastMessageAt: NOW - 2 * DAY, openedBy: 'message' };
    const { preview } = setup({ ...wroteTwoDaysAgo, marketingPausedUntil: NOW + 20 * HOUR, marketingPauseReason: 'send_error_131049' });
    expect(await preview(marketing)).toMatchObject({ body: { decision: { outcome: 'refuse', reason: 'marketing_limit_backoff', earliestAt: iso(NOW + 20 * HOUR) } } });
    expect(await preview({ ...marketing, at: iso(NOW + 19 * HOUR) })).toMatchObject({ body: { decision: { outcome: 'refuse', reason: 'marketing_limit_backoff' } } });
    const after = await preview({ ...marketing, at: iso(NOW + 21 * HOUR) });
    expect(after).toMatchObject({ status: 200, body: { decision: { outcome: 'allow', route: 'whatsapp.template' }, decidedAt: iso(NOW + 21 * HOUR) } });
  });

  it('allows a send at a time the account’s sending pause is over by, reading the account’s state at that time', async () => {
    const { preview, store } = setup(wroteAnHourAgo);
    store.accountPolicy = { sendingPausedUntil: NOW + 15 * 60_000, sendingPauseReason: 'account_locked', sendingPauseCode: 131031 };
    expect(await preview(text)).toMatchObject({ body: { decision: { outcome: 'refuse' } } });
    expect(await preview({ ...text, at: iso(NOW + 16 * 60_000) })).toMatchObject({ body: { decision: { outcome: 'allow', route: 'whatsapp.free_form' } } });
  });

  it('takes any instant from now up to 30 days ahead, in any zone offset', async () => {
    const { preview } = setup(wroteAnHourAgo);
    expect(await preview({ ...text, at: iso(NOW) })).toMatchObject({ status: 200, body: { decidedAt: iso(NOW) } });
    expect(await preview({ ...marketing, at: iso(NOW + 30 * DAY) })).toMatchObject({ status: 200, body: { decidedAt: iso(NOW + 30 * DAY) } });
    expect(await preview({ ...text, at: '2026-05-17T16:30:00+02:00' })).toMatchObject({ status: 200, body: { decidedAt: '2026-05-17T14:30:00.000Z' } });
  });

  it.each([
    ['a past time', iso(NOW - 1_000), /in the past/],
    ['more than 30 days ahead', iso(NOW + 30 * DAY + 1_000), /more than 30 days ahead/],
    ['a time without a zone', '2026-05-18T09:00:00', /ISO-8601 instant with a zone/],
    ['a date only', '2026-05-18', /ISO-8601 instant with a zone/],
    ['a number', NOW + HOUR, /ISO-8601 instant with a zone/],
  ])('answers 400 naming the field for %s', async (_case, at, message) => {
    const { preview } = setup(wroteAnHourAgo);
    const answer = await preview({ ...text, at });
    expect(answer).toEqual({ status: 400, body: { error: 'invalid send intent', detail: [{ path: 'at', message: expect.stringMatching(message) as unknown }] } });
  });
});
