import { type Command, Option } from 'commander';
import type { Route } from '../../lambdas/admin/contract';
import { resolveTarget } from '../client/target';
import type { CliContext } from '../context';
import { ApiError, CliError, EXIT, unlessNotFound } from '../errors';
import { follow } from '../output/follow';
import type { Column } from '../output/output';
import { examples, type GlobalOptions, nextCommand, positiveInt, readJson, type Session, sessionOf } from '../session';
import { timeoutOption } from './args';
import { RECIPIENT_STATES } from '../../lambdas/domain/campaign/recipient-state';
import { registerPutEvent } from './put-event';

type CampaignBody = Route<'PUT /admin/campaigns/{campaignId}'>['body'];
type CampaignAnswer = Route<'GET /admin/campaigns'>['response']['campaigns'][number];
type OccurrenceView = Route<'GET /admin/campaigns/{campaignId}'>['response']['occurrences'][number];
type OccurrenceAnswer = Route<'GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}'>['response'];
type RecipientsQuery = Route<'GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/recipients'>['query'];
type Recipient = Route<'GET /admin/campaigns/{campaignId}/occurrences/{occurrenceKey}/recipients'>['response']['recipients'][number];

const CAMPAIGN_ID = 'the campaign’s id, as `campaigns list` shows it';

const scheduleText = (schedule: CampaignAnswer['schedule']): string => {
  if (schedule.kind === 'once') return `once at ${schedule.at}`;
  if (schedule.kind === 'recurring') return schedule.expression;
  return `${schedule.at} local${schedule.days === undefined ? '' : ` ${schedule.days.join(',')}`}`;
};

const CAMPAIGN_COLUMNS: Column<CampaignAnswer>[] = [
  { header: 'id', value: (c) => c.id },
  { header: 'name', value: (c) => c.name },
  { header: 'status', value: (c) => c.status },
  { header: 'kind', value: (c) => c.kind },
  { header: 'schedule', value: (c) => scheduleText(c.schedule) },
  { header: 'accounts', value: (c) => c.accounts.map((a) => `${a.channel} ${a.accountId}`) },
  { header: 'updatedAt', value: (c) => c.updatedAt },
];

const OCCURRENCE_COLUMNS: Column<OccurrenceView>[] = [
  { header: 'occurrenceKey', value: (o) => o.occurrenceKey },
  { header: 'status', value: (o) => (o.stopReason === null ? o.status : `${o.status} (${o.stopReason})`) },
  { header: 'audience', value: (o) => o.counts.audience },
  { header: 'enqueued', value: (o) => o.counts.enqueued },
  { header: 'skipped', value: (o) => Object.entries(o.counts.skipped).map(([reason, n]) => `${reason} ${n}`) },
  { header: 'finishedAt', value: (o) => o.finishedAt },
];

const RECIPIENT_COLUMNS: Column<Recipient>[] = [
  { header: 'contact', value: (r) => `${r.channel} ${r.accountId} ${r.userId}` },
  { header: 'status', value: (r) => r.status },
  { header: 'states', value: (r) => r.states },
  { header: 'reached', value: (r) => r.reached },
  { header: 'why', value: (r) => (r.failure ? `${r.failure.code ?? ''} ${r.failure.title ?? ''}`.trim() : (r.detail ?? r.reason)) },
  { header: 'sentAt', value: (r) => r.sentAt },
];

/** The campaign's fields a person looks for first; the whole definition is in `show` and `--json`. */
const summary = (c: CampaignAnswer) => ({ id: c.id, status: c.status, ruleName: c.ruleName, schedule: scheduleText(c.schedule), version: c.version, updatedAt: c.updatedAt });

interface ApplyResult {
  file: string;
  id: string | null;
  result: 'created' | 'updated' | 'refused';
  status: string | null;
  note: string | null;
}

