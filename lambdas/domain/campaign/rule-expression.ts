import type { CampaignSchedule } from '../../schemas/campaign';
import { LOCAL_TIME_FIRING_EXPRESSION } from './local-time';

/**
 * The EventBridge rule schedule expression a campaign's schedule becomes. Shared by the EventBridge
 * adapter and the local scheduler, so the local stack fires on exactly what AWS would.
 */
export const ruleExpression = (schedule: CampaignSchedule): string => {
  switch (schedule.kind) {
    case 'once': {
      // The year field makes the rule fire only once; the schema guarantees a whole minute.
      const at = new Date(schedule.at);
      return `cron(${at.getUTCMinutes()} ${at.getUTCHours()} ${at.getUTCDate()} ${at.getUTCMonth() + 1} ? ${at.getUTCFullYear()})`;
    }
    case 'recurring':
      return schedule.expression;
    case 'local_time':
      // Contacts live in many zones, so the rule fires on a fixed UTC grid and the dispatcher's
      // local-time matching picks the contacts who are due in each firing. The grid comes from that
      // matching code, so half-hour and 45-minute zones (India, Nepal, Chatham) line up with it.
      return LOCAL_TIME_FIRING_EXPRESSION;
  }
};
