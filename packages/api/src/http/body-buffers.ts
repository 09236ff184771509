import type { IncomingMessage } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Body bytes read (by every upload in this process) between two young-generation GCs:
 * below the 8 MB of outside memory after which V8 starts a full GC (see below). Each costs
 * about a millisecond; bench/champion measured 2, 4 and 8 MB, and 4 did best.
 */
export const BODY_BYTES_PER_YOUNG_GC = 4 * 1024 * 1024;

let bytesSinceCollection = 0;
/** V8's young GC once taken; null when this process cannot have it (then nothing is done). */
let youngGc: NodeJS.GCFunction | null | undefined;

/**
 * Whether Node was started with V8's flags frozen after start (a V8 flag NODE_OPTIONS does
 * not take, so the command line is where it can be): changing one would then abort V8.
 */
function flagsAreFrozen(): boolean {
  return process.execArgv.some((flag) => /^--freeze[-_]flags[-_]after[-_]init$/.test(flag));
}

/**
 * V8's `gc`, taken without starting Node with `--expose-gc`: the flag is set just long
 * enough for a new context to be made with it, then cleared (what the `expose-gc` package
 * does). Null when it cannot be had: flags frozen (changing one would abort V8), or the
 * context has no `gc` (e.g. `--expose-gc-as` named it otherwise).
 */
function takeGc(): NodeJS.GCFunction | null {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  if (flagsAreFrozen()) return null;
  try {
    setFlagsFromString('--expose-gc');
    try {
      const gc: unknown = runInNewContext('typeof gc === "function" ? gc : null');
      return typeof gc === 'function' ? (gc as NodeJS.GCFunction) : null;
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  } catch {
    return null;
  }
}

/**
 * Frees the memory of body chunks already handled while a large body streams in.
 *
 * Node's HTTP parser hands every body chunk (up to 64 KB) to JavaScript as a new Buffer
 * whose bytes live outside V8's heap. V8 (as Node 24 runs it) counts outside memory
 * allocated since the last full GC toward the old generation's limit, which after a full
 * GC sits only about 8 MB plus the young generation's size above the heap; and a streamed
 * upload allocates so little on the heap itself that the young GCs that would find those
 * Buffers dead hardly run. So every few MB of body started a full mark-compact of the
 * whole heap: about 60 ms each on the hub's heap, three or four per 100 MB upload
 * (bench/champion, `--trace-incremental-marking`). A young GC every
 * `BODY_BYTES_PER_YOUNG_GC` frees the chunks already handled, provided nothing keeps them:
 * only for a storage that copies them (the filesystem's `SlabFileWriter`). One that keeps
 * chunks a while (S3's multipart upload fills 5 MB parts) would see them moved to the old
 * generation instead. docs/architecture.md, "Upload door".
 */
export function collectBodyBuffersWhileReading(incoming: IncomingMessage): void {
  incoming.on('data', (chunk: Buffer) => {
    bytesSinceCollection += chunk.length;
    if (bytesSinceCollection < BODY_BYTES_PER_YOUNG_GC) return;
    bytesSinceCollection %= BODY_BYTES_PER_YOUNG_GC;
    if (youngGc === undefined) youngGc = takeGc();
    youngGc?.({ type: 'minor' });
  });
}
