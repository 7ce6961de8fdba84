import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { HttpResult } from '../http/responses';
import type { HttpHandler } from './api-gateway-bridge';

export const CONSOLE_PATH = '/console';
/** Where `npm run build:console` writes the console. */
export const CONSOLE_DIST = join(__dirname, '..', '..', 'console', 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

const NOT_A_FILE = new Set(['ENOENT', 'EISDIR', 'ENOTDIR']);

/** The path as a file name, or undefined for one no file can have: a broken `%` escape, or a NUL byte. */
const decoded = (raw: string): string | undefined => {
  try {
    const name = decodeURIComponent(raw);
    return name.includes('\0') ? undefined : name;
  } catch {
    return undefined;
  }
};

const text = (statusCode: number, body: string): HttpResult => ({ statusCode, headers: { 'content-type': 'text/plain; charset=utf-8' }, body });

/**
 * Serves the built console under /console/: a file of console/dist, or its index.html for the
 * app's own routes (a path outside assets/ without a known file type), so a reload on `/console/contacts/…` works.
 * Hashed assets are cached for good; the page never, so a rebuild shows at once.
 */
export const consoleFiles = (dist = CONSOLE_DIST): HttpHandler => async (event) => {
  const path = event.rawPath;
  if (path === CONSOLE_PATH) return { statusCode: 308, headers: { location: `${CONSOLE_PATH}/` }, body: '' };
  const relative = decoded(path.slice(CONSOLE_PATH.length + 1));
  if (relative === undefined) return text(400, 'Bad Request');
  const file = normalize(join(dist, relative));
  if (file !== dist && !file.startsWith(`${dist}${sep}`)) return text(404, 'Not Found');
  // A file is a built asset or a file type the build writes; any other dot belongs to a route's
  // parameter (an occurrence key ends `.000Z`), which gets the page.
  const asset = relative.startsWith('assets/') || extname(relative) in TYPES;
  try {
    const body = await readFile(asset ? file : join(dist, 'index.html'));
    return {
      statusCode: 200,
      headers: {
        'content-type': TYPES[asset ? extname(file) : '.html'] ?? 'application/octet-stream',
        'cache-control': asset && relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      },
      body: body.toString('base64'),
      isBase64Encoded: true,
    };
  } catch (error) {
    // A directory (assets/) or a path through a file is as missing as a file that isn't there.
    if (!NOT_A_FILE.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    return asset ? text(404, 'Not Found') : text(503, 'The console is not built: run `npm run build:console`.');
  }
};
