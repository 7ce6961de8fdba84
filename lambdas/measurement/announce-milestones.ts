/**
 * `message.delivered`, `message.read` and `message.clicked` on the business bus, where the funnel
 * records the milestone the first time (README "Events afterchat emits"). Wired only where the stage
 * turns the events on (lib/config.ts `eventsOut`): off, nothing here runs, reads or puts anything.
 * At least once: the event goes on the bus after the milestone is written, so a crash in between
 * loses it, and a retry that finds the milestone written doesn't put it again; a consumer dedupes
 * on `eventKey` all the same.
 */
import { isAnnounced, messageEvent } from '../domain/measurement/events-out';
import type { BusinessBus } from '../ports/business-bus';
import type { FunnelMilestones, MilestoneEvent } from '../ports/funnel-milestones';
import type { StatusFunnel } from '../ports/status-funnel';
import type { Outbox, OutboxRecord } from '../ports/outbox';

export interface AnnounceDeps {
  bus: BusinessBus;
  outbox: Pick<Outbox, 'get'>;
}

const announce = async (bus: BusinessBus, firsts: readonly { event: MilestoneEvent; record: OutboxRecord }[]): Promise<void> => {
  const events = firsts.flatMap(({ event, record }) => {
    const messageId = record.messageId ?? record.delivery?.messageId;
    return messageEvent(event.milestone, { outboxId: record.outboxId, intent: record.intent, ...(messageId ? { messageId } : {}), ...(record.group ? { group: record.group } : {}) }, event.at) ?? [];
  });
  if (events.length > 0) await bus.put(events);
};

/** Milestones recorded one by one (a click through the redirect): announced when `record` says it was the first time. */
export const announcingMilestones = (inner: FunnelMilestones, deps: AnnounceDeps): FunnelMilestones => ({
  record: async (event) => {
    const first = await inner.record(event);
    if (first && isAnnounced(event.milestone)) {
      const record = await deps.outbox.get(event.outboxId);
      if (record !== undefined) await announce(deps.bus, [{ event, record }]);
    }
    return first;
  },
});

/** The status webhooks' milestones: those the funnel counted (it knows them from the status writes), announced once counted. */
export const announcingStatuses = (inner: StatusFunnel, deps: AnnounceDeps): StatusFunnel => ({
  countStatuses: async (landed) => {
    const counted = await inner.countStatuses(landed);
    await announce(deps.bus, counted);
    return counted;
  },
});
