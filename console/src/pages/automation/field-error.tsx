/** The id a field's input carries, from its key (`greeting.quietGapHours` → `automation-greeting-quietGapHours`). */
export const fieldId = (field: string) => `automation-${field.replaceAll('.', '-')}`;

/** What the input's `aria-invalid` and `aria-describedby` say, so a screen reader reads the error with the field. */
export const invalid = (field: string, error: string | undefined) => (error ? { 'aria-invalid': true, 'aria-describedby': `${fieldId(field)}-error` } : {});

/** The error under a field, when it has one. */
export const FieldError = ({ field, error }: { field: string; error: string | undefined }) =>
  error ? (
    <p id={`${fieldId(field)}-error`} className="error field-error">
      {error}
    </p>
  ) : null;
