import type { AutomationConfig } from '../../schemas/automation-config';
import type { AfterSend } from '../send/after-send';
import type { SendIntent } from '../send/send-intent';
import type { RegisterWrite } from '../state-writes';
import type { AutomationInbound } from './keyword-opt-out';

/** Each automation, by the name its metrics, costs and outbox keys use. */
export type AutomationRuleName = 'keyword' | 'handoff' | 'opt_in_request' | 'away' | 'greeting' | 'default_reply';

/** What a rule sees of one inbound event. Pure data: the use case loads it, the rule decides. */
export interface AutomationSituation {
  inbound: AutomationInbound;
  /** The person's merged contact state after the webhook stored this event (raw registers). */
  state: Record<string, unknown>;
  /** The account's configuration, defaults applied (DEFAULT_AUTOMATION_CONFIG when none is stored). */
  config: AutomationConfig;
  /** The account's IANA zone: business hours are read in it. */
  accountTimeZone: string;
  /** The automation run's clock (not the event's time: a late retry answers by the rules of now). */
  now: number;
  /**
   * Someone other than this bot answers the person now (silence.ts): a human took over, or another
   * app or Meta's agent holds the thread. Rules still record what the person asked; nothing answers.
   */
  silenced: boolean;
  /** An earlier rule in RULES already answered or handled this event. */
  handled: boolean;
}

/** An automated message: its outbox key derives from the inbound event, so a redelivery finds the job. */
export interface AutomatedSend {
  intent: SendIntent;
  idempotencyKey: string;
  /** The job's step after its message (the handoff's thread pass): the sender's, once the message is done with. */
  afterSend?: AfterSend;
}

/** An event for the business's EventBridge bus (e.g. `handoff.requested`). */
export interface BusinessBusEvent {
  detailType: string;
  detail: Record<string, unknown>;
}

export type ThreadControlStep = 'pass' | 'take';

export interface RulePlan {
  rule: AutomationRuleName;
  /** Ordered register writes (safe to repeat), applied before anything is sent. */
  writes: RegisterWrite[];
  send?: AutomatedSend;
  busEvents?: BusinessBusEvent[];
  /**
   * Messenger / Instagram Conversation Routing: `take` takes the thread back from the app the
   * account's config names (`handoff.threadControl`). Without that setting, and on WhatsApp, the use
   * case does nothing with it. A pass rides on the acknowledgement's job instead (`send.afterSend`):
   * Meta lets only the thread's holder send, so the message must leave first.
   */
  threadControl?: 'take';
  /** The event is this rule's: rules after it that answer "what nothing else handled" stay quiet. */
  handled: boolean;
}

export type AutomationRule = (situation: AutomationSituation) => RulePlan | undefined;
