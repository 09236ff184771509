import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PhoenixUploadError, type UploadProgress, uploadChampion } from '@phoenix/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { heldUpload } from '../testing/held-upload.ts';
import { signUp, startTestServer, type TestServer } from '../testing/index.ts';
import { synthesizeMedia } from '../testing/media.ts';
import { TEST_UPLOAD_PATH, testUploadRoutes } from '../testing/upload-route.ts';

interface Stored {
  key: string;
  bytes: number;
  fileName: string | null;
  fields: Record<string, string>;
  type: { ext: string };
  userId: string;
}

let server: TestServer;
let user: Awaited<ReturnType<typeof signUp>>;
let dir: string;
let mp4: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'phoenix-sdk-upload-'));
  // One upload in flight and one an hour on the real door, for its 503 and its 429.
  server = await startTestServer({
    env: { CHAMPION_UPLOADS_IN_FLIGHT: '1', CHAMPION_UPLOADS_PER_HOUR: '1' },
    routes: [testUploadRoutes],
  });
  user = await signUp(server, { label: 'sdk-uploader' });
  mp4 = join(dir, 'call.mp4');
  await synthesizeMedia({ path: mp4, kind: 'mp4', seconds: 3, video: true });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

/**
 * Just enough of a browser's XMLHttpRequest, over fetch, to take the SDK's browser path in
 * Node (no upload progress).
 */
class FetchXhr {
  withCredentials = false;
  upload = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  responseText = '';
  private method = 'GET';
  private url = '';
  private readonly headers: Record<string, string> = {};
  private response: Response | null = null;

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }
  getResponseHeader(name: string): string | null {
    return this.response?.headers.get(name) ?? null;
  }
  abort(): void {}
  send(body: Blob): void {
    fetch(this.url, { method: this.method, headers: this.headers, body }).then(
      async (response) => {
        this.response = response;
        this.status = response.status;
        this.responseText = await response.text();
        this.onload?.();
      },
      () => this.onerror?.(),
    );
  }
}

/** The real door's in-flight gauge, as /metrics shows it. */
async function inFlight(): Promise<number> {
  const { values } = await server.deps.metrics.uploadsInFlight.get();
  return values.find((v) => v.labels.route === '/champions/upload')?.value ?? 0;
}

describe('SDK uploadChampion', () => {
  it('streams a file from a path with the client credentials and reports progress', async () => {
    const progress: UploadProgress[] = [];
    const size = (await stat(mp4)).size;
    const stored = await uploadChampion<Stored>(user.client, mp4, {
      path: TEST_UPLOAD_PATH,
      name: 'Best closer',
      onProgress: (p) => progress.push(p),
    });
    expect(stored).toMatchObject({
      bytes: size,
      fileName: 'call.mp4',
      fields: { name: 'Best closer' },
      type: { ext: 'mp4' },
      userId: user.id,
    });
    expect(progress.at(-1)).toEqual({ loaded: size, total: size });
    const loaded = progress.map((p) => p.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
  });

  it('takes a Blob and a Node stream (size unknown), with options instead of a client', async () => {
    const bytes = await readFile(mp4);
    const options = { url: server.url, token: user.token };
    const fromBlob = await uploadChampion<Stored>(options, new Blob([new Uint8Array(bytes)]), {
      path: TEST_UPLOAD_PATH,
      fileName: 'blob.mp4',
    });
    expect(fromBlob).toMatchObject({ bytes: bytes.length, fileName: 'blob.mp4' });
    const totals: (number | null)[] = [];
    const fromStream = await uploadChampion<Stored>(user.client, createReadStream(mp4), {
      path: TEST_UPLOAD_PATH,
      onProgress: (p) => totals.push(p.total),
    });
    expect(fromStream.bytes).toBe(bytes.length);
    expect(new Set(totals)).toEqual(new Set([null]));
  });

  it('throws the hub refusal as PhoenixUploadError with its code and reason', async () => {
    const error = await uploadChampion(user.client, new Blob(['not audio at all '.repeat(500)]), {
      path: TEST_UPLOAD_PATH,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhoenixUploadError);
    expect(error).toMatchObject({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      reason: 'UNSUPPORTED_MEDIA_TYPE',
      retryAfterSeconds: null,
    });
    const anonymous = await uploadChampion({ url: server.url }, mp4, {
      path: TEST_UPLOAD_PATH,
    }).catch((e: unknown) => e);
    expect(anonymous).toMatchObject({ status: 401, reason: 'UNAUTHENTICATED' });
  });

  it("carries the hub's Retry-After on a refusal, through fetch and through XHR", async () => {
    const bytes = await readFile(mp4);
    // The real door's one slot is taken by an upload that stops half-way for now.
    const held = heldUpload({
      url: `${server.url}/champions/upload`,
      token: user.token,
      file: bytes,
    });
    held.start();
    await vi.waitFor(async () => expect(await inFlight()).toBe(1), { timeout: 10_000 });

    const busy = await uploadChampion(user.client, mp4).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(PhoenixUploadError);
    expect(busy).toMatchObject({ status: 503, reason: 'TOO_MANY_UPLOADS', retryAfterSeconds: 5 });
    vi.stubGlobal('XMLHttpRequest', FetchXhr);
    const busyXhr = await uploadChampion(user.client, new Blob([new Uint8Array(bytes)])).catch(
      (e: unknown) => e,
    );
    vi.unstubAllGlobals();
    expect(busyXhr).toBeInstanceOf(PhoenixUploadError);
    expect(busyXhr).toMatchObject({
      status: 503,
      reason: 'TOO_MANY_UPLOADS',
      retryAfterSeconds: 5,
    });

    held.finish();
    expect((await held.answer).status).toBe(201);
    // That was the hour's one upload: the rate limit says when the next one may come.
    const limited = await uploadChampion(user.client, mp4).catch((e: unknown) => e);
    expect(limited).toMatchObject({ status: 429, reason: 'RATE_LIMITED' });
    const { retryAfterSeconds, message } = limited as PhoenixUploadError;
    expect(retryAfterSeconds).toBeGreaterThan(0);
    expect(message).toBe(`Too many requests; retry in ${retryAfterSeconds}s`);
  });
});
