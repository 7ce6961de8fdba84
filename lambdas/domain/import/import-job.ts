import type { Channel } from '../events';

/**
 * A CSV import of a CRM list (README "Importing contacts"): its settings, where its processing stands,
 * and what it found. The rows themselves are the uploaded chunks'; this is everything else.
 */

/** What a row may change: add new contacts only, update existing ones only, or both. */
export const IMPORT_PURPOSES = ['add_new', 'update_existing', 'add_and_update'] as const;
export type ImportPurpose = (typeof IMPORT_PURPOSES)[number];

/**
 * Where a column goes. `attribute:<name>` is a profile attribute (`attribute:firstName`,
 * `attribute:locale` are the ones templates and automation read); `consent.*` the row's consent with
 * its provenance; `ignore` drops the column.
 */
export type ColumnTarget =
  | 'channel'
  | 'accountId'
  | 'userId'
  | 'tags'
  | 'timeZone'
  | 'country'
  | 'consent.basis'
  | 'consent.source'
  | 'consent.capturedAt'
  | 'consent.textShown'
  | 'consent.topic'
  | 'ignore'
  | `attribute:${string}`;

/** The fields "do not overwrite" can name: a stored value is kept, the row's only fills an empty one. */
export type ProtectableField = 'tags' | 'attributes' | 'timeZone' | 'country' | 'consent' | `attribute:${string}`;

export interface ImportSettings {
  purpose: ImportPurpose;
  /** Header cell → target, for every header cell (auto-mapped, then the caller's overrides). */
  mapping: Record<string, ColumnTarget>;
  /** The header as uploaded, in column order. */
  header: string[];
  doNotOverwrite: ProtectableField[];
  dryRun: boolean;
  /** Used where a row has no channel / account column (or leaves it empty). */
  defaults: { channel?: Channel; accountId?: string };
  delimiter: ',' | ';' | '\t';
  /** An erased person (a tombstone names them) is skipped unless this is set: an import never brings them back unasked. */
  restoreErased: boolean;
  /** The file's name, for people reading the job list; never parsed. */
  name?: string;
}

/** How one row ended. */
export type RowOutcome = 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed';

/** Why a row was skipped (not an error in the row: the purpose or an erasure said no). */
export type SkipReason = 'exists' | 'not_found' | 'erased';

/** One problem in one row: the file's line number (the header is line 1), the column's header, and why. Never the value. */
export interface LineError {
  line: number;
  /** The header cell, or `''` when the error is the row's as a whole (e.g. a wrong column count). */
  column: string;
  reason: string;
}

/**
 * Whether the contact a row leaves behind could receive a marketing message, by the policy engine
 * (domain/import/sendable.ts): a WhatsApp MARKETING template, a Messenger marketing message, or neither.
 */
export const SENDABLE_BUCKETS = ['whatsapp_template', 'messenger_marketing', 'none'] as const;
export type SendableBucket = (typeof SENDABLE_BUCKETS)[number];

/** What a job's processed rows did; counts add up slice by slice. */
export interface ImportCounts {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: Partial<Record<SkipReason, number>>;
  /** Rows with at least one error: none of their values was written. */
  failed: number;
  /** Error entries (a row may have several). */
  errors: number;
  sendable: Record<SendableBucket, number>;
  /** The policy engine's route for the sendable rows (`whatsapp.template`, `messenger.marketing_message`, …). */
  sendableByRoute: Record<string, number>;
  /** The policy engine's refusal reason for the rows in `none`. */
  notSendable: Record<string, number>;
}

/** Where processing stands: the next record to process, by chunk and by record within the chunk. */
export interface ImportCursor {
  chunk: number;
  record: number;
}

export type ImportStatus = 'uploading' | 'queued' | 'running' | 'completed';
