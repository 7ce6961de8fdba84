import type { Campaign } from '../schemas/campaign';

export type CampaignStatus = Campaign['status'];

/** A campaign as stored: the definition plus what the system keeps about it. */
export interface StoredCampaign {
  campaign: Campaign;
  createdAt: number;
  updatedAt: number;
  /** Bumped by every write; `put` and `setStatus` can be made conditional on it. */
  version: number;
  /** The EventBridge rule that fires it, once scheduled. */
  ruleName?: string;
}

/** Campaign definitions, one record per campaign id. */
export interface CampaignStore {
  /**
   * Creates the campaign, or replaces its definition when `expectedVersion` matches the stored one.
   * Returns undefined when the version no longer matches (or the campaign exists and no version was given).
   */
  put(campaign: Campaign, now: number, expectedVersion?: number): Promise<StoredCampaign | undefined>;
  get(campaignId: string): Promise<StoredCampaign | undefined>;
  /** Every campaign, ordered by id. */
  list(): Promise<StoredCampaign[]>;
  /**
   * Moves the campaign to `status` if it is currently in one of `from` (any status when absent).
   * Returns the updated record, or undefined when the campaign is missing or in another status.
   */
  setStatus(
    campaignId: string,
    status: CampaignStatus,
    now: number,
    options?: { from?: readonly CampaignStatus[]; ruleName?: string },
  ): Promise<StoredCampaign | undefined>;
  /** Removes the definition; occurrences and outbox records stay as history. */
  delete(campaignId: string): Promise<void>;
}
