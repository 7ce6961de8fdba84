/**
 * The file's columns and where each goes. Every column is mapped by its header name unless the
 * person picks a target; once a dry run has read the file, "by name" shows what the stack mapped it to.
 */

/** The targets besides `attribute:<name>`, as `POST /admin/imports` takes them (its ColumnTarget). */
const TARGETS: { value: string; label: string }[] = [
  { value: 'userId', label: 'Person id (PSID, IGSID, phone number)' },
  { value: 'channel', label: 'Channel' },
  { value: 'accountId', label: 'Account id' },
  { value: 'tags', label: 'Tags' },
  { value: 'timeZone', label: 'Time zone' },
  { value: 'country', label: 'Country' },
  { value: 'consent.basis', label: 'Consent: basis' },
  { value: 'consent.source', label: 'Consent: source' },
  { value: 'consent.capturedAt', label: 'Consent: captured at' },
  { value: 'consent.textShown', label: 'Consent: text shown' },
  { value: 'consent.topic', label: 'Consent: topic' },
  { value: 'attribute:firstName', label: 'First name' },
  { value: 'attribute:lastName', label: 'Last name' },
  { value: 'attribute:locale', label: 'Language (locale)' },
  { value: 'ignore', label: 'Ignore this column' },
];

const labelOf = (target: string): string => TARGETS.find((t) => t.value === target)?.label ?? (target.startsWith('attribute:') ? `Attribute “${target.slice(10)}”` : target);

export const ColumnMapping = ({
  header,
  overrides,
  resolved,
  onChange,
}: {
  header: string[];
  overrides: Record<string, string>;
  /** The stack's mapping after a dry run: what "by name" became. */
  resolved?: Record<string, string>;
  onChange: (overrides: Record<string, string>) => void;
}) => (
  <div className="table-wrap">
    <table aria-label="Column mapping">
      <thead>
        <tr>
          <th>Column</th>
          <th>Maps to</th>
        </tr>
      </thead>
      <tbody>
        {header.map((cell, i) => {
          const id = `map-${i}`;
          const own = `attribute:${cell.trim()}`;
          const options = TARGETS.some((t) => t.value === own) ? TARGETS : [...TARGETS, { value: own, label: `Attribute “${cell.trim()}”` }];
          return (
            <tr key={cell}>
              <td>
                <label htmlFor={id}>{cell}</label>
              </td>
              <td>
                <select
                  id={id}
                  value={overrides[cell] ?? ''}
                  onChange={(e) => {
                    const next = { ...overrides };
                    if (e.target.value === '') delete next[cell];
                    else next[cell] = e.target.value;
                    onChange(next);
                  }}
                >
                  <option value="">{resolved?.[cell] ? `By its name: ${labelOf(resolved[cell])}` : 'By its name (automatic)'}</option>
                  {options.map((t) => (
                    <option key={t.value} value={t.value}>
                      {t.label}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  </div>
);
