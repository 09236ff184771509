import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PhoenixUploadError, type UploadProgress, uploadChampion } from '@phoenix/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  server = await startTestServer({ routes: [testUploadRoutes] });
  user = await signUp(server, { label: 'sdk-uploader' });
  mp4 = join(dir, 'call.mp4');
  await synthesizeMedia({ path: mp4, kind: 'mp4', seconds: 3, video: true });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

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
    });
    const anonymous = await uploadChampion({ url: server.url }, mp4, {
      path: TEST_UPLOAD_PATH,
    }).catch((e: unknown) => e);
    expect(anonymous).toMatchObject({ status: 401, reason: 'UNAUTHENTICATED' });
  });
});
