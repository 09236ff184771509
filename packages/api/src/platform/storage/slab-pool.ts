/**
 * Buffers that `SlabFileWriter`s hand back when their file is done, for the next file.
 *
 * Why not a new pair per file: each 2 MB buffer is memory outside V8's heap that lives
 * through a whole upload, so the young-generation GCs run meanwhile move it to the old
 * generation, where only a full GC frees it. V8 (as Node 24 runs it) counts outside memory
 * allocated since the last full GC toward the old generation's limit, which then sits
 * only a few MB above the heap: the 4 MB every upload left behind started a full
 * mark-compact of the hub's heap (30-50 ms) in nearly every 100 MB upload (bench/champion,
 * `--trace-incremental-marking`). Reused buffers count once. docs/architecture.md, "Upload door".
 */
export class SlabPool {
  readonly #idle: Buffer[] = [];
  readonly #keep: number;

  /** `keep`: how many idle buffers are held at most (the rest go to the GC). */
  constructor(keep: number) {
    this.#keep = keep;
  }

  /** A buffer of `bytes` (its content is whatever its last user left: write before reading). */
  take(bytes: number): Buffer {
    const index = this.#idle.findIndex((slab) => slab.length === bytes);
    if (index === -1) return Buffer.allocUnsafe(bytes);
    return this.#idle.splice(index, 1)[0] as Buffer;
  }

  /**
   * Gives a buffer back; only once nothing (no write under way) still reads it, and once
   * (a writer gives back what it took, each buffer one time).
   */
  give(slab: Buffer): void {
    if (this.#idle.length < this.#keep) this.#idle.push(slab);
  }

  get idle(): number {
    return this.#idle.length;
  }
}

/**
 * Two writers' pairs of 2 MB buffers: a file leaves one or two (up to 4 MB) idle; two
 * stored at once leave up to four (8 MB), which stay for the process's life.
 */
export const sharedSlabs = new SlabPool(4);
