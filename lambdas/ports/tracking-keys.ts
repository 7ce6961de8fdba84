/**
 * The keys tracking links are signed with (README "Clicks"): the first signs, every one verifies,
 * so links sent before a rotation keep working while the previous key is kept.
 */
export interface TrackingKeys {
  keys(): Promise<string[]>;
}
