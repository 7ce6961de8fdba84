import type { Campaign } from '../schemas/campaign';

/** What the dispatcher receives each time a campaign's schedule fires. */
export interface CampaignFiring {
  campaignId: string;
  /**
   * When this firing was scheduled (ISO-8601, UTC), not when it arrived: the same on every retry,
   * so the dispatcher keys the firing's sends by it.
   */
  firingAt: string;
}

/** Fires the dispatcher when a campaign is due; one schedule per campaign, addressed by its id. */
export interface CampaignScheduler {
  /** Creates or replaces the campaign's schedule. Safe to repeat, e.g. after the schedule was edited. */
  schedule(campaign: Pick<Campaign, 'id' | 'name' | 'schedule' | 'status'>): Promise<{ ruleName: string }>;
  /** Stops firing until `resume`; the schedule itself is kept. */
  pause(campaignId: string): Promise<void>;
  resume(campaignId: string): Promise<void>;
  /** Deletes the schedule; a schedule that is already gone is not an error. */
  remove(campaignId: string): Promise<void>;
}
