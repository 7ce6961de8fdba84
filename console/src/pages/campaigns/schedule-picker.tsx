import type { CampaignForm } from './campaign-form';
import { DAYS } from './schedule-text';

type Props = { form: CampaignForm; set: (change: Partial<CampaignForm>) => void };

const KINDS = [
  { kind: 'once', label: 'Once, at a time' },
  { kind: 'recurring', label: 'Recurring' },
  { kind: 'local_time', label: 'At each contact’s local time' },
] as const;

/** The three schedules a campaign has: once (a UTC instant on a whole minute), recurring (EventBridge cron or rate, UTC), local time (HH:MM, some weekdays). */
export const SchedulePicker = ({ form, set }: Props) => (
  <fieldset>
    <legend>Schedule</legend>
    <div className="choices" role="radiogroup" aria-label="Schedule kind">
      {KINDS.map(({ kind, label }) => (
        <label key={kind} className="choice">
          <input type="radio" name="schedule-kind" value={kind} checked={form.scheduleKind === kind} onChange={() => set({ scheduleKind: kind })} />
          {label}
        </label>
      ))}
    </div>
    {form.scheduleKind === 'once' ? (
      <label>
        Send at (UTC)
        <input type="datetime-local" step={60} value={form.onceAt} onChange={(e) => set({ onceAt: e.target.value })} required />
      </label>
    ) : null}
    {form.scheduleKind === 'recurring' ? (
      <label>
        Schedule expression (UTC)
        <input value={form.expression} onChange={(e) => set({ expression: e.target.value })} aria-describedby="expression-help" />
        <span id="expression-help" className="muted">
          EventBridge <code>cron(minutes hours day-of-month month day-of-week year)</code> or <code>rate(1 day)</code>; e.g. <code>cron(0 8 ? * MON *)</code> is every Monday at 08:00 UTC.
        </span>
      </label>
    ) : null}
    {form.scheduleKind === 'local_time' ? (
      <>
        <label>
          Local time
          <input type="time" value={form.localAt} onChange={(e) => set({ localAt: e.target.value })} required />
        </label>
        <fieldset className="days">
          <legend>Days (the contact’s weekdays)</legend>
          {DAYS.map((day) => (
            <label key={day} className="choice">
              <input
                type="checkbox"
                checked={form.days.includes(day)}
                onChange={(e) => set({ days: e.target.checked ? DAYS.filter((d) => d === day || form.days.includes(d)) : form.days.filter((d) => d !== day) })}
              />
              {day}
            </label>
          ))}
        </fieldset>
      </>
    ) : null}
  </fieldset>
);
