/**
 * The local stand-in for PutEvents on the business bus and the rule that routes its events to the
 * dispatcher. In AWS an event the dispatcher cannot read is dropped far from whoever sent it;
 * locally it comes back as a failed entry, so a bad sample or a bad integration shows at once.
 * afterchat's own events (source `afterchat.…`, e.g. automation's `handoff.requested`) are no send
 * requests: they are kept for `events()` and GET /local/events, and the dispatcher never sees them,
 * as in AWS, where its rule matches only a detail naming a template. A shop's `order.placed` goes to
 * the conversion handler instead, as the conversion rule routes it (README "Conversions").
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { Clock } from '../domain/clock';
import { type BusinessEvent, BusinessEventSchema, type EventBridgeEnvelope, EventBridgeEnvelopeSchema } from '../schemas/business-event';
import { ORDER_PLACED, type OrderPlacedEvent, OrderPlacedEventSchema } from '../schemas/order-placed';

/** PutEvents takes at most 10 entries per call and refuses the whole call otherwise. */
const MAX_ENTRIES = 10;
/** The newest events `events()` keeps: enough for a walk-through, bounded for a long-running stack. */
const KEPT_EVENTS = 500;
const OWN_SOURCE = /^afterchat\./;

export interface LocalEventBusOptions {
  /** The rule's target, e.g. the dispatcher handler. */
  deliver: (event: BusinessEvent) => Promise<void>;
  /** The conversion rule's target; absent, an `order.placed` is refused as no business event. */
  convert?: (event: OrderPlacedEvent) => Promise<void>;
  clock: Clock;
  accountId?: string;
  region?: string;
}

/** A PutEvents request entry, as the SDK's `PutEventsRequestEntry` takes it. */
export interface PutEventsEntry {
  Source: string;
  DetailType: string;
  /** The event's detail as a JSON object in a string. */
  Detail: string;
  /** Accepted for the SDK's shape; there is one local bus. */
  EventBusName?: string;
}

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface PutEventsResult {
  FailedEntryCount: number;
  /** One per request entry, in the same order. */
  Entries: PutEventsResultEntry[];
}

export interface LocalEventBus {
  /** Resolves once every accepted event has been delivered; rejects if a delivery failed. */
  putEvents(entries: readonly PutEventsEntry[]): Promise<PutEventsResult>;
  /** Every event the bus accepted, oldest first (the newest 500): what a rule on the bus would see. */
  events(): AcceptedEvent[];
}

/** An event as the bus accepted it: EventBridge's envelope around a detail that is a JSON object. */
export type AcceptedEvent = Omit<EventBridgeEnvelope, 'detail'> & { detail: Record<string, unknown> };

type Accepted = { event: BusinessEvent } | { order: OrderPlacedEvent } | { own: AcceptedEvent } | { ErrorCode: string; ErrorMessage: string };

export const createLocalEventBus = (options: LocalEventBusOptions): LocalEventBus => {
  const account = options.accountId ?? '000000000000';
  const region = options.region ?? 'local';
  const kept: AcceptedEvent[] = [];
  const keep = (event: AcceptedEvent) => {
    kept.push(event);
    if (kept.length > KEPT_EVENTS) kept.shift();
  };
  return {
    events: () => [...kept],
    async putEvents(entries) {
      if (entries.length === 0 || entries.length > MAX_ENTRIES) {
        throw new Error(`PutEvents takes 1 to ${MAX_ENTRIES} entries, got ${entries.length}`);
      }
      // EventBridge stamps the time of the call, to the second.
      const time = new Date(options.clock()).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const accepted = entries.map((entry) => accept(entry, { time, account, region }, options.convert !== undefined));
      for (const result of accepted) {
        if ('event' in result) keep(result.event);
        if ('order' in result) keep(result.order);
        if ('own' in result) keep(result.own);
      }
      const deliveries = await Promise.allSettled(
        accepted.flatMap((result) => ('event' in result ? [options.deliver(result.event)] : 'order' in result && options.convert ? [options.convert(result.order)] : [])),
      );
      const failures = deliveries.flatMap((delivery) => (delivery.status === 'rejected' ? [delivery.reason as unknown] : []));
      // Nothing retries or dead-letters locally, so a failed delivery is the caller's to see.
      if (failures.length === 1) throw failures[0];
      if (failures.length > 1) throw new AggregateError(failures, `${failures.length} deliveries failed`);
      const results = accepted.map((result) =>
        'event' in result ? { EventId: result.event.id } : 'order' in result ? { EventId: result.order.id } : 'own' in result ? { EventId: result.own.id } : result,
      );
      return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
    },
  };
};

const accept = (entry: PutEventsEntry, stamp: { time: string; account: string; region: string }, converts: boolean): Accepted => {
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not valid JSON.' };
  }
  const event = {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: stamp.account,
    time: stamp.time,
    region: stamp.region,
    resources: [],
    detail,
  };
  if (OWN_SOURCE.test(entry.Source)) {
    const parsed = OwnEventSchema.safeParse(event);
    return parsed.success ? { own: parsed.data } : invalid('not a valid event', parsed.error);
  }
  if (converts && entry.DetailType === ORDER_PLACED) {
    const order = OrderPlacedEventSchema.safeParse(event);
    return order.success ? { order: order.data } : invalid('not an order.placed event', order.error);
  }
  const parsed = BusinessEventSchema.safeParse(event);
  return parsed.success ? { event: parsed.data } : invalid('not a business event', parsed.error);
};

const invalid = (what: string, error: z.ZodError): { ErrorCode: string; ErrorMessage: string } => {
  const issues = error.issues.map((issue) => `${issue.path.map(String).join('.') || '(event)'}: ${issue.message}`);
  return { ErrorCode: 'InvalidArgument', ErrorMessage: `${what}: ${issues.join('; ')}` };
};

/** EventBridge's own checks: a detail-type of 1 to 128 characters, a detail that is a JSON object. */
const OwnEventSchema = EventBridgeEnvelopeSchema.extend({
  'detail-type': z.string().min(1).max(128),
  detail: z.record(z.string(), z.unknown()),
});

const SampleEventSchema = EventBridgeEnvelopeSchema.pick({ source: true, 'detail-type': true }).extend({
  detail: z.record(z.string(), z.unknown()),
});

/**
 * The PutEvents entry a full EventBridge event (a sample in events/eventbridge/) was made from. Only
 * the envelope is checked: a sample with a bad detail should reach the bus and fail there.
 */
export const entryFromEvent = (event: unknown): PutEventsEntry => {
  const parsed = SampleEventSchema.safeParse(event);
  if (!parsed.success) throw new Error(`not an EventBridge event: ${z.prettifyError(parsed.error)}`);
  return { Source: parsed.data.source, DetailType: parsed.data['detail-type'], Detail: JSON.stringify(parsed.data.detail) };
};
