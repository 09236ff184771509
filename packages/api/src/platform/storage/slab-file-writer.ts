import { type FileHandle, open } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { type SlabPool, sharedSlabs } from './slab-pool.ts';

/** Each of the writer's two buffers; so a put holds 4 MB while the disk catches up. */
export const SLAB_BYTES = 2 * 1024 * 1024;

/**
 * A file writer that copies what it is given into one of two fixed buffers and writes a
 * buffer when it is full, while the other one fills.
 *
 * Why not `createWriteStream` with a large `highWaterMark`: it keeps every chunk it is
 * given (for an upload, the Buffers Node's HTTP parser made, one per 64 KB read) until its
 * `writev` ends, so chunks outlive the young-generation GCs that run meanwhile and are
 * moved to the old generation, whose outside memory only a full GC frees (about 60 ms on
 * the hub's heap, several per 100 MB). Here a chunk is copied when it is given, so it is
 * let go at once, unless both buffers are full and it waits (with the stream's own
 * queue) for the disk. The buffers are taken from a pool when first needed, the second
 * only for a file larger than one, and given back when the file is done (`SlabPool` says
 * why). Writes are one at a time, in order, each as large as a buffer
 * (docs/architecture.md, "Upload door").
 */
export class SlabFileWriter extends Writable {
  readonly #path: string;
  readonly #flags: string;
  readonly #slabBytes: number;
  readonly #pool: SlabPool;
  readonly #slabs: Buffer[] = [];
  #file: FileHandle | null = null;
  #filling: 0 | 1 = 0;
  #used = 0;
  #writing: Promise<void> = Promise.resolve();
  /** Set when the buffers went back to the pool: from then on another file may own them. */
  #released = false;

  constructor(path: string, options: { flags?: string; slabBytes?: number; pool?: SlabPool } = {}) {
    super();
    this.#path = path;
    this.#flags = options.flags ?? 'w';
    this.#slabBytes = options.slabBytes ?? SLAB_BYTES;
    this.#pool = options.pool ?? sharedSlabs;
    if (!Number.isSafeInteger(this.#slabBytes) || this.#slabBytes <= 0) {
      throw new RangeError(`slabBytes must be a positive integer, not ${this.#slabBytes}`);
    }
  }

  override _construct(callback: (error?: Error | null) => void): void {
    open(this.#path, this.#flags).then((file) => {
      this.#file = file;
      callback();
    }, callback);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: WriteCallback): void {
    this.#accept(chunk).then(() => callback(), callback);
  }

  override _final(callback: WriteCallback): void {
    this.#finish().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: WriteCallback): void {
    const file = this.#file;
    this.#file = null;
    // The write under way ends (or fails) before the file is closed and its buffer reused.
    this.#writing
      .catch(() => undefined)
      .then(() => {
        this.#releaseSlabs();
        return file?.close();
      })
      .then(
        () => callback(error),
        (closeError: Error) => callback(error ?? closeError),
      );
  }

  async #accept(chunk: Buffer): Promise<void> {
    let offset = 0;
    while (offset < chunk.length) {
      const slab = this.#slab(this.#filling);
      const copied = chunk.copy(slab, this.#used, offset);
      offset += copied;
      this.#used += copied;
      if (this.#used === slab.length) await this.#flip();
    }
  }

  #slab(index: 0 | 1): Buffer {
    // Destroyed while a copy waited for the disk: never touch a buffer given back.
    if (this.#released) throw new Error(`${this.#path}: written to after it was destroyed`);
    const slab = this.#slabs[index] ?? this.#pool.take(this.#slabBytes);
    this.#slabs[index] = slab;
    return slab;
  }

  /** Starts writing the full buffer once the other one is written, and fills the other. */
  async #flip(): Promise<void> {
    await this.#writing;
    this.#writing = this.#writeOut(this.#slab(this.#filling), this.#used);
    // Seen by the next flip, `_final` or `_destroy`; a failure is not unhandled meanwhile.
    this.#writing.catch(() => undefined);
    this.#filling = this.#filling === 0 ? 1 : 0;
    this.#used = 0;
  }

  async #finish(): Promise<void> {
    await this.#writing;
    if (this.#used > 0) {
      // Kept in #writing so that a destroy meanwhile waits for it too.
      this.#writing = this.#writeOut(this.#slab(this.#filling), this.#used);
      await this.#writing;
    }
    this.#used = 0;
    this.#releaseSlabs();
    const file = this.#file;
    this.#file = null;
    await file?.close();
  }

  #releaseSlabs(): void {
    this.#released = true;
    for (const slab of this.#slabs.splice(0)) this.#pool.give(slab);
  }

  async #writeOut(slab: Buffer, bytes: number): Promise<void> {
    const file = this.#file;
    if (!file) throw new Error(`${this.#path} is closed`);
    let written = 0;
    while (written < bytes) {
      const { bytesWritten } = await file.write(slab, written, bytes - written, null);
      // A regular file takes at least a byte or fails; never spin on a write that takes none.
      if (bytesWritten <= 0) throw new Error(`${this.#path}: the disk took no bytes`);
      written += bytesWritten;
    }
  }
}

type WriteCallback = (error?: Error | null) => void;
