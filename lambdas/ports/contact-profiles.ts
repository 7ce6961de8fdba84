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

export interface ContactProfiles {
  /** Replaces the contact's profile (creating the contact if needed) and its tag index entries. */
  put(contact: ContactRef, profile: ContactProfile, now: number): Promise<void>;
}
