/** Interface under test: `GET /admin/quarantine` through the admin handler, over the in-memory quarantine. */
import { Logger } from '@aws-lambda-powertools/logger';
import { type AdminDeps, createAdminHandler } from '../../../lambdas/admin/admin-api';
import { InMemoryQuarantine } from '../../../lambdas/adapters/memory/quarantine';
import type { QuarantineEntry } from '../../../lambdas/ports/quarantine';
import { httpEvent } from '../../helpers/api-gateway-event';

const NOW = Date.UTC(2026, 4, 18, 12);

const entry = (n: number, extra: Partial<QuarantineEntry> = {}): QuarantineEntry => ({
  quarantineId: `entry${n}`,
  reason: 'time_out_of_range',
  issues: [{ path: 'occurredAt', message: 'at most 300 s after the time of receipt' }],
  type: 'inbound',
  channel: 'messenger',
  accountId: '1234567890123456',
  userId: '6543210987654321',
  item: JSON.stringify({ type: 'inbound', occurredAt: 1e15 }),
  itemTruncated: false,
  ...extra,
});

const setup = (quarantine: InMemoryQuarantine | undefined) => {
  const handler = createAdminHandler({
    store: {} as AdminDeps['store'],
    accounts: {} as AdminDeps['accounts'],
    automationConfigs: {} as AdminDeps['automationConfigs'],
    clock: () => NOW,
    logger: new Logger({ logLevel: 'CRITICAL' }),
    sends: {} as AdminDeps['sends'],
    campaigns: {} as AdminDeps['campaigns'],
    profiles: {} as AdminDeps['profiles'],
    ...(quarantine === undefined ? {} : { quarantine }),
  });
  return async (query: Record<string, string> = {}) => {
    const result = await handler(httpEvent({ method: 'GET', path: '/admin/quarantine', query }));
    return { status: result.statusCode, body: JSON.parse(String(result.body)) as Record<string, unknown> };
  };
};

describe('GET /admin/quarantine', () => {
  it('lists quarantined items newest first with their reason, issues, ISO times and the item as JSON, paged by cursor', async () => {
    const quarantine = new InMemoryQuarantine();
    await quarantine.put([entry(1)], NOW - 2000);
    await quarantine.put([entry(2, { item: '{"cut', itemTruncated: true })], NOW - 1000);
    const get = setup(quarantine);
    const first = await get({ limit: '1' });
    expect(first).toEqual({
      status: 200,
      body: {
        items: [
          expect.objectContaining({
            quarantineId: 'entry2',
            reason: 'time_out_of_range',
            receivedAt: new Date(NOW - 1000).toISOString(),
            expiresAt: new Date(Math.floor((NOW - 1000) / 1000) * 1000 + 30 * 86_400_000).toISOString(),
            item: '{"cut',
            itemTruncated: true,
          }),
        ],
        cursor: expect.any(String) as unknown,
      },
    });
    const second = await get({ limit: '1', cursor: String(first.body.cursor) });
    expect(second.body).toEqual({ items: [expect.objectContaining({ quarantineId: 'entry1', item: { type: 'inbound', occurredAt: 1e15 }, userId: '6543210987654321' })] });
  });

  it.each([
    [{ limit: '0' }, { error: 'invalid query', detail: [{ path: 'limit', message: 'an integer from 1 to 100' }] }],
    [{ limit: '101' }, { error: 'invalid query', detail: [{ path: 'limit', message: 'an integer from 1 to 100' }] }],
    [{ cursor: 'garbage' }, { error: 'invalid quarantine cursor' }],
  ])('answers 400 to %j', async (query, body) => {
    expect(await setup(new InMemoryQuarantine())(query)).toEqual({ status: 400, body });
  });

  it('answers 503 when the admin API has no quarantine configured', async () => {
    expect((await setup(undefined)()).status).toBe(503);
  });
});
