import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '../domain/clock';
import type { ContactRef } from '../domain/events';
import { attribute, windowStart } from '../domain/measurement/attribution';
import type { ConversionRevenue } from '../ports/conversion-revenue';
import type { Conversion, Conversions } from '../ports/conversions';
import type { CustomerDirectory } from '../ports/customer-directory';
import type { FunnelMilestones } from '../ports/funnel-milestones';
import type { Touch, Touches } from '../ports/touches';
import type { OrderPlacedDetail } from '../schemas/order-placed';

export interface RecordConversionDeps {
  directory: CustomerDirectory;
  touches: Touches;
  milestones: FunnelMilestones;
  conversions: Conversions;
  revenue: ConversionRevenue;
  /** How far back from the order a read or click counts (the stage's attribution window). */
  windowMs: number;
  clock: Clock;
  logger: Logger;
}

/** `duplicate`: the order was kept before (a redelivery, or the shop posting it twice). */
export type ConversionOutcome = 'attributed' | 'unattributed' | 'duplicate';

type TouchOf = Touch & { contact: ContactRef };

/**
 * An `order.placed`: the customer's contacts (the ids the order names, else the customer key's
 * lookup), each one's latest touch in the window up to the order, the last-touch winner; kept once
 * per order id. An attributed one marks its message `converted` (once per message: the funnel counts
 * converting messages) and adds its value to the message's revenue (once per order: every order the
 * message led to counts). A redelivery (or a retry after a crash between the writes) repeats both
 * for the conversion kept first, and each counts only once: the order counts once whatever happens
 * in between.
 */
export const recordConversion = async (deps: RecordConversionDeps, order: OrderPlacedDetail): Promise<ConversionOutcome> => {
  const account = { channel: order.channel, accountId: order.accountId };
  const occurredAt = Date.parse(order.occurredAt);
  const contacts = await customerContacts(deps.directory, order);
  const since = windowStart(occurredAt, deps.windowMs);
  const latest = await Promise.all(contacts.map(async (contact): Promise<TouchOf | undefined> => {
    const touch = await deps.touches.latest(contact, since, occurredAt);
    return touch === undefined ? undefined : { ...touch, contact };
  }));
  const attribution = attribute(latest, occurredAt, deps.windowMs);
  const conversion: Conversion = {
    account,
    orderId: order.orderId,
    occurredAt,
    value: { amount: order.value, currency: order.currency },
    recordedAt: deps.clock(),
    ...(attribution.kind === 'attributed'
      ? { contact: attribution.touch.contact, touch: touchOnly(attribution.touch) }
      : contacts[0] === undefined
        ? {}
        : { contact: contacts[0] }),
  };
  const kept = await deps.conversions.keep(conversion);
  const { touch } = kept.conversion;
  if (touch !== undefined) {
    await deps.milestones.record({ outboxId: touch.outboxId, milestone: 'converted', at: kept.conversion.occurredAt });
    await deps.revenue.count({ ...kept.conversion, touch });
  }
  const outcome: ConversionOutcome = !kept.created ? 'duplicate' : touch === undefined ? 'unattributed' : 'attributed';
  // Ids of the order and the message only: the customer's ids and key stay out of the log.
  deps.logger.info('order.placed', { outcome, resolvedContacts: contacts.length, ...(touch === undefined ? {} : { outboxId: touch.outboxId, touch: touch.kind }) });
  return outcome;
};

const customerContacts = async (directory: CustomerDirectory, order: OrderPlacedDetail): Promise<ContactRef[]> => {
  if (order.userId !== undefined) return [{ channel: order.channel, accountId: order.accountId, userId: order.userId }];
  if (order.customer === undefined) return [];
  const found = await directory.contactsWith({ channel: order.channel, accountId: order.accountId }, order.customer.attribute, order.customer.value);
  // A stable order, so the contact an unattributed conversion is filed under doesn't depend on the read.
  return [...found].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
};

const touchOnly = ({ outboxId, kind, at, campaignId }: TouchOf): Touch => ({ outboxId, kind, at, ...(campaignId === undefined ? {} : { campaignId }) });
