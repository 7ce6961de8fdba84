/** A page cursor the caller changed, or took from another listing: the caller's mistake (400), not a failure. */
export class InvalidPageCursor extends Error {
  override readonly name = 'InvalidPageCursor';
}
