import type { Schemas } from '../../api/client';
import { duration, percent } from '../../components/format';
import { VERY_RESPONSIVE } from './responsiveness-days';

/**
 * Messenger's "Very responsive to messages" badge as Meta would judge the last 7 days: the verdict
 * first, then each condition with its figure, so a "no" says which one missed.
 */
export const BadgeVerdict = ({ verdict }: { verdict: Schemas['Responsiveness']['veryResponsive'] }) => {
  const rateOk = verdict.responseRate !== null && verdict.responseRate * 100 >= VERY_RESPONSIVE.ratePercent;
  const timeOk = verdict.responseTimeSeconds !== null && verdict.responseTimeSeconds <= VERY_RESPONSIVE.minutes * 60;
  return (
    <div className={`banner ${verdict.meets ? 'ok' : 'warning'}`} role="group" aria-label="Very responsive badge">
      <strong>{verdict.meets ? 'Very responsive to messages: the badge is earned' : 'Not very responsive yet: no badge'}</strong>
      <span className="muted">
        {' '}
        · judged on {verdict.from} to {verdict.to}
      </span>
      <ul>
        <li>
          Response rate {percent(verdict.responseRate)} {rateOk ? '✓' : '✗'} (needs {VERY_RESPONSIVE.ratePercent} % or more)
        </li>
        <li>
          Response time {verdict.responseTimeSeconds === null ? '–' : duration(verdict.responseTimeSeconds * 1000)} {timeOk ? '✓' : '✗'} (needs {VERY_RESPONSIVE.minutes} min or less; the mean of the fastest 90 %)
        </li>
      </ul>
    </div>
  );
};
