import type { AudienceQuery, AudienceSegment } from '../ports/audience-index';
import type { Campaign } from '../schemas/campaign';

/**
 * The index partitions a campaign's audience is read from, one per sending account, in the
 * campaign's account order. The narrowest filter picks the partition (a topic's token holders, else
 * the first tag's carriers, else the whole account); the planner applies every filter again.
 */
export const audienceSources = (campaign: Campaign): AudienceQuery[] => {
  const { topic, tags, channel } = campaign.audience;
  const [firstTag] = tags ?? [];
  const segment: AudienceSegment =
    topic !== undefined ? { kind: 'topic', topic } : firstTag !== undefined ? { kind: 'tag', tag: firstTag } : { kind: 'all' };
  return campaign.accounts.filter((a) => channel === undefined || a.channel === channel).map((a) => ({ ...a, segment }));
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
