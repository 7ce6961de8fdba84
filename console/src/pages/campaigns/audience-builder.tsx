import { useState } from 'react';
import type { Schemas } from '../../api/client';
import { type Audience, parseAttributeLines } from './audience-query';
import { LiveMatches } from './live-matches';

type Props = { audience: Audience; onChange: (audience: Audience) => void; accounts: Schemas['Campaign']['accounts'] };

const tristate = (value: boolean | undefined) => (value === undefined ? '' : value ? 'true' : 'false');
const fromTristate = (value: string) => (value === '' ? undefined : value === 'true');

/** Drops the filters left empty, so the audience holds only what narrows it. */
const tidy = (audience: Audience): Audience => {
  const kept = Object.entries(audience).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0));
  return Object.fromEntries(kept);
};

const attributeText = (attributes: Record<string, string> | undefined) =>
  Object.entries(attributes ?? {})
    .map(([name, value]) => `${name}:${value}`)
    .join('\n');

/**
 * A campaign's audience, the filters the contact search takes (one definition), with who matches
 * them now beside it.
 */
export const AudienceBuilder = ({ audience, onChange, accounts }: Props) => {
  const set = (change: Partial<Audience>) => onChange(tidy({ ...audience, ...change }));
  // The textarea keeps what is typed (a line half-written); the audience gets the lines that parse.
  const [attributes, setAttributes] = useState(() => attributeText(audience.attributes));
  const invalid = parseAttributeLines(attributes).invalid;
  const channels = [...new Set(accounts.map((a) => a.channel))];
  return (
    <fieldset className="audience">
      <legend>Audience</legend>
      <div className="grid-2">
        <label>
          Tags (all of them, comma-separated)
          <input
            value={(audience.tags ?? []).join(', ')}
            onChange={(e) =>
              set({
                tags: e.target.value
                  .split(',')
                  .map((t) => t.trim())
                  .filter(Boolean),
              })
            }
            placeholder="newsletter, vip"
          />
        </label>
        <label>
          Attributes (one name:value a line)
          <textarea
            rows={2}
            value={attributes}
            onChange={(e) => {
              setAttributes(e.target.value);
              set({ attributes: parseAttributeLines(e.target.value).attributes });
            }}
            placeholder="city:Leipzig"
            aria-invalid={invalid.length > 0}
            aria-describedby="attributes-error"
          />
          {invalid.length > 0 ? (
            <span id="attributes-error" className="error">
              Not name:value: {invalid.join(', ')}
            </span>
          ) : null}
        </label>
        <label>
          Opt-in topic (Messenger, Instagram)
          <input value={audience.topic ?? ''} onChange={(e) => set({ topic: e.target.value.trim() || undefined, ...(e.target.value.trim() ? {} : { optInStatus: undefined }) })} placeholder="deals" />
        </label>
        {audience.topic ? (
          <label>
            Opt-in state
            <select value={audience.optInStatus ?? ''} onChange={(e) => set({ optInStatus: (e.target.value || undefined) as Audience['optInStatus'] })}>
              <option value="">Active or stopped</option>
              <option value="active">Active</option>
              <option value="stopped">Stopped</option>
            </select>
          </label>
        ) : null}
        <label>
          Wrote within (days)
          <input type="number" min={1} value={audience.lastInboundWithinDays ?? ''} onChange={(e) => set({ lastInboundWithinDays: e.target.value ? Number(e.target.value) : undefined })} />
        </label>
        <label>
          24 h window
          <select value={tristate(audience.windowOpen)} onChange={(e) => set({ windowOpen: fromTristate(e.target.value) })}>
            <option value="">Open or closed</option>
            <option value="true">Open now</option>
            <option value="false">Closed now</option>
          </select>
        </label>
        <label>
          Stopped marketing
          <select value={tristate(audience.marketingOptOut)} onChange={(e) => set({ marketingOptOut: fromTristate(e.target.value) })}>
            <option value="">Either</option>
            <option value="false">Only those who did not</option>
            <option value="true">Only those who did</option>
          </select>
        </label>
        {channels.length > 1 ? (
          <label>
            Channel
            <select value={audience.channel ?? ''} onChange={(e) => set({ channel: (e.target.value || undefined) as Audience['channel'] })}>
              <option value="">Every account’s</option>
              {channels.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      <LiveMatches accounts={accounts} audience={audience} />
    </fieldset>
  );
};
