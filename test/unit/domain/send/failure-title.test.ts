/** Interface under test: storedFailureTitle, Meta's failure title as a status stores it. */
import { FAILURE_TITLE_MAX_BYTES, storedFailureTitle } from '../../../../lambdas/domain/send/failure-title';

const bytes = (text: string | undefined) => Buffer.byteLength(text ?? '');

describe('a stored failure title', () => {
  it('is Meta’s title whole up to the bound, and absent when Meta gave none', () => {
    expect(storedFailureTitle('Re-engagement message')).toBe('Re-engagement message');
    expect(storedFailureTitle('x'.repeat(FAILURE_TITLE_MAX_BYTES))).toBe('x'.repeat(FAILURE_TITLE_MAX_BYTES));
    expect(storedFailureTitle(undefined)).toBeUndefined();
  });

  it('past the bound is cut with an ellipsis, within the bound', () => {
    const stored = storedFailureTitle('x'.repeat(FAILURE_TITLE_MAX_BYTES + 1));
    expect(stored).toBe(`${'x'.repeat(FAILURE_TITLE_MAX_BYTES - 3)}…`);
    expect(bytes(stored)).toBe(FAILURE_TITLE_MAX_BYTES);
  });

  it('counts bytes, not characters, and never cuts inside a character', () => {
    // 22 three-byte characters are 66 bytes: over the bound although only 22 characters long.
    const stored = storedFailureTitle('配'.repeat(22));
    expect(stored).toBe(`${'配'.repeat(20)}…`);
    const emoji = storedFailureTitle(`${'x'.repeat(FAILURE_TITLE_MAX_BYTES - 5)}😀😀`);
    expect(emoji).toBe(`${'x'.repeat(FAILURE_TITLE_MAX_BYTES - 5)}…`);
    for (const title of [stored, emoji]) expect(bytes(title)).toBeLessThanOrEqual(FAILURE_TITLE_MAX_BYTES);
  });
});
