/**
 * The app secret is stored either as the plain value, or, while rotating it in Meta's dashboard, as
 * JSON `{"current": "...", "previous": "..."}` so webhooks signed with either are accepted.
 */
export const appSecretsFrom = (stored: string): string[] => {
  const value = stored.trim();
  if (value.startsWith('{')) {
    let parsed: { current?: unknown; previous?: unknown };
    try {
      parsed = JSON.parse(value) as typeof parsed;
    } catch {
      // JSON.parse quotes the input in its message: never let it carry the secret into a log.
      throw new Error('the app secret looks like rotation JSON but does not parse; expected {"current": "...", "previous": "..."}');
    }
    return [parsed.current, parsed.previous].filter((s): s is string => typeof s === 'string' && s.length > 0);
  }
  return [value];
};
