import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { LinkTracking } from '../clicks/link-signing';
import type { Clock } from '../domain/clock';
import type { PolicySettings } from '../domain/send/policy-context';
import type { AccountRegistry } from '../ports/account-registry';
import type { AutomationConfigStore } from '../ports/automation-config-store';
import type { AutomationUsageStore } from '../ports/automation-usage-store';
import type { AudienceIndex } from '../ports/audience-index';
import type { CampaignScheduler } from '../ports/campaign-scheduler';
import type { CampaignStore } from '../ports/campaign-store';
import type { DispatchQueue } from '../ports/dispatch-queue';
import type { MarketingLedger } from '../ports/marketing-ledger';
import type { OccurrenceStore } from '../ports/occurrence-store';
import type { Outbox } from '../ports/outbox';
import type { SendQueue } from '../ports/send-queue';
import type { StateStore } from '../ports/state-store';

export interface DispatcherDeps {
  campaigns: CampaignStore;
  occurrences: OccurrenceStore;
  audience: AudienceIndex;
  store: StateStore;
  accounts: AccountRegistry;
  ledger: MarketingLedger;
  outbox: Outbox;
  queue: SendQueue;
  continuations: DispatchQueue;
  /** Removes a one-off campaign's rule once its occurrence is done. */
  scheduler: Pick<CampaignScheduler, 'remove'>;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  tuning?: Partial<DispatchTuning>;
  /** The deployment's policy settings (the window's closing margin). */
  policy?: PolicySettings;
  /** Accounts' automation: a business event may also ask for an opt-in request (opt-in-after-event.ts). */
  automationConfigs?: Pick<AutomationConfigStore, 'get'>;
  /** Where those opt-in requests are counted for the automation cost report. */
  automationUsage?: Pick<AutomationUsageStore, 'record'>;
  /** Click tracking: a campaign with `tracking` gets its links signed with it (required for those). */
  links?: LinkTracking;
}

export interface DispatchTuning {
  /** Index entries per page: one progress write per page. */
  pageSize: number;
  /** Contacts read and jobs written in parallel, per worker. */
  concurrency: number;
  /** A lease not renewed for this long is taken over; longer than any page takes. */
  leaseMs: number;
  /** Hand over to a continuation when less than this is left of the invocation. */
  handOverWithMs: number;
  /**
   * Most workers an occurrence is split into: one segment per write shard of the audience index
   * (`AudienceIndex.shards`), at most this many; 1 keeps every occurrence on one worker. In AWS they
   * run in parallel up to the dispatch queue's event source maxConcurrency (lib/constructs/campaigns.ts).
   */
  segments: number;
  /**
   * Index entries one segment is sized for: a firing estimates its audience from one shard and
   * splits it into this many entries per worker (at most `segments`); 1 splits every audience.
   */
  entriesPerSegment: number;
  /** SendMessageBatch calls (10 jobs each) of a page in flight at once. */
  enqueueConcurrency: number;
  /**
   * Local-time campaigns read only the zone buckets due in the firing (`zone` / `topic_zone`
   * segments). Off: every firing reads the whole audience and the planner keeps who is due, as
   * before the index had zone buckets.
   */
  zoneBuckets: boolean;
}

export const DEFAULT_TUNING: DispatchTuning = {
  pageSize: 200,
  concurrency: 16,
  leaseMs: 60_000,
  handOverWithMs: 60_000,
  segments: 64,
  entriesPerSegment: 2000,
  enqueueConcurrency: 10,
  zoneBuckets: true,
};
