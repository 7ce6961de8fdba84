import type { ContactRef, WebhookEvent } from '../domain/events';
import type { Clicked } from '../ports/click-log';
import type { Outbox, OutboxRecord } from '../ports/outbox';
import { type ClickCounting, countClick } from './count-click';

export interface WebhookClickDeps extends ClickCounting {
  outbox: Pick<Outbox, 'listByContact' | 'getMany'>;
}

/** A person's sends looked through for the one a click names: a tap answers a recent message. */
const RECENT_SENDS = 25;

interface WebhookClick {
  contact: ContactRef;
  clicked: Clicked;
  names(record: OutboxRecord): boolean;
}

const messageIdOf = (record: OutboxRecord): string | undefined => record.messageId ?? record.delivery?.messageId;

/**
 * The clicks Meta reports (README "Clicks"): a button, quick reply or list row tapped in answer to a
 * message afterchat sent (its id in the event's `answers`), and a Marketing Message API link click.
 */
const clickOf = (event: WebhookEvent): WebhookClick | undefined => {
  if (event.type === 'inbound' && event.answers !== undefined && event.said?.payload !== undefined) {
    const answered = event.answers;
    return { contact: event.contact, clicked: { kind: 'reply' }, names: (record) => messageIdOf(record) === answered };
  }
  if (event.type === 'marketing_click') {
    const { messageId, campaignMessageId } = event;
    return {
      contact: event.contact,
      clicked: { kind: 'marketing_message' },
      names: (record) =>
        (messageId !== undefined && messageIdOf(record) === messageId) || (campaignMessageId !== undefined && record.intent.campaignMessageId === campaignMessageId),
    };
  }
  return undefined;
};

/**
 * Counts the fresh events' clicks on the sends they name: the person's recent sends (one Query on
 * their person index and one BatchGetItem, only for an event that is a click), newest first. A click
 * on a message afterchat didn't send, or one older than the recent sends, counts nothing.
 */
export const countWebhookClicks = async (deps: WebhookClickDeps, events: readonly WebhookEvent[], at: number): Promise<number> => {
  let counted = 0;
  for (const event of events) {
    const click = clickOf(event);
    if (click === undefined) continue;
    const { outboxIds } = await deps.outbox.listByContact(click.contact, undefined, RECENT_SENDS);
    const record = (await deps.outbox.getMany(outboxIds)).find((candidate) => click.names(candidate));
    if (record === undefined) continue;
    await countClick(deps, record, click.clicked, at);
    counted += 1;
  }
  return counted;
};
