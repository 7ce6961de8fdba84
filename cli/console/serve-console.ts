import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpResult } from '../../lambdas/http/responses';
import { apiGatewayListener, type HttpHandler, type Route } from '../../lambdas/local/api-gateway-bridge';
import { CONSOLE_PATH, consoleFiles } from '../../lambdas/local/console-files';

export interface ConsoleServer {
  /** `http://127.0.0.1:<port>/console/` */
  url: string;
  port: number;
  close(): Promise<void>;
}

const refuse = (error: string): HttpResult => ({ statusCode: 403, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error }) });

/**
 * Only the console this server serves may spend the operator's credentials: another site open in
 * the same browser (a cross-site request, or a DNS name rebound to 127.0.0.1) is refused before
 * anything is signed.
 */
const sameOriginOnly =
  (hosts: () => readonly string[], forward: HttpHandler): HttpHandler =>
  async (event) => {
    const host = event.headers.host ?? '';
    if (!hosts().includes(host)) return refuse(`not served here: open the console at http://${hosts()[0]}${CONSOLE_PATH}/`);
    const origin = event.headers.origin;
    const site = event.headers['sec-fetch-site'];
    if ((origin !== undefined && origin !== `http://${host}`) || (site !== undefined && site !== 'same-origin' && site !== 'none')) {
      return refuse('cross-site request refused: only the console served here may call the admin API');
    }
    return forward(event);
  };

/**
 * The built console on 127.0.0.1, beside `admin` for its /admin/ calls (`port` 0: any free one).
 * Nothing listens beyond this machine.
 */
export const serveConsole = async (options: { port: number; admin: HttpHandler; dist?: string; onError: (error: unknown) => void }): Promise<ConsoleServer> => {
  let port = options.port;
  const hosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const routes: Route[] = [
    { routeKey: 'GET /', matches: (m, p) => m === 'GET' && p === '/', handler: () => Promise.resolve({ statusCode: 302, headers: { location: `${CONSOLE_PATH}/` }, body: '' }) },
    { routeKey: 'GET /console/{proxy+}', matches: (m, p) => m === 'GET' && (p === CONSOLE_PATH || p.startsWith(`${CONSOLE_PATH}/`)), handler: consoleFiles(options.dist) },
    { routeKey: 'ANY /admin/{proxy+}', matches: (_m, p) => p === '/admin' || p.startsWith('/admin/'), handler: sameOriginOnly(hosts, options.admin) },
  ];
  const server = createServer(apiGatewayListener(routes, Date.now, options.onError));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${CONSOLE_PATH}/`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
