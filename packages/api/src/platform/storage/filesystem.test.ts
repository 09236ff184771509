import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFilesystemStorage } from './filesystem.ts';
import type { Storage } from './types.ts';

let root: string;
let storage: Storage;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'phoenix-storage-'));
  storage = createFilesystemStorage(root);
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function* chunks(count: number, size: number) {
  for (let i = 0; i < count; i += 1) yield Buffer.alloc(size, 97 + (i % 26));
}

describe('filesystem storage', () => {
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

  it('refuses a body over maxBytes and leaves no file, partial or whole', async () => {
    await expect(
      storage.put('u2/big.bin', chunks(10, 1024), { maxBytes: 4096 }),
    ).rejects.toMatchObject({ kind: 'too_large', reason: 'PAYLOAD_TOO_LARGE' });
    expect(await readdir(join(root, 'u2'))).toEqual([]);
  });

  it('leaves nothing when the source fails midway', async () => {
    async function* failing() {
      yield Buffer.from('start');
      throw new Error('client went away');
    }
    await expect(storage.put('u3/x.bin', failing())).rejects.toThrow('client went away');
    expect(await readdir(join(root, 'u3'))).toEqual([]);
  });

  it('deletes everything under a prefix and counts it', async () => {
    await storage.put('u4/a', Readable.from(['1']));
    await storage.put('u4/b/c', Readable.from(['2']));
    await storage.put('u40/keep', Readable.from(['3']));
    expect(await storage.deletePrefix('u4')).toBe(2);
    expect(await storage.stat('u4/b/c')).toBeNull();
    expect(await storage.stat('u40/keep')).toEqual({ bytes: 1 });
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
