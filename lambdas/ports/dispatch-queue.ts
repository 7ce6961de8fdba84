import type { DispatchContinuation } from '../schemas/dispatcher-input';

/** Where the dispatcher leaves the rest of an occurrence for its next invocation. */
export interface DispatchQueue {
  /** `delaySeconds` (at most 900) holds the message back, e.g. until another worker's lease runs out. */
  continueLater(message: DispatchContinuation, options?: { delaySeconds?: number }): Promise<void>;
}
