import { Agent, request } from 'node:http';

export interface RawAnswer {
  status: number | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** A socket error seen at any point of the exchange (ECONNRESET, socket hang up). */
  error: string | null;
}

/**
 * One request over node:http, which reports socket errors that fetch hides: the answer
 * is complete only when the body ended and no error was seen.
 */
export function rawRequest(
  url: string,
  options: {
    method?: string;
    body?: Buffer | string;
    headers?: Record<string, string>;
    agent?: Agent;
  },
): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const answer: RawAnswer = { status: undefined, headers: {}, body: '', error: null };
    const req = request(url, {
      method: options.method ?? 'POST',
      headers: options.headers ?? {},
      ...(options.agent ? { agent: options.agent } : {}),
    });
    req.on('response', (res) => {
      answer.status = res.statusCode;
      answer.headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        answer.body += chunk;
      });
      res.on('end', () => resolve(answer));
      res.on('error', (error) => {
        answer.error = String(error);
        resolve(answer);
      });
    });
    req.on('error', (error) => {
      answer.error = String(error);
      resolve(answer);
    });
    req.end(options.body);
  });
}

export { Agent };
