import type { ContactRef } from '../domain/events';

/** What the business knows about a contact: the audience filters and template parameters use it. */
export interface ContactProfile {
  tags: string[];
  attributes: Record<string, string>;
  /** IANA zone, e.g. Europe/Berlin: local-time campaigns and quiet hours use it. */
  timeZone?: string;
  /** ISO 3166-1 alpha-2 country. */
  country?: string;
}

/** Where a contact came from, when not from Meta's webhooks: `import`, a CSV import created it. */
export type ContactOrigin = 'import';

export interface ContactProfiles {
  /**
   * Replaces the contact's profile (creating the contact if needed) and its tag index entries.
   * `origin`: the write creates the contact (a CSV import's row); kept on the contact record, the
   * first one written staying, so the policy engine can tell a contact nobody heard from.
   */
  put(contact: ContactRef, profile: ContactProfile, now: number, options?: { origin?: ContactOrigin }): Promise<void>;
}
