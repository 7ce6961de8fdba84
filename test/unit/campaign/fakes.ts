/** In-memory doubles of the campaign ports, for unit tests of the campaign service. */
import { InMemoryOccurrenceStore } from '../../../lambdas/adapters/memory/occurrence-store';
import type { AccountRef, ContactRef } from '../../../lambdas/domain/events';
import type { AudienceIndex, AudiencePage, AudienceQuery } from '../../../lambdas/ports/audience-index';
import type { CampaignScheduler } from '../../../lambdas/ports/campaign-scheduler';
import type { CampaignStatus, CampaignStore, StoredCampaign } from '../../../lambdas/ports/campaign-store';
import type { DispatchQueue } from '../../../lambdas/ports/dispatch-queue';
import type { MarketingLedger } from '../../../lambdas/ports/marketing-ledger';
import type { LeaseResult, Occurrence } from '../../../lambdas/ports/occurrence-store';
import type { SendQueue } from '../../../lambdas/ports/send-queue';
import type { ContactRecord, StoredAttributes } from '../../../lambdas/ports/state-store';
import type { Campaign } from '../../../lambdas/schemas/campaign';
import type { DispatchContinuation } from '../../../lambdas/schemas/dispatcher-input';
import { RecordingStore } from '../../helpers/recording-store';

/** One log of what the fakes were asked to change, shared so a test can check their order. */
export type Journal = string[];

const copy = <T>(value: T): T => structuredClone(value);

/** The DynamoDB campaign store's conditions: create only when absent, replace only at the expected version. */
export class MemoryCampaignStore implements CampaignStore {
  readonly records = new Map<string, StoredCampaign>();

  constructor(private readonly journal: Journal = []) {}

  /** Stores a campaign as if it had been written earlier, at version 1. */
  seed(campaign: Campaign, now = 0, ruleName?: string): StoredCampaign {
    const stored: StoredCampaign = { campaign: copy(campaign), createdAt: now, updatedAt: now, version: 1, ...(ruleName === undefined ? {} : { ruleName }) };
    this.records.set(campaign.id, stored);
    return copy(stored);
  }

  put(campaign: Campaign, now: number, expectedVersion?: number): Promise<StoredCampaign | undefined> {
    this.journal.push(`campaigns.put ${campaign.id}`);
    const existing = this.records.get(campaign.id);
    if (expectedVersion === undefined) {
      if (existing) return Promise.resolve(undefined);
      const stored: StoredCampaign = { campaign: copy(campaign), createdAt: now, updatedAt: now, version: 1 };
      this.records.set(campaign.id, stored);
      return Promise.resolve(copy(stored));
    }
    if (existing?.version !== expectedVersion) return Promise.resolve(undefined);
    const stored: StoredCampaign = { ...existing, campaign: copy(campaign), updatedAt: now, version: expectedVersion + 1 };
    this.records.set(campaign.id, stored);
    return Promise.resolve(copy(stored));
  }

  get(campaignId: string): Promise<StoredCampaign | undefined> {
    const stored = this.records.get(campaignId);
    return Promise.resolve(stored && copy(stored));
  }

  list(): Promise<StoredCampaign[]> {
    return Promise.resolve([...this.records.values()].sort((a, b) => a.campaign.id.localeCompare(b.campaign.id)).map(copy));
  }

  setStatus(
    campaignId: string,
    status: CampaignStatus,
    now: number,
    options: { from?: readonly CampaignStatus[]; ruleName?: string } = {},
  ): Promise<StoredCampaign | undefined> {
    const existing = this.records.get(campaignId);
    if (!existing || (options.from && !options.from.includes(existing.campaign.status))) return Promise.resolve(undefined);
    this.journal.push(`campaigns.setStatus ${campaignId} ${status}`);
    const stored: StoredCampaign = {
      ...existing,
      campaign: { ...existing.campaign, status },
      updatedAt: now,
      version: existing.version + 1,
      ...(options.ruleName === undefined ? {} : { ruleName: options.ruleName }),
    };
    this.records.set(campaignId, stored);
    return Promise.resolve(copy(stored));
  }

  delete(campaignId: string): Promise<void> {
    this.journal.push(`campaigns.delete ${campaignId}`);
    this.records.delete(campaignId);
    return Promise.resolve();
  }
}

/** Occurrences a test seeds; the service only reads them (leases belong to the dispatcher). */
export class MemoryOccurrenceStore extends InMemoryOccurrenceStore {
  constructor(occurrences: Occurrence[] = []) {
    super();
    for (const o of occurrences) this.seed(o);
  }

  override acquire(): Promise<LeaseResult> {
    return Promise.reject(new Error('the campaign service takes no leases'));
  }

  override savePage(): Promise<boolean> {
    return Promise.reject(new Error('the campaign service saves no pages'));
  }
}

/**
 * Occurrences with the DynamoDB adapter's leases: the in-memory adapter, held to the same contract
 * suite as the DynamoDB one (test/contract/occurrence-store.contract.ts).
 */
export { InMemoryOccurrenceStore as LeasingOccurrenceStore };

/** An occurrence record with everything but the fields a test cares about filled in. */
export const occurrence = (campaignId: string, occurrenceKey: string, over: Partial<Occurrence> = {}): Occurrence => ({
  campaignId,
  occurrenceKey,
  firingAt: Date.parse(occurrenceKey),
  status: 'done',
  startedAt: Date.parse(occurrenceKey),
  updatedAt: Date.parse(occurrenceKey),
  pages: 1,
  counts: { audience: 0, enqueued: 0, notDue: 0, skipped: {} },
  costByCurrency: {},
  campaign: {
    id: campaignId,
    name: campaignId,
    accounts: [{ channel: 'whatsapp', accountId: '109876543210987' }],
    audience: {},
    content: { type: 'text', text: 'hi' },
    kind: 'utility',
    schedule: { kind: 'recurring', expression: 'rate(1 day)' },
    status: 'running',
  },
  ...over,
});

