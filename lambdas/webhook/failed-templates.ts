import type { WebhookEvent } from '../domain/events';
import { classifyGraphError } from '../domain/send/classify-error';
import { outboxIdOfCallback } from '../domain/send/callback-data';
import type { Outbox } from '../ports/outbox';

/**
 * A failed status that blames the template (132015 paused, 132016 disabled...) names only the
 * message. When afterchat sent it, the outbox record says which template it used, so the template's
 * pause is recorded as the send call's answer would have recorded it. Messages sent by another app
 * on the number stay unnamed: Meta's `message_template_status_update` covers those templates.
 */
export const withFailedTemplates = async (outbox: Pick<Outbox, 'get'> | undefined, events: WebhookEvent[]): Promise<WebhookEvent[]> => {
  if (outbox === undefined) return events;
  return Promise.all(
    events.map(async (event) => {
      if (event.type !== 'message_status' || event.status !== 'failed' || event.error?.code === undefined) return event;
      const outboxId = outboxIdOfCallback(event.callbackData);
      if (outboxId === undefined || event.account === undefined) return event;
      const outcome = classifyGraphError({ channel: event.account.channel, code: event.error.code, requestSent: true });
      if (outcome.action !== 'pause_template') return event;
      const content = (await outbox.get(outboxId))?.intent.content;
      return content?.type === 'template' ? { ...event, template: { name: content.name, language: content.language } } : event;
    }),
  );
};
