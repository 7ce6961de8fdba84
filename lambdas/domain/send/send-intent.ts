import type { Channel } from '../events';

/**
 * What a caller wants to send, before any channel detail: the policy engine decides whether and
 * through which door (route) it may go.
 */
export type SendKind =
  /** An answer to what the person just wrote. */
  | 'reply'
  /** A proactive, non-promotional update (order shipped...). */
  | 'proactive_update'
  /** Promotional content. */
  | 'marketing'
  /** Transactional content meant for a utility template outside the window. */
  | 'utility'
  /** A request to subscribe to marketing messages (Messenger/Instagram notification_messages). */
  | 'opt_in_request'
  /** A human agent answering an inquiry, possibly after the 24 h window (HUMAN_AGENT tag). */
  | 'human_agent_reply';

export type Author = 'bot' | 'human';

export interface TemplateParameter {
  type: 'text' | 'currency' | 'date_time' | 'image' | 'document' | 'video' | 'payload' | 'coupon_code';
  /** Named-parameter templates carry the name; positional ones don't. */
  name?: string;
  value: string;
}

export interface TemplateComponent {
  type: 'header' | 'body' | 'button';
  subType?: 'quick_reply' | 'url' | 'copy_code' | 'flow' | 'catalog';
  index?: number;
  parameters: TemplateParameter[];
}

export type SendContent =
  | { type: 'text'; text: string }
  | { type: 'template'; name: string; language: string; components?: TemplateComponent[] }
  | { type: 'opt_in_request'; title: string; payload: string; imageUrl?: string; timezone?: string }
  /** WhatsApp interactive (buttons, lists) as Meta's JSON; free-form, so only inside the window. */
  | { type: 'interactive'; interactive: Record<string, unknown> };

export interface SendIntent {
  channel: Channel;
  /** Page id, Instagram account id, or WhatsApp phone_number_id. */
  accountId: string;
  /** PSID, IGSID, wa_id or BSUID. */
  userId: string;
  kind: SendKind;
  author: Author;
  content: SendContent;
  /** Messenger marketing: the opt-in topic to send under (the contact's active token for it is used). */
  topic?: string;
  /** Messenger Marketing Message API: the campaign message (`message_id`) this send belongs to. */
  campaignMessageId?: string;
}
