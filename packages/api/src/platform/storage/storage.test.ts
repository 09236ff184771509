import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { loadConfig } from '@phoenix/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy } from '../../testing/fault-proxy.ts';
import { startTestS3Server, type TestS3Server } from '../../testing/s3.ts';
import { createStorage } from './create.ts';
import { createFilesystemStorage } from './filesystem.ts';
import { lazyStorage } from './lazy.ts';
import { createS3Storage } from './s3.ts';
import type { Storage } from './types.ts';

const MB = 1024 * 1024;

/** One backend under test: its storage, and what it holds under a prefix (partial files too). */
interface Backend {
  storage: Storage;
  leftovers(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

async function filesystemBackend(): Promise<Backend> {
  const root = await mkdtemp(join(tmpdir(), 'phoenix-storage-'));
  return {
    storage: createFilesystemStorage(root),
    leftovers: async (prefix) =>
      (await readdir(join(root, prefix), { recursive: true, withFileTypes: true }).catch(() => []))
        .filter((e) => e.isFile())
        .map((e) => e.name),
    close: () => rm(root, { recursive: true, force: true }),
  };
}

async function s3Backend(): Promise<Backend> {
  const server: TestS3Server = await startTestS3Server();
  const options = {
    bucket: server.bucket,
    prefix: 'hub',
    region: 'us-east-1',
    endpoint: server.endpoint,
    credentials: server.credentials,
    forcePathStyle: true,
    timeouts: { connectMs: 2_000, requestMs: 15_000 },
  };
  // As the app builds it: from the environment, the S3 client loaded on first use.
  const storage = createStorage(
    loadConfig({
      STORAGE_URL: `s3://${server.bucket}/hub`,
      S3_REGION: options.region,
      S3_ENDPOINT: options.endpoint,
      S3_ACCESS_KEY_ID: options.credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: options.credentials.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    }),
  );
  expect(storage.kind).toBe('s3');
  const lister = new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    credentials: options.credentials,
    forcePathStyle: true,
  });
  return {
    storage,
    leftovers: async (prefix) => {
      const page = await lister.send(
        new ListObjectsV2Command({ Bucket: server.bucket, Prefix: `hub/${prefix}/` }),
      );
      return (page.Contents ?? []).map((o) => o.Key ?? '');
    },
    close: async () => {
      await storage.close();
      lister.destroy();
      await server.close();
    },
  };
}

async function* chunks(count: number, size: number) {
  for (let i = 0; i < count; i += 1) yield Buffer.alloc(size, 97 + (i % 26));
}

describe.each([
  ['filesystem', filesystemBackend],
  ['s3 (s3rver)', s3Backend],
])('storage contract: %s', (_name, start) => {
  let backend: Backend;
  let storage: Storage;
  beforeAll(async () => {
    backend = await start();
    storage = backend.storage;
  });
  afterAll(() => backend.close());

  it('stores a stream, reads it back, reports its size, deletes it idempotently', async () => {
    const stored = await storage.put('u1/a.txt', Readable.from(['hello ', 'world']));
    expect(stored).toEqual({ key: 'u1/a.txt', bytes: 11 });
    expect(await text(await storage.get('u1/a.txt'))).toBe('hello world');
    expect(await storage.stat('u1/a.txt')).toEqual({ bytes: 11 });
    await storage.delete('u1/a.txt');
    await storage.delete('u1/a.txt');
    expect(await storage.stat('u1/a.txt')).toBeNull();
    await expect(storage.get('u1/a.txt')).rejects.toMatchObject({ reason: 'NOT_FOUND' });
  });

  it('streams a body larger than one multipart part and reads every byte back', async () => {
    const stored = await storage.put('u5/big.bin', chunks(12, MB));
    expect(stored.bytes).toBe(12 * MB);
    expect(await storage.stat('u5/big.bin')).toEqual({ bytes: 12 * MB });
    let read = 0;
    for await (const chunk of await storage.get('u5/big.bin')) read += (chunk as Buffer).length;
    expect(read).toBe(12 * MB);
  });

  it('refuses a body over maxBytes and leaves no object, partial or whole', async () => {
    await expect(
      storage.put('u2/big.bin', chunks(10, 1024), { maxBytes: 4096 }),
    ).rejects.toMatchObject({ kind: 'too_large', reason: 'PAYLOAD_TOO_LARGE' });
    // Past the first multipart part too.
    await expect(
      storage.put('u2/bigger.bin', chunks(12, MB), { maxBytes: 8 * MB }),
    ).rejects.toMatchObject({ kind: 'too_large', reason: 'PAYLOAD_TOO_LARGE' });
    expect(await backend.leftovers('u2')).toEqual([]);
    expect(await storage.stat('u2/bigger.bin')).toBeNull();
  });

  it('leaves nothing when the source fails midway', async () => {
    async function* failing() {
      yield Buffer.from('start');
      throw new Error('client went away');
    }
    await expect(storage.put('u3/x.bin', failing())).rejects.toThrow('client went away');
    async function* failingLate() {
      yield* chunks(7, MB);
      throw new Error('client went away late');
    }
    await expect(storage.put('u3/y.bin', failingLate())).rejects.toThrow('client went away late');
    expect(await backend.leftovers('u3')).toEqual([]);
  });

  it('deletes everything under a prefix and counts it', async () => {
    await storage.put('u4/a', Readable.from(['1']));
    await storage.put('u4/b/c', Readable.from(['2']));
    await storage.put('u40/keep', Readable.from(['3']));
    expect(await storage.deletePrefix('u4')).toBe(2);
    expect(await storage.stat('u4/b/c')).toBeNull();
    expect(await storage.stat('u40/keep')).toEqual({ bytes: 1 });
    expect(await storage.deletePrefix('nothing-here')).toBe(0);
  });

  it.each(['../escape', '/abs', 'a//b', 'a/./b', '', 'sp ace'])(
    'refuses the key %j',
    async (key) => {
      await expect(storage.put(key, Readable.from(['x']))).rejects.toMatchObject({
        reason: 'INVALID',
      });
    },
  );
});

