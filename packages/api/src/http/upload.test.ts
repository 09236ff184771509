import { pbkdf2 } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { conflict } from '@phoenix/errors';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signUp, startTestServer, type TestServer } from '../testing/index.ts';
import { type SyntheticKind, synthesizeMedia } from '../testing/media.ts';
import { storedFiles } from '../testing/upload-door.ts';
import { TEST_UPLOAD_PATH, testUploadRoutes } from '../testing/upload-route.ts';
import type { PlainRoutes } from './plain-routes.ts';
import { uploadRoute } from './upload-route.ts';

/** A door whose recording step fails after the file is stored. */
const failingRoutes: PlainRoutes = {
  path: '/test-uploads-failing',
  mount: (app, deps) =>
    app.post(
      '/test-uploads-failing',
      uploadRoute(deps, {
        maxBytes: MAX_BYTES,
        maxInFlight: deps.config.media.uploadsInFlight,
        idleSeconds: deps.config.media.uploadIdleSeconds,
        keyFor: ({ caller, type }) => `failing/${caller.user.id}.${type.ext}`,
        onStored: async () => {
          throw conflict('No room for it');
        },
      }),
    ),
};

const MAX_BYTES = 600_000;
let server: TestServer;
let token: string;
let dir: string;
const files = new Map<string, Buffer>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'phoenix-upload-test-'));
  server = await startTestServer({
    env: { CHAMPION_UPLOAD_MAX_BYTES: String(MAX_BYTES) },
    routes: [testUploadRoutes, failingRoutes],
  });
  ({ token } = await signUp(server, { label: 'uploader' }));
  for (const kind of ['mp3', 'm4a', 'wav', 'ogg', 'webm', 'mp4'] as SyntheticKind[]) {
    const path = join(dir, `call.${kind}`);
    await synthesizeMedia({ path, kind, seconds: 2, video: kind === 'mp4' || kind === 'webm' });
    files.set(kind, await readFile(path));
  }
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const stored = (): Promise<string[]> => storedFiles(server);

function form(file: Blob, fields: Record<string, string> = {}, name = 'recording.mp3') {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.set(key, value);
  body.set('file', file, name);
  return body;
}

/** A 201's stored file, or an error's body (each test reads the half it expects). */
interface Answer {
  key: string;
  bytes: number;
  fileName: string | null;
  fields: Record<string, string>;
  type: { ext: string; mime: string };
  error: { code: string; reason: string; message: string };
}

async function upload(
  body: FormData | string,
  headers: Record<string, string> = {},
  path = TEST_UPLOAD_PATH,
) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

