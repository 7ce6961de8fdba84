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
