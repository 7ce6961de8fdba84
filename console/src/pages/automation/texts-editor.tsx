import type { TextRow } from './automation-form';
import { FieldError, fieldId, invalid } from './field-error';

/** One text per language: a row each, added and removed with buttons; the first added is in `language`. */
export const TextsEditor = ({ title, field, rows, error, language, onChange }: { title: string; field: string; rows: TextRow[]; error?: string; language: string; onChange: (rows: TextRow[]) => void }) => {
  const set = (i: number, row: Partial<TextRow>) => onChange(rows.map((r, n) => (n === i ? { ...r, ...row } : r)));
  return (
    <div className="texts" id={fieldId(field)} role="group" aria-label={`${title} texts`} {...invalid(field, error)}>
      {rows.map((row, i) => (
        <div key={i} className="field-row">
          <label>
            {title} {i + 1}: language
            <input value={row.language} maxLength={2} size={3} onChange={(e) => set(i, { language: e.target.value.toLowerCase() })} />
          </label>
          <label className="grow">
            {title} {i + 1}: text
            <textarea value={row.text} rows={2} onChange={(e) => set(i, { text: e.target.value })} />
          </label>
          <button type="button" className="secondary" onClick={() => onChange(rows.filter((_r, n) => n !== i))} aria-label={`Remove ${title} ${i + 1}`}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="secondary" onClick={() => onChange([...rows, { language: rows.length === 0 ? language : '', text: '' }])}>
        {title}: add a language
      </button>
      <FieldError field={field} error={error} />
    </div>
  );
};
