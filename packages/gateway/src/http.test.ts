import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postJson, readJson } from './http.ts';
import { ProviderError } from './provider-error.ts';

// Real local servers: what is tested is how Node's own response is read.
const servers: Server[] = [];
async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat`;
}
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const post = (url: string) =>
  postJson({ provider: 'test', url, headers: { authorization: 'Bearer k' }, body: { hi: 1 } });

describe('postJson and readJson', () => {
  it('reads a body sent in several chunks, and calls each URL at its own server', async () => {
    const first = await serve((req, res) => {
      res.write('{"answer":');
      setTimeout(() => res.end(`"first ${req.headers.authorization}"}`), 20);
    });
    const second = await serve((_req, res) => res.end('{"answer":"second"}'));
    for (const [url, answer] of [
      [first, 'first Bearer k'],
      [second, 'second'],
      [first, 'first Bearer k'],
    ] as const) {
      expect(await readJson('test', await post(url))).toEqual({ answer });
    }
  });

  it('fails a body cut before its end as a network failure, never as a short answer', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"answer":"cut');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const error = await readJson('test', await post(url)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'test', kind: 'network' });
  });
});
