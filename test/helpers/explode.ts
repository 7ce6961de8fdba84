/**
 * Splits a webhook body into bodies of one event each (one messaging/standby item, one change, one
 * WhatsApp message/status/preference), keeping the envelope around it. Used to deliver the same
 * events in any order, any number of times.
 */
type Json = Record<string, unknown>;

export const explode = (body: Json): Json[] => {
  const entries = (body.entry as Json[] | undefined) ?? [];
  return entries.flatMap((entry) => {
    const out: Json[] = [];
    for (const list of ['messaging', 'standby'] as const) {
      for (const item of (entry[list] as unknown[] | undefined) ?? []) {
        out.push({ ...body, entry: [{ id: entry.id, time: entry.time, [list]: [item] }] });
      }
    }
    for (const change of (entry.changes as Json[] | undefined) ?? []) {
      for (const value of splitValue(change.value as Json)) {
        out.push({ ...body, entry: [{ ...entry, changes: [{ ...change, value }] }] });
      }
    }
    return out;
  });
};

const splitValue = (value: Json): Json[] => {
  const parts: Json[] = [];
  for (const list of ['messages', 'statuses', 'user_preferences'] as const) {
    const items = value[list];
    if (Array.isArray(items)) for (const item of items) parts.push({ ...value, [list]: [item] });
  }
  return parts.length > 0 ? parts : [value];
};