/** Brings each file's campaign to its definition: drafts are created, existing ones replaced in place. */
const apply = async ({ ctx, client, out }: Session, files: string[]): Promise<void> => {
  const results: ApplyResult[] = [];
  for (const file of files) {
    const campaign = readJson(ctx, file) as CampaignBody;
    const id = typeof campaign.id === 'string' ? campaign.id : null;
    const refused = (error: unknown): ApplyResult => {
      if (!(error instanceof ApiError)) throw error;
      return { file, id, result: 'refused', status: null, note: [error.message, ...error.lines].join('; ') };
    };
    try {
      // The file's status is a wish: the stored status changes only through schedule, pause and resume.
      const stored = id === null ? undefined : await unlessNotFound(client.getCampaign(id));
      const status = stored?.status ?? 'draft';
      const put = await client.putCampaign({ ...campaign, status });
      let note: string | null = null;
      let now = put.campaign.status as string;
      if (campaign.status === 'scheduled' && status === 'draft') {
        try {
          const scheduled = await client.scheduleCampaign(put.campaign.id);
          now = scheduled.status;
          note = `scheduled as ${scheduled.ruleName ?? '(no rule)'}`;
        } catch (error) {
          note = `not scheduled: ${refused(error).note}`;
        }
      }
      results.push({ file, id, result: put.created ? 'created' : 'updated', status: now, note });
    } catch (error) {
      results.push(refused(error));
    }
  }
  out.result(results, () =>
    out.table(results, [
      { header: 'file', value: (r) => r.file },
      { header: 'campaign', value: (r) => r.id },
      { header: 'result', value: (r) => r.result },
      { header: 'status', value: (r) => r.status },
      { header: 'note', value: (r) => r.note },
    ]),
  );
  const failed = results.filter((r) => r.result === 'refused' || r.note?.startsWith('not scheduled'));
  if (failed.length > 0) throw new CliError(`${failed.length} of ${results.length} not applied as asked`, EXIT.refused, failed.map((r) => `${r.file}: ${r.note}`));
};

/** An occurrence is watched until its dispatch is over and no job is still on its way; a paused one until it paused. */
const occurrenceSettled = (o: OccurrenceAnswer): boolean => o.status === 'paused' || (o.status !== 'running' && o.funnel.pending === 0 && o.funnel.complete);

const occurrenceProgress = (o: OccurrenceAnswer) => {
  const f = o.funnel;
  const skipped = Object.values(f.skippedAtSend).reduce((a, b) => a + b, 0);
  return { done: f.jobs - f.pending, total: Math.max(f.jobs, 1), label: `${o.status}: sent ${f.sent}, delivered ${f.delivered}, failed ${f.failed}, skipped ${skipped}` };
};

const latestOccurrenceKey = async ({ client, ctx }: Session, cmd: Command, campaignId: string): Promise<string> => {
  const campaign = await client.getCampaign(campaignId);
  const latest = campaign.occurrences[0];
  if (latest === undefined) throw new CliError(`${campaignId} has not fired yet`, EXIT.refused, notFiredHints(ctx, cmd, campaignId));
  return latest.occurrenceKey;
};

/** Commands for the stack this one asked: the local stack's rules and firing, or a deployed campaign's schedule. */
const notFiredHints = (ctx: CliContext, cmd: Command, campaignId: string): string[] =>
  resolveTarget(cmd.optsWithGlobals<GlobalOptions>().url, ctx.env).loopback
    ? [`its rule: ${nextCommand(cmd, ['campaigns', 'rules'])}`, `fire it now: ${nextCommand(cmd, ['campaigns', 'fire', campaignId])}`]
    : [`it fires at its schedule: ${nextCommand(cmd, ['campaigns', 'show', campaignId])}`];

