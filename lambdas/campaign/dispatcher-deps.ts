import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Clock } from '../domain/clock';
import type { PolicySettings } from '../domain/send/policy-context';
import type { AccountRegistry } from '../ports/account-registry';
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
}

export interface DispatchTuning {
  /** Index entries per page: one progress write per page. */
  pageSize: number;
  /** Contacts read and jobs written in parallel. */
  concurrency: number;
  /** A lease not renewed for this long is taken over; longer than any page takes. */
  leaseMs: number;
  /** Hand over to a continuation when less than this is left of the invocation. */
  handOverWithMs: number;
}

export const DEFAULT_TUNING: DispatchTuning = { pageSize: 200, concurrency: 16, leaseMs: 60_000, handOverWithMs: 60_000 };
