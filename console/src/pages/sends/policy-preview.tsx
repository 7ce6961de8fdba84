import type { Schemas } from '../../api/client';
import { dateTime } from '../../components/format';
import { pricingWords, refusalSentence, routeWords } from './policy-words';

export type Decision = Schemas['Decision'];

/** One policy decision as a marketer reads it: the route and what Meta charges, or why not and when. */
export const PolicyDecision = ({ decision, when, decidedAt }: { decision: Decision; when: string; decidedAt: string }) =>
  decision.outcome === 'allow' ? (
    <div className="banner ok" role="status" aria-label={`Policy preview ${when}`}>
      <strong>Allowed {when}.</strong> Goes as a <span>{routeWords(decision.route)}</span>, {pricingWords(decision.pricing)}.
      <div className="muted">
        Route <code>{decision.route}</code> · pricing <code>{decision.pricing}</code> · rule <code>{decision.rule}</code> · decided for {dateTime(decidedAt)}
      </div>
    </div>
  ) : (
    <div className="banner refused" role="status" aria-label={`Policy preview ${when}`}>
      <strong>Refused {when}.</strong> <span className="refusal">{refusalSentence(decision)}</span>
      <div className="muted">
        {decision.detail} (reason <code>{decision.reason}</code>, rule <code>{decision.rule}</code>, decided for {dateTime(decidedAt)})
      </div>
    </div>
  );
