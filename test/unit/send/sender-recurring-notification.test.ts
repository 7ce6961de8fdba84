/**
 * Interface under test: the sender (createSender) on Messenger's recurring-notification route: a
 * Page in a country where Meta still runs them (EU, UK, AU, JP, KR since 2026-02-10) reaches a person
 * outside the window only through the opt-in token the policy engine judged, so that token, and no
 * other, is what the message goes out on.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import type { GraphRequest } from '../../../lambdas/ports/graph-api';
import type { ContactRecord } from '../../../lambdas/ports/state-store';
import { createSender } from '../../../lambdas/send/sender';
import { MemoryOutbox } from '../../helpers/memory-outbox';
import { FixedAccounts, RecordingStore } from '../../helpers/recording-store';

const PAGE = '1234567890123456';
const PSID = '6543210987654321';
const NOW = Date.UTC(2026, 11, 6, 12);
const DAY = 86_400_000;
const intent: SendIntent = { channel: 'messenger', accountId: PAGE, userId: PSID, kind: 'marketing', author: 'bot', topic: 'deals', content: { type: 'text', text: 'Winter sale' } };

/** A person who last wrote five days ago and holds two active tokens for the topic, one rested longer. */
class Subscriber extends RecordingStore {
  override getPerson(contact: { channel: SendIntent['channel']; accountId: string; userId: string }): Promise<ContactRecord> {
    return Promise.resolve({
      ...contact,
      state: { lastInboundAt: NOW - 5 * DAY },
      optIns: [
        { token: 'token-recent', topic: 'deals', title: 'deals', status: 'active', optedInAt: NOW - 30 * DAY, lastSentAt: NOW - 3 * DAY },
        { token: 'token-rested', topic: 'deals', title: 'deals', status: 'active', optedInAt: NOW - 40 * DAY, lastSentAt: NOW - 10 * DAY },
      ],
    } as ContactRecord);
  }
}

it('sends a recurring notification on the token the policy chose (the one rested longest), addressed by that token alone', async () => {
  const outbox = new MemoryOutbox();
  const calls: GraphRequest[] = [];
  const processJob = createSender({
    outbox,
    store: new Subscriber(),
    accounts: new FixedAccounts([{ channel: 'messenger', accountId: PAGE, displayName: 'Laden', tokenSecret: 't', timezone: 'Europe/Berlin', country: 'DE' }]),
    graph: {
      send: (request) => {
        calls.push(request);
        return Promise.resolve({ ok: true, messageId: 'm_recurring' });
      },
    },
    pacer: { acquire: () => Promise.resolve({ ok: true }), backOff: () => undefined },
    queue: { enqueue: () => Promise.resolve() },
    clock: () => NOW,
    logger: new Logger({ logLevel: 'SILENT' }),
  });
  const { record } = await outbox.create({ idempotencyKey: 'winter-sale', intent, now: NOW });

  expect(await processJob(record.outboxId)).toBe('sent');
  expect(await outbox.get(record.outboxId)).toMatchObject({ status: 'sent', route: 'messenger.recurring_notification' });
  expect(calls).toHaveLength(1);
  expect(calls[0]?.body).toMatchObject({ recipient: { notification_messages_token: 'token-rested' } });
  expect(calls[0]?.body).not.toHaveProperty('recipient.id');
});
