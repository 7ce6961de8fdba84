/**
 * The local stack's stand-in for the EventBridge rules that fire campaigns: one rule per campaign,
 * built from the same expression the EventBridge adapter puts, and fired with the same input its
 * target receives, so the dispatcher cannot tell the two apart.
 *
 * After a gap (the laptop slept, the process was stopped in a debugger) only the latest missed fire
 * time fires; the older ones are reported to `onSkipped` and dropped. EventBridge does not replay
 * firings it missed either, and a burst of stale firings would send one campaign several times over.
 */
import { nextFireTimes } from '../domain/campaign/next-fire-times';
import { ruleExpression } from '../domain/campaign/rule-expression';
import type { Schedule } from '../domain/campaign/schedule';
import { parseScheduleExpression } from '../domain/campaign/schedule-expression';
import type { Clock } from '../domain/clock';
import type { CampaignFiring, CampaignScheduler } from '../ports/campaign-scheduler';
import type { Campaign } from '../schemas/campaign';

const RULE_NAME_PREFIX = 'afterchat-local-campaign-';
/** Fire times looked at per step while catching up, so a long gap on a busy cron never builds one huge array. */
const CATCH_UP_BATCH = 1000;

export interface LocalSchedulerOptions {
  clock: Clock;
  /** The rule's target, e.g. the dispatcher handler. */
  fire: (firing: CampaignFiring) => Promise<void> | void;
  /** A firing whose target threw; without a firing, a timer tick that failed. */
  onError: (error: unknown, firing?: CampaignFiring) => void;
  onSkipped?: (skipped: SkippedFirings) => void;
}

/** Fire times passed over after a gap in favour of the latest one, `firingAt`. */
export interface SkippedFirings {
  campaignId: string;
  count: number;
  /** The earliest fire time skipped (ISO-8601). */
  since: string;
  firingAt: string;
}

export interface LocalRule {
  campaignId: string;
  ruleName: string;
  expression: string;
  enabled: boolean;
  /** Null while disabled and once the schedule has run out. */
  nextFireAt: string | null;
}

interface Rule {
  readonly campaignId: string;
  readonly expression: string;
  readonly schedule: Schedule;
  /** A rate's phase: EventBridge starts a rate schedule when the rule is created. */
  readonly createdAtMs: number;
  enabled: boolean;
  nextFireMs: number | undefined;
}

export class LocalCampaignScheduler implements CampaignScheduler {
  private readonly clock: Clock;
  private readonly fire: LocalSchedulerOptions['fire'];
  private readonly onError: LocalSchedulerOptions['onError'];
  private readonly onSkipped: LocalSchedulerOptions['onSkipped'];
  private readonly byCampaign = new Map<string, Rule>();
  private timer: NodeJS.Timeout | undefined;

  constructor(options: LocalSchedulerOptions) {
    this.clock = options.clock;
    this.fire = options.fire;
    this.onError = options.onError;
    this.onSkipped = options.onSkipped;
  }

  /** PutRule: replaces any rule the campaign had, so a rate's phase starts again from now. */
  schedule(campaign: Pick<Campaign, 'id' | 'name' | 'schedule' | 'status'>): Promise<{ ruleName: string }> {
    return settle(() => {
      const expression = ruleExpression(campaign.schedule);
      const parsed = parseScheduleExpression(expression);
      // PutRule would refuse it with a ValidationException.
      if (!parsed.ok) throw new Error(`campaign ${campaign.id}: ${parsed.error}`);
      const rule: Rule = {
        campaignId: campaign.id,
        expression,
        schedule: parsed.schedule,
        createdAtMs: this.clock(),
        // As the adapter does: re-scheduling a paused campaign must not wake it.
        enabled: campaign.status !== 'paused',
        nextFireMs: undefined,
      };
      if (rule.enabled) rule.nextFireMs = nextFireAfter(rule, rule.createdAtMs);
      this.byCampaign.set(campaign.id, rule);
      return { ruleName: RULE_NAME_PREFIX + campaign.id };
    });
  }