describe('upload door (multipart, streamed to storage)', () => {
  it.each(['mp3', 'm4a', 'wav', 'ogg', 'webm', 'mp4'])(
    'accepts %s by its content and stores every byte',
    async (kind) => {
      const bytes = files.get(kind) as Buffer;
      // The declared type and the name lie: only the content counts.
      const { status, body } = await upload(
        form(
          new Blob([new Uint8Array(bytes)], { type: 'text/plain' }),
          { name: 'Best call' },
          'x.txt',
        ),
      );
      expect(status).toBe(201);
      expect(body.bytes).toBe(bytes.length);
      expect(body.fields).toEqual({ name: 'Best call' });
      expect(body.fileName).toBe('x.txt');
      expect(['mp3', 'm4a', 'wav', 'ogg', 'oga', 'opus', 'webm', 'mp4']).toContain(body.type.ext);
      // Byte for byte: the sniffed head goes in front of the rest exactly once.
      expect((await buffer(await server.deps.storage.get(body.key))).equals(bytes)).toBe(true);
      await server.deps.storage.delete(body.key);
    },
  );

  it('stores a file shorter than the bytes the type is read from whole', async () => {
    const short = (files.get('wav') as Buffer).subarray(0, 1000);
    const { status, body } = await upload(form(new Blob([new Uint8Array(short)])));
    expect(status).toBe(201);
    expect(body).toMatchObject({ bytes: short.length, type: { ext: 'wav' } });
    expect((await buffer(await server.deps.storage.get(body.key))).equals(short)).toBe(true);
    await server.deps.storage.delete(body.key);
  });

  it('refuses content that is not audio or video with 415, whatever its name, and keeps nothing', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'base64',
    );
    const { status, body } = await upload(
      form(new Blob([png], { type: 'audio/mpeg' }), {}, 'song.mp3'),
    );
    expect(status).toBe(415);
    expect(body.error).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      reason: 'UNSUPPORTED_MEDIA_TYPE',
    });
    expect(body.error.message).toContain('image/png');
    expect(body.error.message).toContain('accepted: mp3, m4a, wav');
    const text = await upload(form(new Blob(['just words '.repeat(1000)]), {}, 'call.wav'));
    expect(text.status).toBe(415);
    expect(text.body.error.message).toContain('not a recognised type');
    expect(await stored()).toEqual([]);
  });

  it('answers 413 past the limit while streaming, and before reading when the length says so', async () => {
    const wav = files.get('wav') as Buffer;
    // Within the envelope slack of the declared length: refused while streaming.
    const over = Buffer.concat([wav, Buffer.alloc(MAX_BYTES + 1000 - wav.length, 1)]);
    const streamed = await upload(form(new Blob([over])));
    expect(streamed.status).toBe(413);
    expect(streamed.body.error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      reason: 'PAYLOAD_TOO_LARGE',
      message: `The file is larger than the limit of ${MAX_BYTES} bytes`,
    });
    const declared = await upload(
      form(new Blob([Buffer.concat([wav, Buffer.alloc(MAX_BYTES * 2)])])),
    );
    expect(declared.status).toBe(413);
    expect(await stored()).toEqual([]);
    // Exactly the limit is fine.
    const exact = Buffer.concat([wav, Buffer.alloc(MAX_BYTES - wav.length, 1)]);
    const fits = await upload(form(new Blob([exact])));
    expect(fits.status).toBe(201);
    expect(fits.body.bytes).toBe(MAX_BYTES);
    await server.deps.storage.delete(fits.body.key);
  });

  it('refuses an empty file, a missing file and a body that is not multipart', async () => {
    const empty = await upload(form(new Blob([])));
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ reason: 'EMPTY_FILE', message: 'The file is empty' });
    const body = new FormData();
    body.set('name', 'no file');
    const missing = await upload(body);
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe('No file in the field "file"');
    const wrongField = new FormData();
    wrongField.set('audio', new Blob([new Uint8Array(files.get('mp3') as Buffer)]), 'a.mp3');
    expect((await upload(wrongField)).status).toBe(400);
    const json = await upload('{"file":"x"}', { 'content-type': 'application/json' });
    expect(json.status).toBe(415);
    expect(json.body.error.message).toContain('multipart/form-data');
    expect(await stored()).toEqual([]);
  });

  it('authenticates like tRPC: no credentials is 401 and nothing is read', async () => {
    const response = await fetch(`${server.url}${TEST_UPLOAD_PATH}`, {
      method: 'POST',
      body: form(new Blob([new Uint8Array(files.get('mp3') as Buffer)])),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { reason: string } }).error.reason).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('leaves no partial file when the client goes away mid-upload', async () => {
    const boundary = 'phoenixboundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
    );
    const wav = files.get('wav') as Buffer;
    const req = httpRequest(`${server.url}${TEST_UPLOAD_PATH}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + MAX_BYTES),
      },
    });
    req.on('error', () => undefined);
    req.write(head);
    req.write(wav);
    // The put has begun: its partial file is there.
    await vi.waitFor(async () => expect((await stored()).length).toBe(1), { timeout: 10_000 });
    req.destroy();
    await vi.waitFor(async () => expect(await stored()).toEqual([]), { timeout: 10_000 });
  });
});

describe('upload door, raw bodies', () => {
  const boundary = 'phoenixboundary';
  const partHead = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.mp3"\r\nContent-Type: audio/mpeg\r\n\r\n`,
  );
  const post = (length: number) => {
    const req = httpRequest(`${server.url}${TEST_UPLOAD_PATH}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(length),
      },
    });
    req.on('error', () => undefined);
    return req;
  };

  it('stores every byte of a form that arrives in one write', async () => {
    // fetch spreads a body over several writes; here busboy may see the whole file (and
    // its end) in one read, before the sniffed head is put back.
    const mp3 = files.get('mp3') as Buffer;
    const body = Buffer.concat([partHead, mp3, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const req = post(body.length);
    const answer = new Promise<Answer>((resolve, reject) =>
      req.on('response', (res) => {
        buffer(res).then((b) => resolve(JSON.parse(b.toString()) as Answer), reject);
      }),
    );
    req.end(body);
    const stored = await answer;
    expect(stored.bytes).toBe(mp3.length);
    expect((await buffer(await server.deps.storage.get(stored.key))).equals(mp3)).toBe(true);
    await server.deps.storage.delete(stored.key);
  });

  it('survives a client that goes away while storage is still opening its file', async () => {
    // Slow hashes hold libuv's thread pool, so the put's first step (a mkdir) waits behind
    // them while the client leaves. The failed file stream must not end the process (an
    // uncaught error fails this file), and nothing may be stored.
    const busy = Array.from(
      { length: 4 },
      () => new Promise((done) => pbkdf2('x', 'y', 2_000_000, 32, 'sha256', done)),
    );
    const mp3 = files.get('mp3') as Buffer;
    const req = post(partHead.length + MAX_BYTES);
    req.write(partHead);
    req.write(mp3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    req.destroy();
    await Promise.all(busy);
    await vi.waitFor(async () => expect(await stored()).toEqual([]), { timeout: 10_000 });
    // And the door still answers.
    const { status, body } = await upload(form(new Blob([new Uint8Array(mp3)])));
    expect(status).toBe(201);
    await server.deps.storage.delete(body.key);
  });
});

describe('uploadRoute', () => {
  it('deletes the stored file when recording it fails', async () => {
    const { status, body } = await upload(
      form(new Blob([new Uint8Array(files.get('mp3') as Buffer)])),
      {},
      '/test-uploads-failing',
    );
    expect(status).toBe(409);
    expect(body.error).toMatchObject({ code: 'CONFLICT', message: 'No room for it' });
    expect(await stored()).toEqual([]);
  });
});
