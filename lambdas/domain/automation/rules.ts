import { awayRule } from './away-rule';
import { defaultReplyRule } from './default-reply-rule';
import { greetingRule } from './greeting-rule';
import { handoffRule } from './handoff-rule';
import { keywordRule } from './keyword-rule';
import { optInRequestRule } from './opt-in-request-rule';
import type { AutomationRule } from './rule';

/**
 * Every automation, in the order they see an event: what the person asked for explicitly first
 * (STOP/START, a human, a subscription), then what answers the conversation (away, greeting), and
 * the default reply last, only for what nothing before it handled.
 */
export const RULES: readonly AutomationRule[] = [keywordRule, handoffRule, optInRequestRule, awayRule, greetingRule, defaultReplyRule];
