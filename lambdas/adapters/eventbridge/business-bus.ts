/**
 * What afterchat tells the business, as events on its EventBridge bus (README "Handoff events").
 * PutEvents itself is passed in, so the local stack runs this same code against its local bus.
 */
import type { EventBridgeClient, PutEventsCommand, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import type { BusinessBusEvent } from '../../domain/automation/rule';
import type { BusinessBus } from '../../ports/business-bus';

/** Automation's events; a shop's rule matches on it (and on `detail-type`). */
export const AUTOMATION_EVENT_SOURCE = 'afterchat.automation';

/** PutEvents takes at most 10 entries per call. */
const MAX_ENTRIES = 10;

export interface PutEventsAnswer {
  FailedEntryCount?: number;
  Entries?: PutEventsResultEntry[];
}

/** One PutEvents entry, every field set: what the SDK takes and the local bus too. */
export interface BusEntry {
  EventBusName: string;
  Source: string;
  DetailType: string;
  /** The detail as a JSON object in a string. */
  Detail: string;
}

/** EventBridge's PutEvents, or the local bus's. */
export type PutEvents = (entries: BusEntry[]) => Promise<PutEventsAnswer>;

/** PutEvents on a client. The command comes in with it, so that only the caller decides when the SDK loads. */
export const sdkPutEvents =
  (client: EventBridgeClient, Command: typeof PutEventsCommand): PutEvents =>
  (entries) =>
    client.send(new Command({ Entries: entries }));

/**
 * PutEvents made on the first put: a function Meta or a person waits on (the webhook, the redirect)
 * loads the EventBridge SDK then, not at cold start, as most of its invocations put nothing (events
 * out off, or no milestone counted first). A failed `connect` is tried again on the next put.
 */
export const lazyPutEvents = (connect: () => Promise<PutEvents>): PutEvents => {
  let connected: Promise<PutEvents> | undefined;
  return async (entries) => {
    connected ??= connect();
    const putEvents = await connected.catch((error: unknown) => {
      connected = undefined;
      throw error;
    });
    return putEvents(entries);
  };
};

export interface EventBridgeBusinessBusOptions {
  putEvents: PutEvents;
  busName: string;
  source?: string;
}

export class EventBridgeBusinessBus implements BusinessBus {
  private readonly source: string;

  constructor(private readonly options: EventBridgeBusinessBusOptions) {
    this.source = options.source ?? AUTOMATION_EVENT_SOURCE;
  }

  async put(events: readonly BusinessBusEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += MAX_ENTRIES) {
      const entries = events.slice(start, start + MAX_ENTRIES).map((event): BusEntry => ({
        EventBusName: this.options.busName,
        Source: this.source,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
      }));
      const answer = await this.options.putEvents(entries);
      // A refused entry throws so the caller's retry puts it again; the accepted ones may then come twice.
      if (answer.FailedEntryCount) {
        const failed = (answer.Entries ?? []).flatMap((entry, i) =>
          entry.ErrorCode === undefined ? [] : [`${entries[i]?.DetailType ?? '?'}: ${entry.ErrorCode} (${entry.ErrorMessage ?? 'no message'})`],
        );
        throw new Error(`EventBridge refused ${answer.FailedEntryCount} of ${entries.length} events on ${this.options.busName}: ${failed.join(', ')}`);
      }
    }
  }
}
