import type { Channel } from '../events';
import type { PolicyRule, RuleOf, Topic } from './policy-rule-types';

/** Is the row in effect at `now` (from inclusive, until exclusive)? */
export const inEffect = (rule: PolicyRule, now: number): boolean =>
  (rule.effectiveFrom === undefined || now >= Date.parse(rule.effectiveFrom)) &&
  (rule.effectiveUntil === undefined || now < Date.parse(rule.effectiveUntil));

export const appliesTo = (rule: PolicyRule, channel: Channel): boolean =>
  rule.channels === undefined || rule.channels.includes(channel);

/** The rules in force for one send: one channel at one instant. */
export interface RuleBook {
  /** The row of `topic` in effect, or undefined when Meta offers no such door then. */
  find<T extends Topic>(topic: T): RuleOf<T> | undefined;
  /** For topics the table must always cover (a gap is a bug in the table, caught by its tests). */
  get<T extends Topic>(topic: T): RuleOf<T>;
}

export const ruleBook = (rules: readonly PolicyRule[], channel: Channel, now: number): RuleBook => {
  const find = <T extends Topic>(topic: T): RuleOf<T> | undefined =>
    rules.find((rule): rule is RuleOf<T> => rule.topic === topic && appliesTo(rule, channel) && inEffect(rule, now));
  return {
    find,
    get: (topic) => {
      const rule = find(topic);
      if (rule === undefined) throw new Error(`No ${topic} rule for ${channel} at ${new Date(now).toISOString()}`);
      return rule;
    },
  };
};
