import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { constants } from 'node:fs';
import { mkdtemp, open, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SlabFileWriter } from './slab-file-writer.ts';
import { SlabPool } from './slab-pool.ts';

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

/** Larger than a pipe's 64 KB: a write of it waits until the pipe is read. */
const STALLED_SLAB_BYTES = 256 * 1024;

/**
 * A named pipe nobody reads yet, so a write to it waits: `drain` reads it (which lets the
 * write end). The read end is closed whatever happens, which fails a write still waiting
 * (EPIPE) instead of leaving it to hold a thread of the pool.
 */
async function withStalledPipe(
  name: string,
  run: (pipe: { path: string; drain: (bytes: number) => Promise<void> }) => Promise<void>,
): Promise<void> {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  const reader = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const drain = async (bytes: number) => {
    for (let drained = 0; drained < bytes; ) {
      const { bytesRead } = await reader
        .read(Buffer.alloc(bytes), 0, bytes, null)
        .catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'EAGAIN') return { bytesRead: 0 };
          throw error;
        });
      drained += bytesRead;
      if (bytesRead === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  try {
    await run({ path, drain });
  } finally {
    await reader.close();
  }
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

  it('fails the pipeline when the disk refuses a write, however far the file got (no success reported)', async () => {
    // /dev/full refuses every write with ENOSPC, as a full disk does.
    for (const bytes of [10, 1000, 5000]) {
      await expect(
        pipeline(
          piecesOf(randomBytes(bytes), [300]),
          new SlabFileWriter('/dev/full', { slabBytes: 1000 }),
        ),
        `${bytes} bytes`,
      ).rejects.toMatchObject({ code: 'ENOSPC' });
      expect(await descriptorsOpenOn('/dev/full')).toBe(0);
    }
  });

  it('stops at the first write the disk refuses: the rest of the source is not read', async () => {
    let given = 0;
    async function* pieces(): AsyncGenerator<Buffer> {
      for (; given < 1000; given++) yield randomBytes(1000);
    }
    await expect(
      pipeline(Readable.from(pieces()), new SlabFileWriter('/dev/full', { slabBytes: 1000 })),
    ).rejects.toMatchObject({ code: 'ENOSPC' });
    // The first buffer's write fails while the second fills and the next flip sees it;
    // what was read past that is the streams' queues (about 70 pieces), not the source.
    expect(given).toBeLessThan(200);
  });

  it('closes its file when destroyed before it opened it, or while a write is under way', async () => {
    const early = join(dir, 'destroyed-early.bin');
    const beforeOpen = new SlabFileWriter(early);
    beforeOpen.destroy();
    await once(beforeOpen, 'close');
    await vi.waitFor(async () => expect(await descriptorsOpenOn(early)).toBe(0));

    const midway = join(dir, 'destroyed-midway.bin');
    const writing = new SlabFileWriter(midway, { slabBytes: 1024 });
    await new Promise<void>((resolve, reject) =>
      writing.write(randomBytes(1024), (error) => (error ? reject(error) : resolve())),
    );
    // The first buffer filled: its write to disk is under way, not awaited by `write`.
    writing.destroy(new Error('the client went away'));
    const [error] = (await once(writing, 'error')) as [Error];
    expect(error.message).toBe('the client went away');
    await vi.waitFor(async () => expect(await descriptorsOpenOn(midway)).toBe(0));
  });

  it('gives its buffers back when the file is done, and the next file reuses them', async () => {
    const pool = new SlabPool(4);
    const first = randomBytes(2500);
    await pipeline(
      piecesOf(first, [700]),
      new SlabFileWriter(join(dir, 'pooled-1.bin'), { slabBytes: 1000, pool }),
    );
    expect(pool.idle).toBe(2);
    // Shorter than the first: a reused buffer's old bytes past what was given must not leak.
    const second = randomBytes(1500);
    await pipeline(
      piecesOf(second, [400]),
      new SlabFileWriter(join(dir, 'pooled-2.bin'), { slabBytes: 1000, pool }),
    );
    // Had the second file taken new buffers, four would be idle now.
    expect(pool.idle).toBe(2);
    expect(Buffer.compare(await readFile(join(dir, 'pooled-2.bin')), second)).toBe(0);
    expect(Buffer.compare(await readFile(join(dir, 'pooled-1.bin')), first)).toBe(0);
  });

  it('gives a buffer back only after the write of it ended, when destroyed midway', async () => {
    await withStalledPipe('destroyed-midway.fifo', async ({ path, drain }) => {
      const pool = new SlabPool(4);
      const writer = new SlabFileWriter(path, { slabBytes: STALLED_SLAB_BYTES, pool });
      await new Promise<void>((resolve, reject) =>
        writer.write(randomBytes(STALLED_SLAB_BYTES), (error) =>
          error ? reject(error) : resolve(),
        ),
      );
      // The first buffer filled: its write is held by the pipe, not awaited by `write`.
      const closed = once(writer, 'close');
      writer.destroy();
      await new Promise((resolve) => setTimeout(resolve, 50));
      // Reused now, the buffer could be overwritten while the pipe still reads it.
      expect(pool.idle).toBe(0);
      await drain(STALLED_SLAB_BYTES);
      await closed;
      expect(pool.idle).toBe(1);
    });
  });

  it('gives a buffer back only after its last write ended, when destroyed while ending', async () => {
    await withStalledPipe('destroyed-ending.fifo', async ({ path, drain }) => {
      const pool = new SlabPool(4);
      const writer = new SlabFileWriter(path, { slabBytes: STALLED_SLAB_BYTES, pool });
      writer.on('error', () => {});
      const closed = once(writer, 'close');
      // Less than a buffer: its only write is the one `end` starts, held by the pipe.
      writer.end(randomBytes(STALLED_SLAB_BYTES / 2));
      await new Promise((resolve) => setTimeout(resolve, 50));
      writer.destroy();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(pool.idle).toBe(0);
      await drain(STALLED_SLAB_BYTES / 2);
      await closed;
      expect(pool.idle).toBe(1);
    });
  });

  it('never copies into a buffer once it gave it back, when destroyed while a copy waits for the disk', async () => {
    await withStalledPipe('destroyed-flipping.fifo', async ({ path, drain }) => {
      const given: { slab: Buffer; copy: Buffer }[] = [];
      const pool = new (class extends SlabPool {
        override give(slab: Buffer): void {
          given.push({ slab, copy: Buffer.from(slab) });
          super.give(slab);
        }
      })(4);
      const writer = new SlabFileWriter(path, { slabBytes: STALLED_SLAB_BYTES, pool });
      writer.on('error', () => {});
      const closed = once(writer, 'close');
      // Three buffers' worth in one chunk: the first is written (held by the pipe), the
      // second fills, and the copy of the third waits for the first write to end.
      writer.write(randomBytes(3 * STALLED_SLAB_BYTES));
      await new Promise((resolve) => setTimeout(resolve, 50));
      writer.destroy();
      await drain(STALLED_SLAB_BYTES);
      await closed;
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(given.length).toBeGreaterThan(0);
      for (const { slab, copy } of given) expect(Buffer.compare(slab, copy)).toBe(0);
    });
  });

  it('keeps no more idle buffers than it was told to', () => {
    const pool = new SlabPool(2);
    const slabs = [pool.take(10), pool.take(10), pool.take(10)];
    for (const slab of slabs) pool.give(slab);
    expect(pool.idle).toBe(2);
    expect(slabs).toContain(pool.take(10));
    // A size the pool does not hold is allocated.
    expect(pool.take(20)).toHaveLength(20);
    expect(pool.idle).toBe(1);
  });

  it('refuses a buffer size that could never fill', () => {
    expect(() => new SlabFileWriter(join(dir, 'never.bin'), { slabBytes: 0 })).toThrow(RangeError);
  });
});