describe('s3 storage when the store is down', () => {
  let silent: Server;
  const sockets: Socket[] = [];
  let silentPort = 0;
  let closedPort = 0;
  beforeAll(async () => {
    // Accepts connections and never answers: only a deadline ends a call.
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  const storageAt = (port: number) =>
    createS3Storage({
      bucket: 'phoenix',
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
      forcePathStyle: true,
      timeouts: { connectMs: 500, requestMs: 400 },
      retryAfterSeconds: 7,
    });

  it.each([
    ['refusing connections', () => closedPort],
    ['silent', () => silentPort],
  ])('answers STORAGE_UNAVAILABLE on every call when it is %s', async (_what, port) => {
    const storage = storageAt(port());
    const expected = {
      kind: 'unavailable',
      reason: 'STORAGE_UNAVAILABLE',
      retryAfterSeconds: 7,
    };
    try {
      await expect(storage.stat('a/b')).rejects.toMatchObject(expected);
      await expect(storage.get('a/b')).rejects.toMatchObject(expected);
      await expect(storage.delete('a/b')).rejects.toMatchObject(expected);
      await expect(storage.deletePrefix('a')).rejects.toMatchObject(expected);
      await expect(storage.put('a/b', Readable.from(['x']))).rejects.toMatchObject(expected);
    } finally {
      await storage.close();
    }
  });
});

describe('s3 storage at shutdown', () => {
  it('close ends its kept-alive sockets to the store, and a call after it is refused', async () => {
    await using server = await startTestS3Server({ keepIdleConnections: true });
    // Between the client and the store, to count the client's open connections.
    await using proxy = await startFaultProxy(server.endpoint);
    const storage = createS3Storage({
      bucket: server.bucket,
      region: 'us-east-1',
      endpoint: proxy.url,
      credentials: server.credentials,
      forcePathStyle: true,
      timeouts: { connectMs: 2_000, requestMs: 15_000 },
    });
    await storage.put('a/b.txt', Readable.from(['kept']));
    expect(await storage.stat('a/b.txt')).toEqual({ bytes: 4 });
    // Kept alive for the next call.
    expect(proxy.connections).toBeGreaterThan(0);

    await storage.close();
    await expect.poll(() => proxy.connections, { timeout: 10_000, interval: 20 }).toBe(0);
    await expect(storage.put('a/c.txt', Readable.from(['late']))).rejects.toMatchObject({
      kind: 'unavailable',
      reason: 'STORAGE_UNAVAILABLE',
    });
    await expect(storage.stat('a/b.txt')).rejects.toMatchObject({ reason: 'STORAGE_UNAVAILABLE' });
    expect(proxy.connections).toBe(0);
    await storage.close();
  });

  it('close is a no-op for the filesystem', async () => {
    const root = await mkdtemp(join(tmpdir(), 'phoenix-storage-'));
    try {
      const storage = createFilesystemStorage(root);
      await storage.close();
      await storage.put('a/b.txt', Readable.from(['still here']));
      expect(await storage.stat('a/b.txt')).toEqual({ bytes: 10 });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('storage loaded on first use', () => {
  it('loads once, tries a failed load again, and after close loads nothing', async () => {
    const root = await mkdtemp(join(tmpdir(), 'phoenix-lazy-storage-'));
    let loads = 0;
    let failNext = true;
    const storage = lazyStorage({ kind: 's3', retryAfterSeconds: 7 }, async () => {
      loads++;
      if (failNext) {
        failNext = false;
        throw new Error('module not found');
      }
      return createFilesystemStorage(root);
    });
    expect(loads).toBe(0);
    await expect(storage.stat('a/b.txt')).rejects.toThrow('module not found');
    await storage.put('a/b.txt', Readable.from([Buffer.from('hi')]));
    expect(await storage.stat('a/b.txt')).toEqual({ bytes: 2 });
    expect(loads).toBe(2);
    await storage.close();
    await expect(storage.stat('a/b.txt')).rejects.toMatchObject({
      reason: 'STORAGE_UNAVAILABLE',
      retryAfterSeconds: 7,
    });
    await rm(root, { recursive: true, force: true });
  });

  it('closed before first use, it never loads', async () => {
    let loads = 0;
    const storage = lazyStorage({ kind: 's3' }, async () => {
      loads++;
      return createFilesystemStorage(tmpdir());
    });
    await storage.close();
    await expect(storage.put('k', Readable.from([]))).rejects.toMatchObject({
      reason: 'STORAGE_UNAVAILABLE',
    });
    expect(loads).toBe(0);
  });
});
