import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  constants,
  type NodeGCPerformanceDetail,
  type PerformanceEntry,
  PerformanceObserver,
} from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_BYTES_PER_YOUNG_GC, collectBodyBuffersWhileReading } from './body-buffers.ts';

const server = createServer((incoming, response) => {
  if (incoming.url === '/collect') collectBodyBuffersWhileReading(incoming);
  incoming.on('end', () => response.end('read')).resume();
});
let port = 0;
beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.close();
});

/** Posts `bytes` of zeros in 64 KB writes to `path`, and resolves with the answer's text. */
async function post(path: string, bytes: number): Promise<string> {
  const sent = request({ port, host: '127.0.0.1', method: 'POST', path });
  const piece = Buffer.alloc(64 * 1024);
  for (let written = 0; written < bytes; written += piece.length) {
    if (!sent.write(piece)) await once(sent, 'drain');
  }
  sent.end();
  const [answer] = (await once(sent, 'response')) as [NodeJS.ReadableStream];
  let text = '';
  for await (const chunk of answer) text += chunk.toString();
  return text;
}

/** Young-generation GCs of this process while `work` runs. */
async function youngGcsDuring(work: () => Promise<unknown>): Promise<number> {
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  try {
    await work();
    // Entries are delivered after the collection's turn.
    await new Promise((resolve) => setImmediate(resolve));
    entries.push(...observer.takeRecords());
  } finally {
    observer.disconnect();
  }
  return entries.filter(
    (entry) =>
      (entry as PerformanceEntry & { detail: NodeGCPerformanceDetail }).detail.kind ===
      constants.NODE_PERFORMANCE_GC_MINOR,
  ).length;
}

describe('collectBodyBuffersWhileReading', () => {
  it('runs a young GC for every BODY_BYTES_PER_YOUNG_GC of body read, across requests', async () => {
    const collections = 6;
    const bytes = collections * BODY_BYTES_PER_YOUNG_GC;
    const young = await youngGcsDuring(async () => {
      // Two requests: the count is the process's, so halves add up.
      expect(await post('/collect', bytes / 2)).toBe('read');
      expect(await post('/collect', bytes / 2)).toBe('read');
    });
    expect(young).toBeGreaterThanOrEqual(collections);
  });

  it('leaves a body it is not given to V8 alone (the comparison the test above needs)', async () => {
    const young = await youngGcsDuring(() => post('/plain', 6 * BODY_BYTES_PER_YOUNG_GC));
    // A body read allocates little on V8's heap: far fewer young GCs than collections above.
    expect(young).toBeLessThan(3);
  });
});