  pause(campaignId: string): Promise<void> {
    return settle(() => {
      const rule = this.ruleOf(campaignId);
      rule.enabled = false;
      rule.nextFireMs = undefined;
    });
  }

  /** Fire times that passed while the rule was disabled stay missed, as with EnableRule. */
  resume(campaignId: string): Promise<void> {
    return settle(() => {
      const rule = this.ruleOf(campaignId);
      if (rule.enabled) return;
      rule.enabled = true;
      rule.nextFireMs = nextFireAfter(rule, this.clock());
    });
  }

  remove(campaignId: string): Promise<void> {
    this.byCampaign.delete(campaignId);
    return Promise.resolve();
  }

  /**
   * Fires every enabled rule that is due at `nowMs`, all at once as EventBridge invokes targets, and
   * resolves when their targets have finished; a target that throws goes to `onError` alone.
   */
  async runDue(nowMs: number): Promise<CampaignFiring[]> {
    // Rules advance before any target runs, so an overlapping call cannot fire the same time twice.
    const firings = [...this.byCampaign.values()].flatMap((rule) => this.takeDue(rule, nowMs));
    await Promise.all(firings.map((firing) => this.invoke(firing)));
    return firings;
  }

  start(intervalMs = 1000): void {
    this.stop();
    this.timer = setInterval(() => {
      this.runDue(this.clock()).catch((error: unknown) => this.onError(error));
    }, intervalMs);
    // The scheduler alone must not keep the process alive.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  rules(): LocalRule[] {
    return [...this.byCampaign.values()].map((rule) => ({
      campaignId: rule.campaignId,
      ruleName: RULE_NAME_PREFIX + rule.campaignId,
      expression: rule.expression,
      enabled: rule.enabled,
      nextFireAt: rule.nextFireMs === undefined ? null : iso(rule.nextFireMs),
    }));
  }

  private takeDue(rule: Rule, nowMs: number): CampaignFiring[] {
    const dueMs = rule.nextFireMs;
    if (!rule.enabled || dueMs === undefined || dueMs > nowMs) return [];
    const { latestMs, count, nextMs } = catchUp(rule, dueMs, nowMs);
    rule.nextFireMs = nextMs;
    const firing = { campaignId: rule.campaignId, firingAt: iso(latestMs) };
    if (count > 1) this.onSkipped?.({ campaignId: rule.campaignId, count: count - 1, since: iso(dueMs), firingAt: firing.firingAt });
    return [firing];
  }

  private async invoke(firing: CampaignFiring): Promise<void> {
    try {
      await this.fire(firing);
    } catch (error) {
      this.onError(error, firing);
    }
  }

  /** EnableRule and DisableRule on a rule that does not exist fail with ResourceNotFoundException. */
  private ruleOf(campaignId: string): Rule {
    const rule = this.byCampaign.get(campaignId);
    if (rule === undefined) throw new Error(`no local rule for campaign ${campaignId}`);
    return rule;
  }
}

/** Runs `work` so that a throw becomes a rejection, as from the SDK call the port stands for. */
const settle = <T>(work: () => T): Promise<T> => new Promise<T>((resolve) => resolve(work()));

const nextFireAfter = (rule: Rule, afterMs: number): number | undefined => nextFireTimes(rule.schedule, afterMs, 1, rule.createdAtMs)[0];

/** The latest fire time from `firstMs` up to `nowMs`, how many there were, and the one after them. */
const catchUp = (rule: Rule, firstMs: number, nowMs: number): { latestMs: number; count: number; nextMs: number | undefined } => {
  let latestMs = firstMs;
  let count = 1;
  for (;;) {
    const batch = nextFireTimes(rule.schedule, latestMs, CATCH_UP_BATCH, rule.createdAtMs);
    const due = batch.filter((ms) => ms <= nowMs);
    count += due.length;
    latestMs = due.at(-1) ?? latestMs;
    if (due.length < CATCH_UP_BATCH) return { latestMs, count, nextMs: batch[due.length] };
  }
};

const iso = (ms: number): string => new Date(ms).toISOString();
