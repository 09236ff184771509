import { type FileHandle, open } from 'node:fs/promises';
import { Writable } from 'node:stream';

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
 * the hub's heap, several per 100 MB). Copied here, a chunk is garbage as soon as `write`
 * returns, and the two buffers are allocated once per file. Writes are one at a time, in
 * order, each as large as a buffer; the body keeps flowing during one (docs/architecture.md,
 * "Upload door").
 */
export class SlabFileWriter extends Writable {
  readonly #path: string;
  readonly #flags: string;
  readonly #slabs: [Buffer, Buffer];
  #file: FileHandle | null = null;
  #filling: 0 | 1 = 0;
  #used = 0;
  #writing: Promise<void> = Promise.resolve();

  constructor(path: string, options: { flags?: string; slabBytes?: number } = {}) {
    super();
    this.#path = path;
    this.#flags = options.flags ?? 'w';
    const slabBytes = options.slabBytes ?? SLAB_BYTES;
    this.#slabs = [Buffer.allocUnsafe(slabBytes), Buffer.allocUnsafe(slabBytes)];
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
    // The write under way ends (or fails) before the file is closed under it.
    this.#writing
      .catch(() => undefined)
      .then(() => file?.close())
      .then(
        () => callback(error),
        (closeError: Error) => callback(error ?? closeError),
      );
  }

  async #accept(chunk: Buffer): Promise<void> {
    let offset = 0;
    while (offset < chunk.length) {
      const copied = chunk.copy(this.#slabs[this.#filling], this.#used, offset);
      offset += copied;
      this.#used += copied;
      if (this.#used === this.#slabs[this.#filling].length) await this.#flip();
    }
  }

  /** Starts writing the full buffer once the other one is written, and fills the other. */
  async #flip(): Promise<void> {
    await this.#writing;
    this.#writing = this.#writeOut(this.#slabs[this.#filling], this.#used);
    // Seen by the next flip, `_final` or `_destroy`; a failure is not unhandled meanwhile.
    this.#writing.catch(() => undefined);
    this.#filling = this.#filling === 0 ? 1 : 0;
    this.#used = 0;
  }

  async #finish(): Promise<void> {
    await this.#writing;
    await this.#writeOut(this.#slabs[this.#filling], this.#used);
    this.#used = 0;
    const file = this.#file;
    this.#file = null;
    await file?.close();
  }

  async #writeOut(slab: Buffer, bytes: number): Promise<void> {
    const file = this.#file;
    if (!file) throw new Error(`${this.#path} is closed`);
    let written = 0;
    while (written < bytes) {
      const result = await file.write(slab, written, bytes - written, null);
      written += result.bytesWritten;
    }
  }
}

type WriteCallback = (error?: Error | null) => void;
