/**
 * `npm run templates -- <sync|list> <channel> <accountId>`: template sync and the stored templates
 * through the admin API, against the local stack (default) or any base URL (`--url`; in AWS, put a
 * SigV4 proxy in front).
 *
 *   npm run templates -- sync whatsapp 102290129340398     # a WABA (or one of its registered numbers)
 *   npm run templates -- sync messenger 1234567890123456   # a Page's utility templates
 *   npm run templates -- list whatsapp 102290129340398
 */
const args = process.argv.slice(2);
const urlAt = args.indexOf('--url');
const base = urlAt >= 0 ? args[urlAt + 1] : `http://127.0.0.1:${process.env.PORT ?? 3000}`;
const [command, channel, accountId] = urlAt >= 0 ? args.filter((_, i) => i !== urlAt && i !== urlAt + 1) : args;

const call = async (method: string, path: string): Promise<void> => {
  const response = await fetch(`${base}${path}`, { method });
  console.log(JSON.stringify(await response.json(), null, 2));
  if (!response.ok) process.exitCode = 1;
};

const main = async (): Promise<void> => {
  if ((command !== 'sync' && command !== 'list') || !channel || !accountId) {
    console.error('usage: npm run templates -- <sync|list> <whatsapp|messenger> <wabaId|pageId> [--url <admin base URL>]');
    process.exitCode = 2;
    return;
  }
  const path = `/admin/templates/${encodeURIComponent(channel)}/${encodeURIComponent(accountId)}`;
  return command === 'sync' ? call('POST', `${path}/sync`) : call('GET', path);
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
