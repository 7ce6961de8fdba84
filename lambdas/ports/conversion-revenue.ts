import type { Conversion } from './conversions';
import type { Touch } from './touches';

/** An order attributed to the message it followed. */
export type AttributedConversion = Conversion & { touch: Touch };

/**
 * The revenue of attributed orders in their message's funnel (README "Conversions"): the message
 * counts once as converted, and every order it led to adds its value, each order once.
 */
export interface ConversionRevenue {
  /**
   * Adds the order's value to its message's campaign occurrence, trigger or one-off sends. True the
   * first time for the account and order id; false when it was counted before, or the message counts
   * nowhere (an automated reply, an unknown record).
   */
  count(conversion: AttributedConversion): Promise<boolean>;
}
