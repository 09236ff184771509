import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SlabFileWriter } from './slab-file-writer.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'phoenix-slab-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `bytes` cut into pieces of the given sizes, in turn, as a stream. */
function piecesOf(bytes: Buffer, sizes: number[]): Readable {
  const pieces: Buffer[] = [];
  for (let offset = 0, i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    pieces.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return Readable.from(pieces);
}

/** How many of this process's file descriptors are open on `path` (Linux: /proc/self/fd). */
async function descriptorsOpenOn(path: string): Promise<number> {
  const fds = await readdir('/proc/self/fd');
  const targets = await Promise.all(
    fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')),
  );
  return targets.filter((target) => target === path).length;
}

describe('SlabFileWriter', () => {
  it('writes exactly the bytes given, in order, whatever the pieces are against its buffers', async () => {
    const slabBytes = 1000;
    const cases: { name: string; bytes: number; sizes: number[] }[] = [
      { name: 'empty', bytes: 0, sizes: [1] },
      { name: 'less than one buffer', bytes: 999, sizes: [100] },
      { name: 'exactly one buffer', bytes: 1000, sizes: [1000] },
      { name: 'exactly two buffers', bytes: 2000, sizes: [1000] },
      { name: 'pieces across buffer edges', bytes: 10_007, sizes: [333, 1, 999, 1001] },
      { name: 'pieces larger than both buffers', bytes: 12_345, sizes: [4321] },
    ];
    for (const { name, bytes, sizes } of cases) {
      const content = randomBytes(bytes);
      const path = join(dir, `${name.replaceAll(' ', '-')}.bin`);
      await pipeline(piecesOf(content, sizes), new SlabFileWriter(path, { slabBytes }));
      expect(Buffer.compare(await readFile(path), content), name).toBe(0);
    }
  });

  it('does not keep the chunks it is given: each is copied before its write returns', async () => {
    const path = join(dir, 'reused.bin');
    const writer = new SlabFileWriter(path, { slabBytes: 64 });
    const reused = Buffer.alloc(48);
    const expected: Buffer[] = [];
    for (let i = 0; i < 10; i++) {
      reused.fill(i);
      expected.push(Buffer.from(reused));
      // The caller overwrites its buffer as soon as `write` has taken it.
      await new Promise<void>((resolve, reject) =>
        writer.write(reused, (error) => (error ? reject(error) : resolve())),
      );
    }
    await new Promise<void>((resolve, reject) => {
      writer.on('error', reject);
      writer.end(resolve);
    });
    expect(Buffer.compare(await readFile(path), Buffer.concat(expected))).toBe(0);
  });

  it('fails the pipeline when the file cannot be opened (flags wx on an existing file)', async () => {
    const path = join(dir, 'taken.bin');
    await writeFile(path, 'already here');
    await expect(
      pipeline(Readable.from([Buffer.from('new')]), new SlabFileWriter(path, { flags: 'wx' })),
    ).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(path, 'utf8')).toBe('already here');
  });

  it('closes its file when the source fails midway, and the pipeline fails with the source', async () => {
    const folder = await mkdtemp(join(dir, 'failing-'));
    const path = join(folder, 'partial.bin');
    async function* failing(): AsyncGenerator<Buffer> {
      yield randomBytes(3000);
      throw new Error('the client went away');
    }
    const writing = pipeline(
      Readable.from(failing()),
      new SlabFileWriter(path, { slabBytes: 1000 }),
    );
    await expect(writing).rejects.toThrow('the client went away');
    await vi.waitFor(async () => expect(await descriptorsOpenOn(path)).toBe(0));
    // Left for the caller to remove (the storage's put removes its partial file).
    expect(await readdir(folder)).toEqual(['partial.bin']);
  });
});
