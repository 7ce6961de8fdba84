import type { ContactProfile } from '../ports/contact-profiles';
import type { LedgerSnapshot } from '../ports/marketing-ledger';
import type { StoredAttributes } from '../ports/state-store';

/**
 * Views of a contact's stored state (as `StateStore.getPerson` returns it) for campaigns: the
 * profile the admin API put, and the marketing ledger the dispatcher reserves sends in.
 */
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

/** Version 0 stands for "no ledger yet": the first reservation creates it. */
export const ledgerSnapshotOf = (state: StoredAttributes): LedgerSnapshot => ({
  entries: isRecord(state.marketingLedger)
    ? Object.entries(state.marketingLedger).flatMap(([key, atMs]) => (typeof atMs === 'number' ? [{ key, atMs }] : []))
    : [],
  version: typeof state.marketingLedgerVersion === 'number' ? state.marketingLedgerVersion : 0,
});

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
