import { digest } from '../event-key';
import type { ContactRef } from '../events';
import type { RegisterWrite } from '../state-writes';

/**
 * A person's consent to marketing on one topic, with its provenance: what the person agreed to, how,
 * when, and the words they were shown. Automation writes it when a WhatsApp person taps the consent
 * button or writes the consent keyword; the subscribers issue's CSV import writes the same record
 * (with its own basis and source), so the contact view and the search read one shape.
 *
 * Stored on the contact record (the contact partition), one register per topic (`consent_<hash>`,
 * its one field a JSON record, as `optInRequest_<hash>`): the latest consent per topic by event order
 * wins, so a redelivered or reordered event converges. A consent never grants more than a real opt-in
 * would: Messenger marketing still needs Meta's opt-in token.
 */
export const CONSENT_BASES = ['express', 'implied'] as const;
/**
 * `express`: the person agreed to marketing (a button, a keyword, a ticked box). `implied`: a CRM's
 * soft opt-in (an existing customer), kept as provenance only: Meta's WhatsApp policy asks for an
 * opt-in, so an implied consent makes no imported contact sendable (domain/import/sendable.ts).
 */
export type ConsentBasis = (typeof CONSENT_BASES)[number];
/** `import`: a CRM list's row (README "Importing contacts"); its own words for the source are `sourceDetail`. */
export type ConsentSource = 'whatsapp_keyword' | 'whatsapp_button' | 'import';

export interface ConsentRecord {
  topic: string;
  basis: ConsentBasis;
  source: ConsentSource;
  /** The inbound event's time (Meta's), not the time automation ran. */
  capturedAt: number;
  /** The consent prompt the person answered, as the business configured it. */
  textShown: string;
  /** The keyword or payload the person sent; an imported consent has none. */
  answer?: string;
  /** Where an imported consent was captured, in the CRM's words (`checkout form`, `paper form`). */
  sourceDetail?: string;
  /**
   * The event that captured it: a redelivery rewrites the same record. An imported consent's is
   * `import#` and a digest of the row's consent, so importing the same row again writes nothing.
   */
  eventKey: string;
}

const REGISTER_PREFIX = 'consent_';

export const consentRegister = (topic: string): string => `${REGISTER_PREFIX}${digest(topic)}`;

export const consentWrite = (contact: ContactRef, record: ConsentRecord, order: string): RegisterWrite => {
  const register = consentRegister(record.topic);
  return { target: { entity: 'contact', contact }, register, order, wins: 'later', fields: { [register]: JSON.stringify(record) } };
};

/** Every topic's consent on a stored (merged) contact state, oldest capture first. */
export const consentsOf = (state: Record<string, unknown>): ConsentRecord[] =>
  Object.entries(state)
    .flatMap(([key, value]) => (key.startsWith(REGISTER_PREFIX) && !key.endsWith('Order') && typeof value === 'string' ? [parse(value)] : []))
    .filter((r): r is ConsentRecord => r !== undefined)
    .sort((a, b) => a.capturedAt - b.capturedAt);

export const consentOf = (state: Record<string, unknown>, topic: string): ConsentRecord | undefined => {
  const value = state[consentRegister(topic)];
  return typeof value === 'string' ? parse(value) : undefined;
};

const parse = (value: string): ConsentRecord | undefined => {
  try {
    const r = JSON.parse(value) as Partial<ConsentRecord>;
    return typeof r.topic === 'string' && typeof r.capturedAt === 'number' && typeof r.textShown === 'string' ? (r as ConsentRecord) : undefined;
  } catch {
    return undefined;
  }
};
