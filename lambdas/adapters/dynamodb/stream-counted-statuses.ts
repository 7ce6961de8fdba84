import { landedMilestones } from '../../domain/measurement/status-milestones';
import type { CountedMilestone, LandedStatus, StatusFunnel } from '../../ports/status-funnel';

/**
 * The status webhook's funnel where the state table's stream counts the statuses' milestones (AWS:
 * lambdas/handlers/funnel-stream.ts): it names the milestones a body's statuses flagged first, for
 * the webhook's metrics and afterchat's events, and writes nothing, so a status stays one write.
 */
export class StreamCountedStatuses implements StatusFunnel {
  countStatuses(landed: readonly LandedStatus[]): Promise<CountedMilestone[]> {
    return Promise.resolve(landedMilestones(landed));
  }
}
