import type { TemplateParameter } from './campaign-form';

/**
 * A template's parameters, one row each in the template's order: a name for named-parameter
 * templates (all named or none), the contact attribute that fills it, and the value used when the
 * contact has none (neither: the contact is skipped as missing_parameter).
 */
export const TemplateParameters = ({ parameters, onChange }: { parameters: TemplateParameter[]; onChange: (parameters: TemplateParameter[]) => void }) => {
  const set = (i: number, change: Partial<TemplateParameter>) => onChange(parameters.map((p, n) => (n === i ? { ...p, ...change } : p)));
  return (
    <fieldset className="parameters">
      <legend>Template parameters</legend>
      {parameters.length === 0 ? <p className="muted">None: the template has no {'{{variables}}'}, or add one per variable, in order.</p> : null}
      {parameters.map((p, i) => (
        <div className="field-row" key={i} role="group" aria-label={`Parameter ${i + 1}`}>
          <label>
            Name (named templates)
            <input value={p.name ?? ''} onChange={(e) => set(i, { name: e.target.value })} placeholder="first_name" />
          </label>
          <label>
            From attribute
            <input value={p.fromAttribute ?? ''} onChange={(e) => set(i, { fromAttribute: e.target.value })} placeholder="firstName" />
          </label>
          <label>
            Else the value
            <input value={p.value ?? ''} onChange={(e) => set(i, { value: e.target.value })} placeholder="there" />
          </label>
          <button type="button" className="secondary" onClick={() => onChange(parameters.filter((_, n) => n !== i))} aria-label={`Remove parameter ${i + 1}`}>
            Remove
          </button>
        </div>
      ))}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => onChange([...parameters, {}])} disabled={parameters.length >= 20}>
          Add a parameter
        </button>
      </div>
    </fieldset>
  );
};
