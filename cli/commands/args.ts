import { Argument, InvalidArgumentError, Option } from 'commander';

const CHANNELS = ['messenger', 'instagram', 'whatsapp'] as const;

export const channelArgument = (channels: readonly string[] = CHANNELS): Argument => new Argument('<channel>', channels.join(', ')).choices(channels);

export const channelOption = (): Option => new Option('--channel <channel>', 'the channel').choices(CHANNELS).makeOptionMandatory();

/** How long `--follow` watches before it stops (the work goes on). */
export const timeoutOption = (): Option =>
  new Option('--timeout <seconds>', 'with --follow: stop watching after this long').default(300).argParser((value) => {
    const seconds = Number(value);
    if (!Number.isInteger(seconds) || seconds < 1) throw new InvalidArgumentError('expected a whole number of seconds ≥ 1.');
    return seconds;
  });

/** `--from` and `--to` of a report over UTC days, or over the account's local days (`.option(...FROM_UTC)`). */
export const FROM_UTC = ['--from <YYYY-MM-DD>', 'the first UTC day (default: six days before --to)'] as const;
export const TO_UTC = ['--to <YYYY-MM-DD>', 'the last UTC day (default: today)'] as const;
export const FROM_LOCAL = ['--from <YYYY-MM-DD>', 'the first local day (default: six days before --to)'] as const;
export const TO_LOCAL = ['--to <YYYY-MM-DD>', "the last local day (default: today in the account's time zone)"] as const;
