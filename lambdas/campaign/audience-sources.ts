import { audienceSegmentOf } from '../domain/audience/audience-filter';
import type { AudienceQuery } from '../ports/audience-index';
import type { Campaign } from '../schemas/campaign';

/**
 * The index partitions a campaign's audience is read from, one per sending account, in the
 * campaign's account order, each the listing `audienceSegmentOf` picks (the admin contact search reads
 * the same); the planner applies every filter again. A follow-up campaign's are its occurrence's
 * recipients in the state it names, per account (follow-up-audience.ts).
 */
export const audienceSources = (campaign: Campaign): AudienceQuery[] => {
  const { channel } = campaign.audience;
  const segment = audienceSegmentOf(campaign.audience);
  const followUp = campaign.followUp === undefined ? {} : { followUp: { ...campaign.followUp } };
  return campaign.accounts.filter((a) => channel === undefined || a.channel === channel).map((a) => ({ ...a, segment, ...followUp }));
};

/** Where an occurrence stands: which source, and where in it. */
export interface AudiencePosition {
  source: number;
  cursor?: string;
}

export const START: AudiencePosition = { source: 0 };

/** The occurrence stores its position as one opaque string. */
export const encodePosition = (position: AudiencePosition): string => JSON.stringify(position);

export const decodePosition = (text: string | undefined): AudiencePosition => {
  if (text === undefined) return START;
  const invalid = () => new Error(`occurrence cursor ${text.slice(0, 80)} is not an audience position`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid();
  const { source, cursor } = parsed as Partial<AudiencePosition>;
  // A position past the sources would end the occurrence as done without reading anyone.
  if (typeof source !== 'number' || !Number.isInteger(source) || source < 0 || !(cursor === undefined || typeof cursor === 'string')) throw invalid();
  return { source, ...(cursor === undefined ? {} : { cursor }) };
};
