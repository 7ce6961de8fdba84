import type { ContactRecord } from '../../ports/state-store';
import { contactPolicyState } from '../send/policy-inputs';
import type { PolicySettings } from '../send/policy-context';
import { decide } from '../send/policy-engine';
import type { AccountPolicyState } from '../send/policy-types';
import type { SendIntent } from '../send/send-intent';
import type { SendableBucket } from './import-job';

/** A MARKETING template the probe pretends the account has approved: whether the person may get one is the question, not which. */
const PROBE_TEMPLATE = { name: 'afterchat_import_probe', language: 'en' } as const;

export interface Sendable {
  bucket: SendableBucket;
  /** The policy engine's route, when sendable. */
  route?: string;
  /** The policy engine's refusal reason, when not. */
  reason?: string;
}

/**
 * Whether the contact a row leaves behind could receive a marketing message now, decided by the
 * policy engine itself, as a campaign's preview decides: on WhatsApp a MARKETING template (one the
 * account has approved), on Messenger and Instagram a marketing message through an opt-in token.
 * So a campaign preview of an approved MARKETING template over the imported contacts counts the
 * same people; what only a campaign knows (its quiet hours, caps, topic, a template's own status)
 * can make the campaign reach fewer.
 */
export const sendableOf = (record: ContactRecord, account: AccountPolicyState, now: number, settings?: PolicySettings): Sendable => {
  const base = { channel: record.channel, accountId: record.accountId, userId: record.userId, kind: 'marketing', author: 'bot' } as const;
  const intent: SendIntent =
    record.channel === 'whatsapp'
      ? { ...base, content: { type: 'template', ...PROBE_TEMPLATE } }
      : // The Marketing Message API sends a campaign message by its id; any id stands for "one of the business's".
        { ...base, content: { type: 'text', text: 'afterchat import probe' }, campaignMessageId: '1' };
  const probed: AccountPolicyState =
    record.channel === 'whatsapp'
      ? { ...account, templates: { ...account.templates, [`${PROBE_TEMPLATE.name}#${PROBE_TEMPLATE.language}`]: { status: 'APPROVED', category: 'MARKETING' } } }
      : account;
  const decision = decide(intent, contactPolicyState(record), probed, now, settings);
  if (decision.outcome === 'refuse') return { bucket: 'none', reason: decision.reason };
  return { bucket: record.channel === 'whatsapp' ? 'whatsapp_template' : 'messenger_marketing', route: decision.route };
};
