/**
 * What a template sync changed, worked out from the listing before and after it. Pure: no DOM, no
 * API client (types from the generated schema only), so the unit project tests it.
 */
import type { operations } from '../../api/schema';

export type Template = operations['getTemplates']['responses'][200]['content']['application/json']['templates'][number];

export interface TemplateChange {
  name: string;
  language: string;
  /** `new`, `gone` (Meta no longer lists it) or `changed`. */
  kind: 'new' | 'gone' | 'changed';
  /** What moved, in words: `status PAUSED → APPROVED`. */
  what: string[];
}

const FIELDS = ['status', 'category', 'quality'] as const;
const keyOf = (t: Pick<Template, 'name' | 'language'>) => `${t.name}\u0000${t.language}`;

/** What a sync changed, read from the listing before and after it (the sync answers counts only). */
export const templateChanges = (before: readonly Template[], after: readonly Template[]): TemplateChange[] => {
  const old = new Map(before.map((t) => [keyOf(t), t]));
  const changes: TemplateChange[] = [];
  for (const t of after) {
    const was = old.get(keyOf(t));
    if (!was) {
      changes.push({ name: t.name, language: t.language, kind: 'new', what: FIELDS.map((f) => `${f} ${t[f] ?? '–'}`) });
      continue;
    }
    const what = FIELDS.filter((f) => was[f] !== t[f]).map((f) => `${f} ${was[f] ?? '–'} → ${t[f] ?? '–'}`);
    if (what.length === 0) continue;
    changes.push({ name: t.name, language: t.language, kind: t.status === 'DELETED' && was.status !== 'DELETED' ? 'gone' : 'changed', what });
  }
  return changes.sort((a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language));
};
