/**
 * Interface under test: the sender use case (createSender) reading its account's records: the jobs
 * of one SQS batch share one read of the policy records and templates, and a job that starts after
 * that read answered reads them afresh.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { AccountRef } from '../../../lambdas/domain/events';
import type { SendIntent } from '../../../lambdas/domain/send/send-intent';
import type { ContactRecord, StoredAttributes, TemplateRecord } from '../../../lambdas/ports/state-store';
import { createSender } from '../../../lambdas/send/sender';
import { MemoryOutbox } from '../../helpers/memory-outbox';
import { FixedAccounts, RecordingStore } from '../../helpers/recording-store';

const PHONE = '109876543210987';
const WABA = '102290129340398';
const NOW = Date.UTC(2026, 4, 17, 12);

class CountingStore extends RecordingStore {
  policyReads = 0;
  templateReads = 0;
  templateStatus = 'APPROVED';

  override getPerson(contact: { channel: 'whatsapp'; accountId: string; userId: string }): Promise<ContactRecord> {
    return Promise.resolve({ ...contact, state: { waId: contact.userId, lastInboundAt: NOW - 60_000 }, optIns: [] });
  }
  override getAccountPolicy(_account: AccountRef): Promise<StoredAttributes | undefined> {
    this.policyReads += 1;
    return Promise.resolve(undefined);
  }
  override listTemplates(_account: AccountRef): Promise<TemplateRecord[]> {
    this.templateReads += 1;
    // Answers on a later turn, as DynamoDB does: the batch's other jobs ask meanwhile.
    return new Promise((resolve) => setImmediate(() => resolve([{ name: 'order_update', language: 'de', status: this.templateStatus, category: 'UTILITY' }])));
  }
}

const setup = () => {
  const outbox = new MemoryOutbox();
  const store = new CountingStore();
  const sent: string[] = [];
  const processJob = createSender({
    outbox,
    store,
    accounts: new FixedAccounts([{ channel: 'whatsapp', accountId: PHONE, displayName: 'Shop', tokenSecret: 't', timezone: 'UTC', wabaId: WABA }]),
    graph: {
      send: (request) => {
        sent.push(String(request.body.to));
        return Promise.resolve({ ok: true, messageId: `wamid.${sent.length}` });
      },
    },
    pacer: { acquire: () => Promise.resolve({ ok: true }), backOff: () => undefined },
    queue: { enqueue: () => Promise.resolve() },
    clock: () => NOW,
    logger: new Logger({ logLevel: 'SILENT' }),
  });
  const job = async (n: number) => {
    const intent: SendIntent = {
      channel: 'whatsapp',
      accountId: PHONE,
      userId: `49151000000${String(n).padStart(2, '0')}`,
      kind: 'utility',
      author: 'bot',
      content: { type: 'template', name: 'order_update', language: 'de' },
    };
    return (await outbox.create({ idempotencyKey: `k${n}`, intent, now: NOW })).record.outboxId;
  };
  return { store, sent, processJob, job };
};

describe('sender: the account reads of a batch', () => {
  it('reads the policy records and templates once for ten jobs of one account sent together', async () => {
    const { store, sent, processJob, job } = setup();
    const ids = await Promise.all(Array.from({ length: 10 }, (_, n) => job(n)));

    expect(await Promise.all(ids.map((id) => processJob(id)))).toEqual(ids.map(() => 'sent'));

    expect(sent).toHaveLength(10);
    // The number's and its WABA's policy records, and the WABA's templates: once each, not ten times.
    expect(store.policyReads).toBe(2);
    expect(store.templateReads).toBe(1);
  });

  it('reads them afresh for a job that starts after that read answered: a template paused since stops it', async () => {
    const { store, sent, processJob, job } = setup();
    expect(await processJob(await job(1))).toBe('sent');

    store.templateStatus = 'PAUSED';

    expect(await processJob(await job(2))).toBe('skipped');
    expect(sent).toHaveLength(1);
    expect(store.templateReads).toBe(2);
  });
});