export const registerCampaigns = (program: Command, ctx: CliContext): void => {
  const campaigns = program.command('campaigns').description('campaigns through the admin API, and business events on the local bus');
  examples(campaigns, ['npx afterchat campaigns apply events/campaigns/*.json', 'npx afterchat campaigns occurrence weekly-deals --follow']);

  const applyCommand = campaigns
    .command('apply')
    .description('create drafts and replace definitions from files; a file that says "scheduled" is scheduled while still a draft')
    .argument('<files...>', 'campaign files, as in events/campaigns/')
    .action((files: string[], _options: unknown, cmd: Command) => apply(sessionOf(ctx, cmd), files));
  examples(applyCommand, ['npx afterchat campaigns apply events/campaigns/*.json', 'npx afterchat campaigns apply my-campaign.json --url https://abc123.execute-api.eu-west-1.amazonaws.com']);

  const list = campaigns
    .command('list')
    .description('every campaign with its status and schedule')
    .action(async (_options: unknown, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.listCampaigns();
      out.result(answer, () => out.table(answer.campaigns, CAMPAIGN_COLUMNS, 'no campaigns yet: npx afterchat campaigns apply events/campaigns/*.json'));
    });
  examples(list, ['npx afterchat campaigns list', 'npx afterchat campaigns list --json | jq -r ".campaigns[].id"']);

  const show = campaigns
    .command('show')
    .description('a campaign: its definition and its 10 latest occurrences')
    .argument('<campaignId>', CAMPAIGN_ID)
    .action(async (id: string, _options: unknown, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.getCampaign(id);
      out.result(answer, () => {
        const { occurrences, ...campaign } = answer;
        out.record(campaign);
        out.line('occurrences (newest first):');
        out.table(occurrences, OCCURRENCE_COLUMNS, '(none yet)');
      });
    });
  examples(show, ['npx afterchat campaigns show weekly-deals']);

  const preview = campaigns
    .command('preview')
    .description('what its next firing would do: audience, eligible per route, skips, cost; nothing is written')
    .argument('<campaignId>', CAMPAIGN_ID)
    .action(async (id: string, _options: unknown, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.previewCampaign(id);
      out.result(answer, () => {
        const { estimate, ...counts } = answer;
        out.record({ ...counts, cost: estimate.totalsByCurrency, unpriced: estimate.unpriced, priceTableAsOf: estimate.asOf });
      });
    });
  examples(preview, ['npx afterchat campaigns preview weekly-deals']);

  const transitions = [
    ['schedule', 'schedule a draft: its rule is created and fires at the schedule', (s: Session, id: string) => s.client.scheduleCampaign(id)],
    ['pause', 'pause: the rule stops firing, a running occurrence stops after its page', (s: Session, id: string) => s.client.pauseCampaign(id)],
    ['resume', 'resume a paused campaign and its paused occurrences', (s: Session, id: string) => s.client.resumeCampaign(id)],
  ] as const;
  for (const [name, description, run] of transitions) {
    const command = campaigns
      .command(name)
      .description(description)
      .argument('<campaignId>', CAMPAIGN_ID)
      .action(async (id: string, _options: unknown, cmd: Command) => {
        const session = sessionOf(ctx, cmd);
        const answer = await run(session, id);
        session.out.result(answer, () => session.out.record(summary(answer)));
      });
    examples(command, [`npx afterchat campaigns ${name} weekly-deals`]);
  }

  const remove = campaigns
    .command('delete')
    .description('delete a campaign and its rule (its occurrences stay readable until they expire)')
    .argument('<campaignId>', CAMPAIGN_ID)
    .action(async (id: string, _options: unknown, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.deleteCampaign(id);
      out.result(answer, () => out.line(`deleted ${answer.deleted}`));
    });
  examples(remove, ['npx afterchat campaigns delete weekly-deals']);

  const occurrence = campaigns
    .command('occurrence')
    .description('one firing: its progress, counts and delivery funnel (the latest one unless a key is given)')
    .argument('<campaignId>', CAMPAIGN_ID)
    .argument('[occurrenceKey]', 'the firing, e.g. 2026-11-23T08:00:00.000Z, as `campaigns show` lists them (default: the latest)')
    .option('--follow', 'watch until its dispatch is over and every job has left the queue')
    .addOption(timeoutOption())
    .action(async (id: string, key: string | undefined, options: { follow?: boolean; timeout: number }, cmd: Command) => {
      const session = sessionOf(ctx, cmd);
      const occurrenceKey = key ?? (await latestOccurrenceKey(session, cmd, id));
      const read = () => session.client.getOccurrence(id, occurrenceKey);
      const answer =
        options.follow === true
          ? await follow(ctx, { poll: read, progress: occurrenceProgress, finished: occurrenceSettled, timeoutMs: options.timeout * 1000, what: `${id} ${occurrenceKey}` })
          : await read();
      session.out.result(answer, () => session.out.record(answer));
    });
  examples(occurrence, ['npx afterchat campaigns occurrence weekly-deals --follow', 'npx afterchat campaigns occurrence weekly-deals 2026-11-23T08:00:00.000Z']);

  const recipients = campaigns
    .command('recipients')
    .description('one page of a firing’s recipients: status, funnel state, milestones reached, and why a send was skipped or failed')
    .argument('<campaignId>', CAMPAIGN_ID)
    .argument('<occurrenceKey>', 'the firing, e.g. 2026-11-23T08:00:00.000Z, as `campaigns show` lists them')
    .addOption(new Option('--state <state>', 'only the recipients in this funnel state').choices(RECIPIENT_STATES))
    .option('--limit <n>', 'recipients per page (1–100)', positiveInt, 50)
    .option('--cursor <cursor>', 'the next page, as the previous one printed it')
    .action(async (id: string, key: string, options: { state?: RecipientsQuery['state']; limit: number; cursor?: string }, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.listOccurrenceRecipients(id, key, { state: options.state, limit: String(options.limit), cursor: options.cursor });
      out.result(answer, () => {
        out.table(answer.recipients, RECIPIENT_COLUMNS, options.state === undefined ? 'no sends in this firing' : `no recipients ${options.state} on this page`);
        if (answer.cursor !== undefined) {
          const next = { ...(options.state === undefined ? {} : { '--state': options.state }), '--limit': options.limit, '--cursor': answer.cursor };
          out.note(`more: ${nextCommand(cmd, ['campaigns', 'recipients', id, key], next)}`);
        }
      });
    });
  examples(recipients, ['npx afterchat campaigns recipients weekly-deals 2026-11-23T08:00:00.000Z --state limited_by_meta']);

  const rules = campaigns
    .command('rules')
    .description("local stack only: the scheduler's rules and when each fires next")
    .action(async (_options: unknown, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.localRules();
      out.result(answer, () =>
        out.table(answer.rules, [
          { header: 'campaign', value: (r) => r.campaignId },
          { header: 'expression', value: (r) => r.expression },
          { header: 'enabled', value: (r) => r.enabled },
          { header: 'nextFireAt', value: (r) => r.nextFireAt },
        ], 'no rules: only scheduled, running and paused campaigns have one'),
      );
    });
  examples(rules, ['npx afterchat campaigns rules']);

  const fire = campaigns
    .command('fire')
    .description("local stack only: the campaign's rule fires now, as at a fire time; its schedule stays as it was")
    .argument('<campaignId>', CAMPAIGN_ID)
    .action(async (id: string, _options: unknown, cmd: Command) => {
      const { client, out } = sessionOf(ctx, cmd);
      const answer = await client.fireRule(id);
      out.result(answer, () => {
        out.line(`fired ${answer.campaignId} at ${answer.firingAt}: occurrence ${answer.occurrenceKey} (${answer.outcome ?? 'no outcome'})`);
        out.note(`follow it: ${nextCommand(cmd, ['campaigns', 'occurrence', answer.campaignId, '--follow'])}`);
      });
    });
  examples(fire, ['npx afterchat campaigns fire weekly-deals']);

  registerPutEvent(campaigns, ctx);
};
