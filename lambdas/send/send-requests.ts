import type { Clock } from '../domain/clock';
import type { ContactRef } from '../domain/events';
import { effectiveStatus, laterReport } from '../domain/send/outbox';
import type { PolicySettings } from '../domain/send/policy-context';
import { decide } from '../domain/send/policy-engine';
import { messagingLimitRefusal, sendLimitsFor } from '../domain/send/send-limits';
import type { Decision } from '../domain/send/policy-types';
import type { SendIntent } from '../domain/send/send-intent';
import type { AccountRegistry } from '../ports/account-registry';
import type { AfterSend } from '../domain/send/after-send';
import type { Outbox, OutboxRecord } from '../ports/outbox';
import type { SendLimiter } from '../ports/send-limiter';
import type { SendQueue } from '../ports/send-queue';
import type { StateStore } from '../ports/state-store';
import { mapLimit } from '../shared/map-limit';
import { loadPolicyInputs } from './load-policy-inputs';

export interface SendRequestDeps {
  outbox: Outbox;
  queue: SendQueue;
  store: StateStore;
  accounts: AccountRegistry;
  clock: Clock;
  /** The deployment's policy settings (the window's closing margin). */
  policy?: PolicySettings;
  /**
   * The senders' shared limiter, read only: a preview then shows a one-off template the portfolio's
   * messaging limit would refuse now. Absent (a campaign's dispatch: its sends wait for room rather
   * than being refused): the preview is the policy engine's alone.
   */
  reach?: {
    limiter: Pick<SendLimiter, 'peekReach'>;
    /** The senders' clock, which the limiter's counts are kept in (the local stack paces in wall time). */
    clock: Clock;
  };
}

/** One-off sends from the admin API: preview a decision, enqueue a job, read a job back. */
export const createSendRequests = (deps: SendRequestDeps) => {
  /**
   * What the engine decides for this intent at `at` (default: now) from what is known now: a window
   * closed by then, a back-off or an account pause over by then. The account's state is built at that
   * time too.
   */
  const previewAt = async (intent: SendIntent, at?: number): Promise<{ decision: Decision; decidedAt: number }> => {
    const decidedAt = at ?? deps.clock();
    const { contact, accountState, recipientId } = await loadPolicyInputs(deps, intent, decidedAt);
    const decision = decide(intent, contact, accountState, decidedAt, deps.policy);
    const { messagingLimit } = sendLimitsFor(intent, decision, contact, accountState, decidedAt);
    if (!deps.reach || !messagingLimit) return { decision, decidedAt };
    // As far ahead of the senders' now as the preview is of ours: a preview 25 h ahead sees today's seats gone.
    const now = deps.reach.clock() + (decidedAt - deps.clock());
    const room = await deps.reach.limiter.peekReach({ ...messagingLimit, recipient: recipientId, now });
    return { decision: room.ok ? decision : messagingLimitRefusal(room.earliestAt - now + decidedAt), decidedAt };
  };

  const preview = async (intent: SendIntent): Promise<Decision> => (await previewAt(intent)).decision;

  /**
   * Creates the outbox record, then enqueues it. The same key never makes a second job; a job that
   * is still queued is enqueued again, so a caller retrying after a failed enqueue loses nothing
   * (the sender's claim makes extra deliveries harmless).
   */
  const send = async (intent: SendIntent, idempotencyKey: string, afterSend?: AfterSend) => {
    const decision = await preview(intent);
    const { created, record } = await deps.outbox.create({ idempotencyKey, intent, now: deps.clock(), ...(afterSend === undefined ? {} : { afterSend }) });
    if (record.status === 'queued') await deps.queue.enqueue([record.outboxId]);
    return { created, record, decision };
  };

  /**
   * A job with what Meta reported about its message. Every WhatsApp status names the job (its
   * callback data), so the record holds it all. Messenger delivery and read webhooks name only the
   * mid, so they land on the message record rather than the outbox; the higher status wins.
   */
  const get = async (outboxId: string): Promise<OutboxRecord | undefined> => {
    const record = await deps.outbox.get(outboxId);
    const messageId = record?.messageId ?? record?.delivery?.messageId;
    if (!record || !messageId || record.intent.channel === 'whatsapp') return record;
    const message = await deps.store.getMessage(messageId);
    const fromMessage =
      typeof message?.status === 'string'
        ? { status: message.status, at: typeof message.statusAt === 'number' ? message.statusAt : record.updatedAt, messageId }
        : undefined;
    return { ...record, delivery: laterReport(record.delivery, fromMessage) };
  };

  /** A contact's sends, newest first, each as `get` shows it; `cursor` continues a listing. */
  const listByContact = async (contact: ContactRef, cursor: string | undefined, limit: number) => {
    const page = await deps.outbox.listByContact(contact, cursor, limit);
    const records = await mapLimit(page.outboxIds, 8, (outboxId) => get(outboxId));
    return { sends: records.filter((r): r is OutboxRecord => r !== undefined), ...(page.cursor === undefined ? {} : { cursor: page.cursor }) };
  };

  return { preview, previewAt, send, get, listByContact };
};

/** An outbox record as the admin API shows it. */
export const outboxView = (r: OutboxRecord) => ({
  outboxId: r.outboxId,
  idempotencyKey: r.idempotencyKey,
  status: effectiveStatus(r.status, r.delivery),
  senderStatus: r.status,
  intent: { channel: r.intent.channel, accountId: r.intent.accountId, userId: r.intent.userId, kind: r.intent.kind, author: r.intent.author, content: r.intent.content.type },
  route: r.route ?? null,
  pricing: r.pricing ?? null,
  messageId: r.messageId ?? r.delivery?.messageId ?? null,
  attempts: r.attempts,
  errorCode: r.errorCode ?? r.delivery?.errorCode ?? null,
  reason: r.reason ?? null,
  detail: r.detail ?? null,
  earliestAt: iso(r.earliestAt),
  notBefore: iso(r.notBefore),
  // Times the sweeper put the job back on the queue after its message was lost (README "Sweeper").
  sweeps: r.sweeps ?? 0,
  createdAt: iso(r.createdAt),
  sentAt: iso(r.sentAt),
  delivery: r.delivery
    ? {
        status: r.delivery.status,
        at: iso(r.delivery.at),
        // How Meta priced the message, and its latest failure (a later delivery beats it): from the status webhooks.
        pricing: r.delivery.pricing ? { category: r.delivery.pricing.category ?? null, type: r.delivery.pricing.type ?? null, model: r.delivery.pricing.model ?? null } : null,
        failure: r.delivery.failure ? { errorCode: r.delivery.failure.code ?? null, errorTitle: r.delivery.failure.title ?? null, at: iso(r.delivery.failure.at) } : null,
      }
    : null,
  updatedAt: iso(Math.max(r.updatedAt, r.delivery?.at ?? 0)),
});

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
