import * as z from 'zod';

/**
 * Meta's template listings, one page:
 *
 * - WhatsApp `GET /{waba_id}/message_templates` ("WhatsApp Business Account Message Templates"
 *   reference): `data[]` of templates with `name`, `language`, `status`, `category`, `components`, `id`,
 *   and, when asked for in `fields`, `quality_score` (`{ score, date }`) and `rejected_reason`;
 * - Messenger `GET /{page_id}/message_templates` ("Page Message Templates" reference, Messenger
 *   Business Template fields): the same without `quality_score`.
 *
 * Both page with cursors (Graph API "Paginated Results"): `paging.cursors.after`, and `paging.next`
 * only when there is a next page. Items are `unknown` here and parsed one by one, so one odd item
 * never drops the rest of the page.
 */
export const templateListingPageSchema = z.looseObject({
  data: z.array(z.unknown()),
  paging: z
    .looseObject({
      cursors: z.looseObject({ before: z.string().optional(), after: z.string().optional() }).optional(),
      next: z.string().optional(),
    })
    .optional(),
});

export const listedTemplateSchema = z.looseObject({
  /** A numeric string; some mirrors show a number. */
  id: z.union([z.string().min(1), z.number().int().nonnegative()]).optional(),
  name: z.string().min(1),
  language: z.string().min(1),
  status: z.string().min(1),
  category: z.string().min(1).optional(),
  /** `{ score: "GREEN", date }` in the listing; a bare string is accepted too. */
  quality_score: z.union([z.string().min(1), z.looseObject({ score: z.string().min(1).optional() })]).optional(),
  components: z.array(z.unknown()).optional(),
  rejected_reason: z.string().optional(),
});

export type ListedTemplateBody = z.infer<typeof listedTemplateSchema>;
