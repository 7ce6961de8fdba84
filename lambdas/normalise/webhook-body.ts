import * as z from 'zod';
import type { NormalisedBatch } from '../domain/events';
import { normalisePageEntries } from './messenger';
import { normaliseWhatsAppEntries } from './whatsapp';

const WebhookBody = z.looseObject({ object: z.string(), entry: z.array(z.unknown()) });

/**
 * Routes a parsed webhook body to its channel's normaliser. A body whose `object` afterchat does not
 * handle is skipped whole, with a reason: Meta would only retry it if we refused it.
 */
export const normaliseWebhookBody = (body: unknown): NormalisedBatch => {
  const parsed = WebhookBody.safeParse(body);
  if (!parsed.success) {
    return { events: [], skipped: [{ path: '$', reason: 'not a webhook body (needs object and entry[])' }] };
  }
  const { object, entry } = parsed.data;
  switch (object) {
    case 'page':
    case 'instagram':
      return normalisePageEntries(object, entry);
    case 'whatsapp_business_account':
      return normaliseWhatsAppEntries(entry);
    default:
      return { events: [], skipped: [{ path: '$.object', reason: `unhandled object ${object.slice(0, 40)}` }] };
  }
};
