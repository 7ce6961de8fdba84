import * as z from 'zod';
import { KEYWORD_TEXT_MAX } from '../domain/automation/keywords';
import type { AutomationInbound } from '../domain/automation/keyword-opt-out';
import { ChannelSchema } from './account';

const HandedOffEvent = z.object({
  /** Absent: the person wrote or tapped; `echo`: the business answered from another tool. */
  kind: z.enum(['message', 'echo']).optional(),
  eventKey: z.string().min(1).max(1024),
  occurredAt: z.number().int().nonnegative(),
  channel: ChannelSchema,
  accountId: z.string().min(1).max(128),
  userId: z.string().min(1).max(256),
  text: z.string().max(KEYWORD_TEXT_MAX).optional(),
  payload: z.string().max(KEYWORD_TEXT_MAX).optional(),
  standby: z.boolean().optional(),
});

/** The body of an automation-queue message: the inbound events of one webhook body. */
export const AutomationHandOffSchema = z.object({ events: z.array(HandedOffEvent).min(1) });
export type AutomationHandOff = z.infer<typeof AutomationHandOffSchema>;

export const toHandOff = (events: readonly AutomationInbound[]): AutomationHandOff => ({
  events: events.map(({ contact, ...rest }) => ({ ...rest, channel: contact.channel, accountId: contact.accountId, userId: contact.userId })),
});

export const fromHandOff = (handOff: AutomationHandOff): AutomationInbound[] =>
  handOff.events.map(({ channel, accountId, userId, ...rest }) => ({ ...rest, contact: { channel, accountId, userId } }));
