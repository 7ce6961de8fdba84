import type { Said } from '../events';
import { KEYWORD_TEXT_MAX } from './keywords';

/**
 * The part of an inbound message automation may read: a text or payload short enough to be a
 * keyword. Anything longer is a sentence automation does not act on yet, so it never leaves the
 * webhook (the hand-off carries no message bodies).
 */
export const saidOf = (text: string | undefined, payload: string | undefined): { said?: Said } => {
  const said: Said = {};
  if (text !== undefined && text.length <= KEYWORD_TEXT_MAX) said.text = text;
  if (payload !== undefined && payload.length <= KEYWORD_TEXT_MAX) said.payload = payload;
  return Object.keys(said).length === 0 ? {} : { said };
};
