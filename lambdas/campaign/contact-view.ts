import type { LedgerSnapshot } from '../ports/marketing-ledger';
import type { StoredAttributes } from '../ports/state-store';

/**
 * The marketing ledger the dispatcher reserves sends in, from a contact's stored state (as
 * `StateStore.getPerson` returns it). Version 0 stands for "no ledger yet": the first reservation creates it.
 */
export const ledgerSnapshotOf = (state: StoredAttributes): LedgerSnapshot => ({
  entries: isRecord(state.marketingLedger)
    ? Object.entries(state.marketingLedger).flatMap(([key, atMs]) => (typeof atMs === 'number' ? [{ key, atMs }] : []))
    : [],
  version: typeof state.marketingLedgerVersion === 'number' ? state.marketingLedgerVersion : 0,
});

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
