import * as z from 'zod';
import { isIanaTimeZone } from '../domain/campaign/local-time';
import { attributeNameIssue, TagSchema, userKeyedRecord } from './user-keys';

/** PUT /admin/contacts/{channel}/{accountId}/{userId}/profile: what the business knows of a contact. */
export const ContactProfileSchema = z.object({
  tags: z
    .array(TagSchema)
    .max(50)
    .refine((tags) => new Set(tags).size === tags.length, 'lists a tag twice')
    .default([]),
  /**
   * Template parameters and audience filters read these, e.g. first_name, city. Names are checked
   * (no `__proto__`, `constructor` or `prototype`, at most 100 characters) and the parsed map has
   * no prototype.
   */
  attributes: userKeyedRecord(z.string().max(1024), { keyIssue: attributeNameIssue, maxEntries: 50, tooMany: 'at most 50 attributes' }).prefault({}),
  timeZone: z.string().refine(isIanaTimeZone, 'an IANA time zone such as Europe/Berlin').optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country such as DE').optional(),
});

export type ContactProfileInput = z.infer<typeof ContactProfileSchema>;
