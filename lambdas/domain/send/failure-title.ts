/**
 * The longest failure title a status stores, in UTF-8 bytes (what DynamoDB sizes items by). Every
 * status rewrites the outbox record and DynamoDB bills the larger of its sizes before and after: a
 * campaign template's record failed after `sent` is ~940 B before its title, so with a title this
 * long it stays under 1 KB, one WRU (test/integration/status-webhooks.int.test.ts). Most of Meta's
 * titles fit whole ("Re-engagement message"); the code, always stored whole, is what afterchat acts on.
 */
export const FAILURE_TITLE_MAX_BYTES = 64;

const ELLIPSIS = '…';
const ELLIPSIS_BYTES = 3;

const utf8Bytes = (character: string): number => {
  const codePoint = character.codePointAt(0) as number;
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
};

const utf8Length = (text: string): number => [...text].reduce((bytes, character) => bytes + utf8Bytes(character), 0);

/** The longest start of `text` within `maxBytes`, cut between characters. */
const startWithin = (text: string, maxBytes: number): string => {
  let kept = '';
  let bytes = 0;
  for (const character of text) {
    bytes += utf8Bytes(character);
    if (bytes > maxBytes) break;
    kept += character;
  }
  return kept;
};

/** Meta's title as stored: whole when it fits, else cut between characters and ended with "…", so a reader sees it was cut. */
export const storedFailureTitle = (title: string | undefined): string | undefined =>
  title === undefined || utf8Length(title) <= FAILURE_TITLE_MAX_BYTES ? title : startWithin(title, FAILURE_TITLE_MAX_BYTES - ELLIPSIS_BYTES) + ELLIPSIS;

/**
 * Meta's title of a Graph API error: its message without the `(#<code>) ` Meta puts in front, so a
 * refusal at the send call ("(#131047) Re-engagement message") is named as a failed status names it.
 */
export const graphErrorTitle = (message: string | undefined): string | undefined => {
  const title = message?.replace(/^\(#\d+\)\s*/, '').trim();
  return title === undefined || title === '' ? undefined : title;
};
