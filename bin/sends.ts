/**
 * `npm run sends -- <preview|send|show> ...`: the admin API's send endpoints from the command line,
 * against the local stack (default) or any base URL (`--url`; in AWS, put a SigV4 proxy in front).
 *
 *   npm run sends -- preview --channel whatsapp --account 109876543210987 --user 4915112345678 --text "Hi"
 *   npm run sends -- preview ... --at 2026-05-20T09:00:00Z   # as decided then, from what is known now
 *   npm run sends -- send    --channel messenger --account 1234567890123456 --user 6543210987654321 \
 *                            --kind human_agent_reply --author human --text "Sorry for the wait" --key ticket-42
 *   npm run sends -- send    ... --template order_shipped --language de --param order_number=SK-1 --key order-1-shipped
 *   npm run sends -- show    ob_...
 */
const args = process.argv.slice(2);
const [command, ...rest] = args;
const option = (name: string): string | undefined => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest[i + 1] : undefined;
};
const options = (name: string): string[] => rest.flatMap((a, i) => (a === `--${name}` && rest[i + 1] !== undefined ? [rest[i + 1] as string] : []));
const base = option('url') ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;

const intent = () => {
  const template = option('template');
  const parameters = options('param').map((p) => {
    const [name, ...value] = p.split('=');
    return { type: 'text', name, value: value.join('=') };
  });
  return {
    channel: option('channel'),
    accountId: option('account'),
    userId: option('user'),
    kind: option('kind') ?? (template ? 'utility' : 'reply'),
    author: option('author') ?? 'bot',
    content: template
      ? { type: 'template', name: template, language: option('language') ?? 'en_US', ...(parameters.length > 0 ? { components: [{ type: 'body', parameters }] } : {}) }
      : { type: 'text', text: option('text') },
    ...(option('topic') ? { topic: option('topic') } : {}),
  };
};

const call = async (method: string, path: string, body?: unknown): Promise<void> => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  console.log(JSON.stringify(await response.json(), null, 2));
  if (!response.ok) process.exitCode = 1;
};

const main = async (): Promise<void> => {
  switch (command) {
    case 'preview': {
      // ISO-8601, from now up to 30 days ahead; the API checks it and answers with `decidedAt`.
      const at = option('at');
      return call('POST', '/admin/sends/preview', { ...intent(), ...(at === undefined ? {} : { at }) });
    }
    case 'send': {
      if (option('at') !== undefined) throw new Error('--at is for preview only: a send is decided when the sender sends it');
      const key = option('key');
      if (!key) throw new Error('--key <idempotency key> is required: the same key never sends twice');
      return call('POST', '/admin/sends', { intent: intent(), idempotencyKey: key });
    }
    case 'show':
      if (!rest[0]) throw new Error('usage: npm run sends -- show <outboxId>');
      return call('GET', `/admin/sends/${encodeURIComponent(rest[0])}`);
    default:
      console.error('usage: npm run sends -- <preview|send|show> [--channel --account --user --kind --author --text | --template --language --param k=v] [--at <iso> (preview)] [--key] [--url]');
      process.exitCode = 2;
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
