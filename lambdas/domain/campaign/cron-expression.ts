import { DAY_OF_MONTH, DAY_OF_WEEK, HOURS, MINUTES, MONTH, YEAR, parseFieldValue, parseFieldValues } from './cron-field';
import { fail, ok, type CronSchedule, type DayRule, type Parsed } from './schedule';

/**
 * The six fields of an EventBridge cron expression, as the "Cron expressions" table of
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html defines them.
 */
export const parseCronFields = (expression: string, body: string): Parsed<CronSchedule> => {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    return fail(`cron: expected 6 fields (Minutes Hours Day-of-month Month Day-of-week Year), got ${fields.length}`);
  }
  const [minuteText = '', hourText = '', dayOfMonthText = '', monthText = '', dayOfWeekText = '', yearText = ''] = fields;
  const minutes = parseFieldValues(MINUTES, minuteText);
  if (!minutes.ok) return minutes;
  const hours = parseFieldValues(HOURS, hourText);
  if (!hours.ok) return hours;
  const days = parseDays(dayOfMonthText, dayOfWeekText);
  if (!days.ok) return days;
  const months = parseFieldValues(MONTH, monthText);
  if (!months.ok) return months;
  const years = parseFieldValues(YEAR, yearText);
  if (!years.ok) return years;
  return ok({
    kind: 'cron',
    expression,
    minutes: minutes.value,
    hours: hours.value,
    days: days.value,
    months: months.value,
    years: years.value,
  });
};

/** "You can't specify the Day-of-month and Day-of-week fields in the same cron expression" (AWS, Limitations). */
const parseDays = (dayOfMonth: string, dayOfWeek: string): Parsed<DayRule> => {
  if (dayOfMonth === '?' && dayOfWeek === '?') {
    return fail('cron: Day-of-month and Day-of-week are both "?": one of them must say which days run');
  }
  if (dayOfMonth !== '?' && dayOfWeek !== '?') {
    return fail('cron: Day-of-month and Day-of-week are both set: one of them must be "?", as in cron(0 10 * * ? *)');
  }
  return dayOfWeek === '?' ? parseDayOfMonth(dayOfMonth) : parseDayOfWeek(dayOfWeek);
};

// L and W stand alone, as in Quartz, whose syntax EventBridge's is: a list like "1,L" has no documented meaning.
const parseDayOfMonth = (text: string): Parsed<DayRule> => {
  if (text === 'L') return ok({ kind: 'lastDayOfMonth' });
  const nearest = /^([0-9]+)W$/.exec(text);
  if (nearest !== null) {
    const day = parseFieldValue(DAY_OF_MONTH, nearest[1] ?? '');
    return day.ok ? ok({ kind: 'nearestWeekday', day: day.value }) : day;
  }
  if (/[LW]/.test(text)) {
    return fail(`cron Day-of-month: "${text}" misuses L or W, which stand alone: L (last day) or a day with W (15W)`);
  }
  const days = parseFieldValues(DAY_OF_MONTH, text);
  return days.ok ? ok({ kind: 'daysOfMonth', days: days.value }) : days;
};

const parseDayOfWeek = (text: string): Parsed<DayRule> => {
  // "L" alone is the last day of the week: Saturday.
  if (text === 'L') return ok({ kind: 'weekdays', weekdays: [DAY_OF_WEEK.max] });
  const last = /^([A-Z0-9]+)L$/.exec(text);
  if (last !== null) {
    const weekday = parseFieldValue(DAY_OF_WEEK, last[1] ?? '');
    return weekday.ok ? ok({ kind: 'lastWeekday', weekday: weekday.value }) : weekday;
  }
  const nth = /^([A-Z0-9]+)#([0-9]+)$/.exec(text);
  if (nth !== null) return parseNthWeekday(nth[1] ?? '', Number(nth[2]));
  // AWS: "3#1,6#3" is invalid, "#" allows one expression only.
  if (text.includes('#')) return fail(`cron Day-of-week: "${text}" has a "#" in a list: "#" takes one expression, like 3#2`);
  if (text.includes('L')) return fail(`cron Day-of-week: "${text}" misuses L, which stands alone: L (Saturday) or a weekday with L (5L)`);
  const weekdays = parseFieldValues(DAY_OF_WEEK, text);
  return weekdays.ok ? ok({ kind: 'weekdays', weekdays: weekdays.value }) : weekdays;
};

const parseNthWeekday = (weekdayText: string, nth: number): Parsed<DayRule> => {
  const weekday = parseFieldValue(DAY_OF_WEEK, weekdayText);
  if (!weekday.ok) return weekday;
  // A month holds a weekday four or five times.
  if (nth < 1 || nth > 5) return fail(`cron Day-of-week: ${weekdayText}#${nth} asks for occurrence ${nth}, but a month has 1 to 5`);
  return ok({ kind: 'nthWeekday', weekday: weekday.value, nth });
};
