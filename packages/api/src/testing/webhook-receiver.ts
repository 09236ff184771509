import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status the receiver answered (null: it never answered). */
  status: number | null;
}

/** What the receiver answers on a path: a status, or `hang` (never answers). */
export type Reply = number | 'hang';

export interface WebhookReceiver extends AsyncDisposable {
  url: string;
  received: ReceivedWebhook[];
  /** Sets the replies of a path, consumed in order; the last one repeats. Default 200. */
  reply(path: string, ...replies: Reply[]): void;
  on(path: string): ReceivedWebhook[];
  close(): Promise<void>;
}

/** A real HTTP receiver on a free local port, recording every request it gets. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const replies = new Map<string, Reply[]>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const queue = replies.get(path) ?? [];
      const reply = (queue.length > 1 ? queue.shift() : queue[0]) ?? 200;
      const entry: ReceivedWebhook = {
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status: reply === 'hang' ? null : reply,
      };
      received.push(entry);
      if (reply === 'hang') return;
      res.writeHead(reply, { 'content-type': 'text/plain' }).end(`answered ${reply}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    reply: (path, ...list) => replies.set(path, list),
    on: (path) => received.filter((r) => r.path === path),
    close,
    [Symbol.asyncDispose]: close,
  };
}
