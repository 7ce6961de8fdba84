/**
 * Interface under test: `GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/recipients` on
 * the in-memory rig. An occurrence's sends: delivered, read (one clicked), limited by Meta, failed,
 * skipped by the policy and still queued; another occurrence's send beside them. The listing pages
 * through exactly this occurrence's recipients, filters them by funnel state, and says why each was
 * skipped or failed.
 */
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import { newOutboxRecord, type OutboxRecord } from '../../../lambdas/ports/outbox';
import { PHONE } from '../../helpers/sample-ids';
import { occurrence } from '../campaign/fakes';
import { adminRig, NOW } from './admin-rig';

const KEY = '2026-11-23T08:00:00.000Z';
const PATH = `/admin/campaigns/weekly-deals/occurrences/${KEY}/recipients`;
const SENT_AT = NOW - 3_600_000;

const userOf = (n: number) => `4915100055${String(n).padStart(3, '0')}`;

/** A send of the occurrence to person `n`, as the sender and Meta's webhooks left it. */
const send = (n: number, over: Partial<OutboxRecord>, group = `weekly-deals#${KEY}`): OutboxRecord => {
  const intent: SendIntent = { channel: 'whatsapp', accountId: PHONE, userId: userOf(n), kind: 'marketing', author: 'bot', content: { type: 'template', name: 'deals', language: 'de' } };
  return { ...newOutboxRecord({ idempotencyKey: `${group}#${n}`, intent, now: SENT_AT, group }), ...over };
};

const delivered = (at: number) => ({ status: 'sent' as const, sentAt: SENT_AT, messageId: `wamid.${at}`, delivery: { status: 'delivered', at } });

const SENDS: Record<string, OutboxRecord[]> = {
  not_read: [1, 2, 3].map((n) => send(n, delivered(SENT_AT + n))),
  read_not_clicked: [send(4, { ...delivered(SENT_AT), delivery: { status: 'read', at: SENT_AT + 60_000 } })],
  clicked_not_converted: [send(5, { ...delivered(SENT_AT), delivery: { status: 'read', at: SENT_AT + 60_000 }, milestones: { read: 0, clicked: SENT_AT + 120_000 } })],
  limited_by_meta: [6, 7].map((n) =>
    send(n, { status: 'sent', sentAt: SENT_AT, delivery: { status: 'failed', at: SENT_AT + 5_000, failure: { code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement.', at: SENT_AT + 5_000 } } }),
  ),
  failed: [send(8, { status: 'sent', sentAt: SENT_AT, delivery: { status: 'failed', at: SENT_AT + 5_000, failure: { code: 131026, title: 'Message undeliverable', at: SENT_AT + 5_000 } } })],
  skipped: [9, 10].map((n) => send(n, { status: 'skipped', reason: 'quiet_hours', detail: 'It is quiet hours on the person’s clock.' })),
  pending: [send(11, {})],
};

const seeded = () => {
  const rig = adminRig();
  rig.occurrences.seed(occurrence('weekly-deals', KEY));
  for (const record of [...Object.values(SENDS).flat(), send(12, delivered(SENT_AT), 'weekly-deals#2026-11-16T08:00:00.000Z')]) rig.outbox.records.set(record.outboxId, record);
  return rig;
};

interface Row {
  userId: string;
  outboxId: string;
  status: string;
  states: string[];
  reached: string[];
  reason: string | null;
  detail: string | null;
  failure: { code: number | null; title: string | null } | null;
  clickedAt: string | null;
}

/** Every page the listing answers, following its cursor: the rows, and how many pages it took. */
const walk = async (call: ReturnType<typeof adminRig>['call'], query: Record<string, string>) => {
  const rows: Row[] = [];
  let pages = 0;
  let cursor: string | undefined;
  do {
    const answer = await call('GET', PATH, undefined, { ...query, ...(cursor === undefined ? {} : { cursor }) });
    expect(answer.status).toBe(200);
    rows.push(...(answer.body.recipients as Row[]));
    cursor = answer.body.cursor as string | undefined;
    pages += 1;
  } while (cursor !== undefined);
  return { rows, pages };
};

const usersIn = (state: string) => (SENDS[state] ?? []).map((r) => r.intent.userId).sort();

describe('an occurrence’s recipients', () => {
  it('lists each of the occurrence’s recipients once, page by page, and none of another occurrence', async () => {
    // Prepare
    const { call } = seeded();

    // Act
    const { rows, pages } = await walk(call, { limit: '4' });

    // Assess
    expect(rows.map((r) => r.userId).sort()).toEqual(Array.from({ length: 11 }, (_, i) => userOf(i + 1)));
    expect(new Set(rows.map((r) => r.outboxId)).size).toBe(11);
    expect(pages).toBe(3);
  });

  it.each(['not_read', 'read_not_clicked', 'clicked_not_converted', 'limited_by_meta', 'failed', 'skipped'])('filters to the recipients %s, a page of one at a time', async (state) => {
    // Prepare
    const { call } = seeded();

    // Act
    const { rows } = await walk(call, { state, limit: '1' });

    // Assess
    expect(rows.map((r) => r.userId).sort()).toEqual(usersIn(state));
    for (const row of rows) expect(row.states).toEqual([state]);
  });

  it('says why a send was limited, failed or skipped, in Meta’s and the policy’s words', async () => {
    // Prepare
    const { call } = seeded();

    // Act
    const limited = await call('GET', PATH, undefined, { state: 'limited_by_meta' });
    const failed = await call('GET', PATH, undefined, { state: 'failed' });
    const skipped = await call('GET', PATH, undefined, { state: 'skipped' });

    // Assess
    expect(limited.body.recipients).toEqual([
      expect.objectContaining({ status: 'failed', reached: ['limited'], failure: { code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement.' } }),
      expect.objectContaining({ status: 'failed', reached: ['limited'] }),
    ]);
    expect(failed.body.recipients).toEqual([expect.objectContaining({ reached: [], failure: { code: 131026, title: 'Message undeliverable' } })]);
    expect(skipped.body.recipients).toEqual([
      expect.objectContaining({ status: 'skipped', reason: 'quiet_hours', detail: 'It is quiet hours on the person’s clock.', failure: null }),
      expect.objectContaining({ status: 'skipped', reason: 'quiet_hours' }),
    ]);
  });

  it('names the funnel milestones a recipient reached, a click with its time', async () => {
    // Prepare
    const { call } = seeded();

    // Act
    const answer = await call('GET', PATH, undefined, { state: 'clicked_not_converted' });

    // Assess
    expect(answer.body.recipients).toEqual([
      expect.objectContaining({ userId: userOf(5), status: 'read', reached: ['delivered', 'read', 'clicked'], clickedAt: new Date(SENT_AT + 120_000).toISOString() }),
    ]);
  });

  it('answers 404 for an occurrence that never fired, and 400 for a state that is none', async () => {
    // Prepare
    const { call } = seeded();

    // Act
    const missing = await call('GET', '/admin/campaigns/weekly-deals/occurrences/2026-01-05T08:00:00.000Z/recipients');
    const unknown = await call('GET', PATH, undefined, { state: 'happy' });

    // Assess
    expect(missing).toMatchObject({ status: 404, body: { error: 'occurrence not found' } });
    expect(unknown).toMatchObject({ status: 400, body: { error: 'invalid query', detail: [{ path: 'state' }] } });
  });
});
