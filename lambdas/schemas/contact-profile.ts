import * as z from 'zod';
import { isIanaTimeZone } from '../domain/campaign/local-time';

/** PUT /admin/contacts/{channel}/{accountId}/{userId}/profile: what the business knows of a contact. */
export const ContactProfileSchema = z.object({
  tags: z
    .array(z.string().min(1).max(100).regex(/^[^#]+$/, 'a tag cannot contain #'))
    .max(50)
    .refine((tags) => new Set(tags).size === tags.length, 'lists a tag twice')
    .default([]),
  /** Template parameters and audience filters read these, e.g. first_name, city. */
  attributes: z
    .record(z.string().min(1).max(100), z.string().max(1024))
    .refine((a) => Object.keys(a).length <= 50, 'at most 50 attributes')
    .default({}),
  timeZone: z.string().refine(isIanaTimeZone, 'an IANA time zone such as Europe/Berlin').optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country such as DE').optional(),
});

export type ContactProfileInput = z.infer<typeof ContactProfileSchema>;
