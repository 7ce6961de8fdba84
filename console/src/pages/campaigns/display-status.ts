/**
 * How a campaign's or an occurrence's stored state reads in the console. The store knows campaigns
 * as draft, scheduled, running, paused or done, and occurrences as running, paused, done or
 * stopped; a marketer asks whether it is sending, sent, or sent only in part. Pure: no DOM, no API
 * client, so the unit tests import it as it is.
 */
export type DisplayStatus = 'draft' | 'scheduled' | 'sending' | 'sent' | 'paused' | 'partially sent';

export interface StoredOccurrence {
  status: 'running' | 'paused' | 'done' | 'stopped';
  /** Why it ended early (`recipient_cap`, `campaign_deleted`, …); null when it ran to the end. */
  stopReason: string | null;
}

/**
 * An occurrence: done is sent, unless something cut it short (a stop, or a cap it reached), which
 * is partially sent.
 */
export const occurrenceDisplayStatus = (occurrence: StoredOccurrence): DisplayStatus => {
  switch (occurrence.status) {
    case 'running':
      return 'sending';
    case 'paused':
      return 'paused';
    case 'stopped':
      return 'partially sent';
    case 'done':
      return occurrence.stopReason ? 'partially sent' : 'sent';
  }
};

/**
 * A campaign, with its latest occurrence when the page has read it (showCampaign lists them, newest
 * first; listCampaigns does not). `running` stays the stored state of a recurring campaign between
 * its firings, so it reads as sending only while an occurrence runs, else as scheduled for the
 * next one. A done campaign is a finished `once` one: sent, or partially sent as its occurrence.
 */
export const campaignDisplayStatus = (status: 'draft' | 'scheduled' | 'running' | 'paused' | 'done', latest?: StoredOccurrence): DisplayStatus => {
  switch (status) {
    case 'draft':
    case 'scheduled':
    case 'paused':
      return status;
    case 'running':
      return latest === undefined || latest.status === 'running' ? 'sending' : 'scheduled';
    case 'done':
      return latest === undefined ? 'sent' : occurrenceDisplayStatus(latest) === 'sent' ? 'sent' : 'partially sent';
  }
};
