import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  constants,
  type NodeGCPerformanceDetail,
  type PerformanceEntry,
  PerformanceObserver,
} from 'node:perf_hooks';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFilesystemStorage } from '../platform/storage/filesystem.ts';
import { BODY_BYTES_PER_YOUNG_GC, collectBodyBuffersWhileReading } from './body-buffers.ts';
import { type RawAnswer, rawRequest } from './raw-request.ts';
import { receiveUpload } from './upload.ts';

const execFileAsync = promisify(execFile);
let storageRoot = '';
const server = createServer((incoming, response) => {
  if (incoming.url === '/upload') {
    receiveUpload(incoming, {
      storage: createFilesystemStorage(storageRoot),
      maxBytes: 64 * 1024 * 1024,
      keyFor: (type) => `recording.${type.ext}`,
    }).then(
      (upload) => response.end(String(upload.bytes)),
      (error: Error) => response.end(error.message),
    );
    return;
  }
  if (incoming.url === '/collect') collectBodyBuffersWhileReading(incoming);
  incoming.on('end', () => response.end('read')).resume();
});
let port = 0;
beforeAll(async () => {
  storageRoot = await mkdtemp(join(tmpdir(), 'phoenix-body-buffers-'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.close();
  await rm(storageRoot, { recursive: true, force: true });
});

/**
 * Posts `bytes` of zeros with their length declared, in 100,000-byte writes (which do not
 * divide BODY_BYTES_PER_YOUNG_GC), to `path`; resolves with the answer's text.
 */
async function post(path: string, bytes: number): Promise<string> {
  const sent = request({
    port,
    host: '127.0.0.1',
    method: 'POST',
    path,
    headers: { 'content-length': String(bytes) },
  });
  const piece = Buffer.alloc(100_000);
  for (let written = 0; written < bytes; written += piece.length) {
    const part = piece.subarray(0, Math.min(piece.length, bytes - written));
    if (!sent.write(part)) await once(sent, 'drain');
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

  it('is what the upload door does while storing to the filesystem', async () => {
    const boundary = 'phoenixtestboundary';
    const wavBytes = 3 * BODY_BYTES_PER_YOUNG_GC;
    // What file-type reads a WAV by: RIFF, then WAVE at offset 8.
    const header = Buffer.alloc(44);
    header.write('RIFF', 0);
    header.write('WAVE', 8);
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\n`,
      ),
      header,
      Buffer.alloc(wavBytes - 44),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    let answer: RawAnswer | undefined;
    const young = await youngGcsDuring(async () => {
      answer = await rawRequest(`http://127.0.0.1:${port}/upload`, {
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body,
      });
    });
    expect(answer).toMatchObject({ status: 200, body: String(wavBytes), error: null });
    expect(young).toBeGreaterThanOrEqual(3);
  });

  it('does nothing, and never stops the process, where V8 will not give its gc', async () => {
    // A body of 3 collections' worth through the hook, in a process of its own started
    // with flags under which taking `gc` must fail quietly.
    const script = `
      import { PassThrough } from 'node:stream';
      import { collectBodyBuffersWhileReading, BODY_BYTES_PER_YOUNG_GC } from ${JSON.stringify(new URL('./body-buffers.ts', import.meta.url).pathname)};
      const body = new PassThrough();
      collectBodyBuffersWhileReading(body);
      for (let i = 0; i < 3 * BODY_BYTES_PER_YOUNG_GC / 65536; i++) body.write(Buffer.alloc(65536));
      body.end(() => console.log('read'));
    `;
    for (const flag of ['--freeze-flags-after-init', '--expose-gc-as=collect']) {
      const { stdout } = await execFileAsync(process.execPath, [
        flag,
        '--input-type=module',
        '-e',
        script,
      ]);
      expect(stdout.trim(), flag).toBe('read');
    }
  });
});
