import type { AudienceMember } from '../domain/campaign/plan-dispatch';
import type { ContactRef } from '../domain/events';
import type { AudienceQuery } from '../ports/audience-index';
import type { LedgerSnapshot } from '../ports/marketing-ledger';
import type { ContactRecord, StateStore } from '../ports/state-store';
import { contactPolicyState } from '../domain/send/policy-inputs';
import { contactProfileOf } from '../domain/contact-profile';
import { ledgerSnapshotOf } from './contact-view';

export interface LoadedMember {
  member: AudienceMember;
  /** The person as stored, where their marketing ledger lives. */
  contact: ContactRef;
  ledger: LedgerSnapshot;
}

export interface LoadedPage {
  members: LoadedMember[];
  /** Index entries whose contact record is gone: a stale index, counted, never sent to. */
  missing: number;
  /** Entries for a person's linked id (a WhatsApp BSUID) whose own record is read under its main id. */
  linked: number;
  /**
   * Contacts of a contact-zone bucket whose topic opt-in carries a zone of its own: the opt-in-zone
   * bucket reads them (local time only), so they are not members here.
   */
  elsewhere: number;
}

/**
 * Reads each indexed contact in full: state, opt-ins, profile and marketing ledger. `topic` is the
 * campaign's: a member's zone is its opt-in's, when that carries one.
 */
export const loadMembers = async (
  store: StateStore,
  source: AudienceQuery,
  userIds: readonly string[],
  concurrency: number,
  topic: string | undefined = source.segment.kind === 'topic' || source.segment.kind === 'topic_zone' ? source.segment.topic : undefined,
): Promise<LoadedPage> => {
  const people = await store.getPeople(
    userIds.map((userId) => ({ channel: source.channel, accountId: source.accountId, userId })),
    concurrency,
  );
  const page: LoadedPage = { members: [], missing: 0, linked: 0, elsewhere: 0 };
  // Every listed record (all but a BSUID's alias) is in the account-wide index and its zone bucket alike.
  const everyRecord = source.segment.kind === 'all' || source.segment.kind === 'zone';
  people.forEach((person, i) => {
    if (person === undefined) page.missing += 1;
    // An entry of another of the person's records (an old number's, or a BSUID's alias the index or
    // the backfill hasn't caught up with) while their main record is listed itself: they are read
    // from that entry only, so they are counted once (and their job isn't enqueued twice).
    else if (everyRecord && person.userId !== userIds[i] && person.homeListed === true) page.linked += 1;
    else if (source.segment.kind === 'zone' && topic !== undefined && optInZone(person, topic) !== undefined) page.elsewhere += 1;
    else page.members.push(memberOf(person, topic));
  });
  return page;
};

const memberOf = (person: ContactRecord, topic: string | undefined): LoadedMember => {
  const profile = contactProfileOf(person.state);
  const ledger = ledgerSnapshotOf(person.state);
  const contact = contactPolicyState(person);
  return {
    member: {
      channel: person.channel,
      accountId: person.accountId,
      userId: person.userId,
      attributes: profile.attributes,
      tags: profile.tags,
      timeZone: (topic === undefined ? undefined : optInZone(person, topic)) ?? profile.timeZone,
      marketingLedger: ledger.entries,
      contact,
    },
    contact: { channel: person.channel, accountId: person.accountId, userId: person.userId },
    ledger,
  };
};

/** The zone Messenger reported with the topic's opt-in wins: it is where the person said yes. */
const optInZone = (person: ContactRecord, topic: string): string | undefined => {
  const optIn = person.optIns.find((o) => o.topic === topic && o.status === 'active' && typeof o.timezone === 'string');
  return optIn === undefined ? undefined : String(optIn.timezone);
};
