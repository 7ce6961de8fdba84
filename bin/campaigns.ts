/**
 * `npm run campaigns -- <command>`: campaigns through the admin API, against the local stack (default)
 * or any base URL (`--url`; in AWS, put a SigV4 proxy in front).
 *
 *   npm run campaigns -- apply events/campaigns/*.json   create drafts / update definitions; a file whose
 *                                                       status is "scheduled" is scheduled once created
 *   npm run campaigns -- list
 *   npm run campaigns -- show <id>                       definition and its latest occurrences
 *   npm run campaigns -- preview <id>                    audience, eligible per route, skips, cost
 *   npm run campaigns -- schedule|pause|resume|delete <id>
 *   npm run campaigns -- occurrence <id> <occurrenceKey> progress, counts and delivery funnel
 *   npm run campaigns -- put-event events/eventbridge/order-shipped.json   a business event on the local bus
 */
import { readFileSync } from 'node:fs';
import { entryFromEvent } from '../lambdas/local/local-event-bus';

const [command, ...args] = process.argv.slice(2);
const urlAt = args.indexOf('--url');
const base = urlAt >= 0 ? String(args[urlAt + 1]) : `http://127.0.0.1:${process.env.PORT ?? 3000}`;
const positional = urlAt < 0 ? args : args.filter((_a, i) => i !== urlAt && i !== urlAt + 1);

const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const print = (result: { status: number; body: unknown }): void => {
  console.log(JSON.stringify(result.body, null, 2));
  if (result.status >= 400) process.exitCode = 1;
};

const id = (): string => {
  const [campaignId] = positional;
  if (!campaignId) throw new Error(`usage: npm run campaigns -- ${command} <campaignId>`);
  return encodeURIComponent(campaignId);
};

/** Brings each file's campaign to its definition: drafts are created, existing ones updated in place. */
const apply = async (files: string[]): Promise<void> => {
  if (files.length === 0) throw new Error('usage: npm run campaigns -- apply <campaign.json> [...]');
  for (const file of files) {
    const campaign = JSON.parse(readFileSync(file, 'utf8')) as { id?: string; status?: string };
    const path = `/admin/campaigns/${encodeURIComponent(String(campaign.id))}`;
    const existing = await call('GET', path);
    // The file's status is the wish; the stored status changes only through schedule/pause/resume.
    const status = existing.status === 200 ? String(existing.body.status) : 'draft';
    const put = await call('PUT', path, { ...campaign, status });
    if (put.status >= 400) {
      console.error(`${file}: ${JSON.stringify(put.body)}`);
      process.exitCode = 1;
      continue;
    }
    console.log(`${file}: ${put.status === 201 ? 'created' : 'updated'} ${campaign.id} (${status})`);
    if (campaign.status === 'scheduled' && status === 'draft') {
      const scheduled = await call('POST', `${path}/schedule`);
      if (scheduled.status >= 400) {
        console.error(`${file}: not scheduled: ${JSON.stringify(scheduled.body)}`);
        process.exitCode = 1;
      } else console.log(`${file}: scheduled as ${String(scheduled.body.ruleName)}`);
    }
  }
};

const main = async (): Promise<void> => {
  switch (command) {
    case 'apply':
      return apply(positional);
    case 'list':
      return print(await call('GET', '/admin/campaigns'));
    case 'show':
      return print(await call('GET', `/admin/campaigns/${id()}`));
    case 'preview':
    case 'schedule':
    case 'pause':
    case 'resume':
      return print(await call('POST', `/admin/campaigns/${id()}/${command}`));
    case 'delete':
      return print(await call('DELETE', `/admin/campaigns/${id()}`));
    case 'occurrence': {
      const key = positional[1];
      if (!key) throw new Error('usage: npm run campaigns -- occurrence <campaignId> <occurrenceKey>');
      return print(await call('GET', `/admin/campaigns/${id()}/occurrences/${encodeURIComponent(key)}`));
    }
    case 'put-event': {
      if (positional.length === 0) throw new Error('usage: npm run campaigns -- put-event <event.json> [...]');
      const Entries = positional.map((file) => entryFromEvent(JSON.parse(readFileSync(file, 'utf8'))));
      return print(await call('POST', '/local/events', { Entries }));
    }
    default:
      console.error('usage: npm run campaigns -- <apply|list|show|preview|schedule|pause|resume|delete|occurrence|put-event> ... [--url <base>]');
      process.exitCode = 2;
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
