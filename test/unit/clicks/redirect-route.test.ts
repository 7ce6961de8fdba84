import { Logger } from '@aws-lambda-powertools/logger';
import { InMemoryClickLog } from '../../../lambdas/adapters/memory/click-log';
import { InMemoryFunnelMilestones } from '../../../lambdas/adapters/memory/funnel-milestones';
import { InMemoryOutbox } from '../../../lambdas/adapters/memory/outbox';
import { StaticTrackingKeys } from '../../../lambdas/adapters/secrets/static-tracking-keys';
import { createRedirectHandler } from '../../../lambdas/clicks/redirect-handler';
import { signTrackedLink } from '../../../lambdas/domain/clicks/tracking-token';
import { httpEvent } from '../../helpers/api-gateway-event';
import { DE_WA, PHONE } from '../../helpers/sample-ids';

const KEY = 'route-test-key';
const SENT = Date.parse('2026-12-01T10:00:00Z');
const DAY = 86_400_000;
const BROWSER = 'Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile Safari/537.36';

const rig = async () => {
  let now = SENT + 60_000;
  const outbox = new InMemoryOutbox();
  const funnel = new InMemoryFunnelMilestones(outbox);
  const clicks = new InMemoryClickLog();
  const { record } = await outbox.create({
    idempotencyKey: 'sale#2026-12-01#whatsapp#1',
    intent: { channel: 'whatsapp', accountId: PHONE, userId: DE_WA, kind: 'marketing', author: 'bot', content: { type: 'text', text: 'x' } },
    now: SENT,
    group: 'sale#2026-12-01T10:00:00.000Z',
    links: ['https://shop.example/sale?utm_source=wa', 'https://shop.example/new'],
  });
  outbox.records.set(record.outboxId, { ...record, status: 'sent', sentAt: SENT, delivery: { status: 'delivered', at: SENT + 2_000 } });
  const handler = createRedirectHandler({
    keys: new StaticTrackingKeys(KEY),
    outbox,
    funnel,
    clicks,
    clock: () => now,
    previewWindowMs: 10_000,
    logger: new Logger({ logLevel: 'SILENT' }),
  });
  const follow = (token: string, userAgent = BROWSER) => handler(httpEvent({ method: 'GET', path: `/r/${token}`, headers: { 'user-agent': userAgent } }));
  const token = (target: number, expiresAt = SENT + 30 * DAY, key = KEY) => signTrackedLink({ outboxId: record.outboxId, target, expiresAt }, key);
  return { outboxId: record.outboxId, funnel, clicks, follow, token, handler, setNow: (at: number) => (now = at) };
};

describe('GET /r/{token}', () => {
  it('redirects a real click to the stored target and counts the message clicked once however often it is followed', async () => {
    const r = await rig();
    const first = await r.follow(r.token(0));
    expect(first).toMatchObject({ statusCode: 302, headers: { location: 'https://shop.example/sale?utm_source=wa', 'cache-control': 'no-store' } });
    expect((await r.follow(r.token(1))).headers).toMatchObject({ location: 'https://shop.example/new' });
    expect(r.funnel.has(r.outboxId, 'clicked')).toBe(true);
    expect(r.funnel.tally({ kind: 'campaign', campaignId: 'sale' }).counts.clicked).toBe(1);
    expect(r.clicks.clicks.map((c) => c.clicked)).toEqual([{ kind: 'link', target: 0 }, { kind: 'link', target: 1 }]);
    expect(r.clicks.clicks[0]).toMatchObject({ outboxId: r.outboxId, contact: { channel: 'whatsapp', accountId: PHONE, userId: DE_WA } });
  });

  it('answers 403 to a forged link, 410 to an expired one and 404 to a target the message did not carry, none redirecting or counting', async () => {
    const r = await rig();
    const forged = await r.follow(r.token(0, SENT + 30 * DAY, 'someone-elses-key'));
    const tampered = await r.follow(`${r.token(1).split('.')[0]}.${r.token(0).split('.')[1]}`);
    const expired = await r.follow(r.token(0, SENT + 30_000));
    const foreign = await r.follow(r.token(5));
    expect([forged, tampered, expired, foreign].map((a) => a.statusCode)).toEqual([403, 403, 410, 404]);
    for (const answer of [forged, tampered, expired, foreign]) expect(answer.headers).not.toHaveProperty('location');
    expect(r.funnel.has(r.outboxId, 'clicked')).toBe(false);
    expect(r.clicks.clicks).toEqual([]);
  });

  it('ignores any address a caller appends: it only ever redirects to what the message carried', async () => {
    const r = await rig();
    const event = httpEvent({ method: 'GET', path: `/r/${r.token(0)}`, query: { to: 'https://evil.example', url: 'https://evil.example' }, headers: { 'user-agent': BROWSER } });
    expect((await r.handler(event)).headers).toMatchObject({ location: 'https://shop.example/sale?utm_source=wa' });
  });

  it("redirects a preview agent's fetch around delivery without counting it, and counts the same agent later", async () => {
    const r = await rig();
    r.setNow(SENT + 5_000);
    const preview = await r.follow(r.token(0), 'WhatsApp/2.24.1.6 A');
    expect(preview).toMatchObject({ statusCode: 302, headers: { location: 'https://shop.example/sale?utm_source=wa' } });
    expect(r.funnel.has(r.outboxId, 'clicked')).toBe(false);
    expect(r.clicks.clicks).toEqual([]);
    r.setNow(SENT + 5 * 60_000);
    await r.follow(r.token(0), 'WhatsApp/2.24.1.6 A');
    expect(r.funnel.has(r.outboxId, 'clicked')).toBe(true);
  });
});
