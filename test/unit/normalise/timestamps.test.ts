/** Interface under test: toMillis, the one conversion of Meta's timestamp forms. */
import { toMillis } from '../../../lambdas/normalise/timestamps';

describe('toMillis', () => {
  it.each([
    [1458692752478, 1458692752478],
    ['1749416383', 1749416383000],
    [1731705721, 1731705721000],
    ['2024-03-01T10:00:00.000Z', Date.UTC(2024, 2, 1, 10)],
  ])('reads %p as %p ms', (input, expected) => {
    expect(toMillis(input)).toBe(expected);
  });

  it('refuses text that is no time', () => {
    expect(toMillis('soon')).toBeUndefined();
  });
});
