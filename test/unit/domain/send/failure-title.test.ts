/** Interface under test: storedFailureTitle, Meta's failure title as a status stores it; graphErrorTitle, Meta's title of a send call's error. */
import { FAILURE_TITLE_MAX_BYTES, graphErrorTitle, storedFailureTitle } from '../../../../lambdas/domain/send/failure-title';

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

describe("a Graph API error's title", () => {
  it("is Meta's message without the `(#code)` in front, as a failed status names the code", () => {
    expect(graphErrorTitle('(#131047) Re-engagement message')).toBe('Re-engagement message');
    expect(graphErrorTitle('(#100) Invalid parameter')).toBe('Invalid parameter');
    expect(graphErrorTitle('Invalid OAuth access token')).toBe('Invalid OAuth access token');
  });

  it('is absent when Meta gave no message, or only the code', () => {
    expect(graphErrorTitle(undefined)).toBeUndefined();
    expect(graphErrorTitle('(#2) ')).toBeUndefined();
  });
});
