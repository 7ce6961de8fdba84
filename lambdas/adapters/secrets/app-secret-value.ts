/**
 * The app secret is stored either as the plain value, or, while rotating it in Meta's dashboard, as
 * JSON `{"current": "...", "previous": "..."}` so webhooks signed with either are accepted.
 */
export const appSecretsFrom = (stored: string): string[] => {
  const value = stored.trim();
  if (value.startsWith('{')) {
    const parsed = JSON.parse(value) as { current?: unknown; previous?: unknown };
    return [parsed.current, parsed.previous].filter((s): s is string => typeof s === 'string' && s.length > 0);
  }
  return [value];
};
