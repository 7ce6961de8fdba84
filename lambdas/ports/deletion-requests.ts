import type { ErasureCounts } from '../domain/erasure/tombstone';

/** A data deletion request Meta sent, as its status URL shows it. It names no id: the app-scoped id only hashed. */
export interface DeletionRequestRecord {
  confirmationCode: string;
  /** `in_progress` from receipt until the erasure is done (a crash leaves it so until Meta's retry finishes it), then `completed`. */
  state: 'in_progress' | 'completed';
  receivedAt: number;
  completedAt?: number;
  /** SHA-256 (hex) of the app-scoped user id Meta sent. */
  userHash: string;
  /** Contacts stored under that id on a registered Messenger or Instagram account, erased. */
  matchedContacts?: number;
  removed?: ErasureCounts;
}

export interface DeletionRequests {
  get(confirmationCode: string): Promise<DeletionRequestRecord | undefined>;
  put(record: DeletionRequestRecord): Promise<void>;
}
