/** The admin API as a script uses it: a refusal stops the script with the API's own explanation. */
export type AdminCall = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => Promise<T>;

export const adminClient =
  (baseUrl: string): AdminCall =>
  async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 400) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  };
