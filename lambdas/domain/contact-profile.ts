import type { ContactProfile } from '../ports/contact-profiles';
import type { StoredAttributes } from '../ports/state-store';

/** The profile the admin API (PUT …/profile) or an import stored on a contact's (merged) state. */
export const contactProfileOf = (state: StoredAttributes): ContactProfile => {
  const attributes: Record<string, string> = {};
  if (isRecord(state.profileAttributes)) {
    for (const [name, value] of Object.entries(state.profileAttributes)) if (typeof value === 'string') attributes[name] = value;
  }
  return {
    tags: Array.isArray(state.profileTags) ? state.profileTags.filter((t): t is string => typeof t === 'string') : [],
    attributes,
    ...(typeof state.timeZone === 'string' ? { timeZone: state.timeZone } : {}),
    ...(typeof state.country === 'string' ? { country: state.country } : {}),
  };
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