export type SchedulerCall =
  | { method: 'schedule'; campaign: Pick<Campaign, 'id' | 'name' | 'schedule' | 'status'> }
  | { method: 'pause' | 'resume' | 'remove'; campaignId: string };

/** Records every call; its rules are named `afterchat-<campaign id>`. */
export class RecordingScheduler implements CampaignScheduler {
  readonly calls: SchedulerCall[] = [];

  constructor(private readonly journal: Journal = []) {}

  schedule(campaign: Pick<Campaign, 'id' | 'name' | 'schedule' | 'status'>): Promise<{ ruleName: string }> {
    this.calls.push({ method: 'schedule', campaign: copy(campaign) });
    this.journal.push(`scheduler.schedule ${campaign.id}`);
    return Promise.resolve({ ruleName: ruleNameOf(campaign.id) });
  }

  pause(campaignId: string): Promise<void> {
    return this.record('pause', campaignId);
  }

  resume(campaignId: string): Promise<void> {
    return this.record('resume', campaignId);
  }

  remove(campaignId: string): Promise<void> {
    return this.record('remove', campaignId);
  }

  private record(method: 'pause' | 'resume' | 'remove', campaignId: string): Promise<void> {
    this.calls.push({ method, campaignId });
    this.journal.push(`scheduler.${method} ${campaignId}`);
    return Promise.resolve();
  }
}

export const ruleNameOf = (campaignId: string): string => `afterchat-${campaignId}`;

/** Records every continuation message instead of sending it. */
export class RecordingDispatchQueue implements DispatchQueue {
  readonly messages: { message: DispatchContinuation; delaySeconds?: number }[] = [];

  continueLater(message: DispatchContinuation, options?: { delaySeconds?: number }): Promise<void> {
    this.messages.push({ message: copy(message), ...(options?.delaySeconds === undefined ? {} : { delaySeconds: options.delaySeconds }) });
    return Promise.resolve();
  }
}

/** An audience index holding the given user ids for every query, in one page. */
export class FixedAudience implements AudienceIndex {
  readonly queries: AudienceQuery[] = [];

  constructor(private readonly userIds: readonly string[] = []) {}

  page(query: AudienceQuery): Promise<AudiencePage> {
    this.queries.push(copy(query));
    return Promise.resolve({ userIds: [...this.userIds] });
  }
}

/** An audience index holding these user ids per `<channel>#<accountId>`, read `limit` at a time. */
export class PagedAudience implements AudienceIndex {
  readonly queries: { query: AudienceQuery; cursor?: string }[] = [];

  constructor(private readonly byAccount: Record<string, readonly string[]>) {}

  page(query: AudienceQuery, cursor: string | undefined, limit: number): Promise<AudiencePage> {
    this.queries.push({ query: copy(query), ...(cursor === undefined ? {} : { cursor }) });
    const ids = this.byAccount[`${query.channel}#${query.accountId}`] ?? [];
    const start = cursor === undefined ? 0 : Number(cursor);
    const userIds = ids.slice(start, start + limit);
    return Promise.resolve(start + limit < ids.length ? { userIds, cursor: String(start + limit) } : { userIds });
  }
}

/** A state store that knows these people and the account records its own writes made: no templates. */
export class PeopleStore extends RecordingStore {
  constructor(private readonly people: readonly ContactRecord[] = []) {
    super();
  }

  override getPerson(contact: ContactRef): Promise<ContactRecord | undefined> {
    const found = this.people.find((p) => p.channel === contact.channel && p.accountId === contact.accountId && p.userId === contact.userId);
    return Promise.resolve(found && copy(found));
  }

  /** The account's policy record as the writes applied to it left it: per register, the latest order wins. */
  override getAccountPolicy(account: AccountRef): Promise<StoredAttributes | undefined> {
    const latest = new Map<string, { order: string; fields: Record<string, unknown> }>();
    for (const w of this.writes) {
      if (w.target.entity !== 'account' || w.target.account.channel !== account.channel || w.target.account.accountId !== account.accountId) continue;
      const seen = latest.get(w.register);
      if (seen === undefined || (w.wins === 'later' ? w.order > seen.order : w.order < seen.order)) latest.set(w.register, { order: w.order, fields: w.fields });
    }
    if (latest.size === 0) return Promise.resolve(undefined);
    const record: StoredAttributes = {};
    for (const { fields } of latest.values()) for (const [k, v] of Object.entries(fields)) if (v !== undefined) record[k] = v;
    return Promise.resolve(record);
  }
}

/** Records the jobs put on the send queue. */
export class RecordingSendQueue implements SendQueue {
  readonly jobs: { outboxId: string; delaySeconds?: number }[] = [];
  /** Runs after each batch, e.g. to change the world between two pages. */
  afterEnqueue?: () => Promise<void>;

  async enqueue(outboxIds: readonly string[], options?: { delaySeconds?: number }): Promise<void> {
    for (const outboxId of outboxIds) this.jobs.push({ outboxId, ...(options?.delaySeconds === undefined ? {} : { delaySeconds: options.delaySeconds }) });
    await this.afterEnqueue?.();
  }
}

/** A marketing ledger that accepts every reservation. */
export class AcceptingLedger implements MarketingLedger {
  reserve(): Promise<{ ok: true }> {
    return Promise.resolve({ ok: true });
  }
}
