import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { invalid, tooLarge, unsupportedType } from '@phoenix/errors';
import busboy from 'busboy';
import { fileTypeFromBuffer } from 'file-type';
import type { Storage } from '../platform/storage/index.ts';
import { collectBodyBuffersWhileReading } from './body-buffers.ts';

/** What the content of a file says it is (its magic bytes), never its name or declared type. */
export interface SniffedType {
  ext: string;
  mime: string;
}

/**
 * Recordings the hub takes: audio and video a transcription can start from. `file-type`
 * names Ogg audio `ogg`, `oga` or `opus` depending on the codec, and audio-only MPEG-4
 * `m4a` (brand M4A) or `mp4` (brand isom, as FFmpeg writes it).
 */
export const AUDIO_VIDEO_EXTENSIONS: readonly string[] = [
  'mp3',
  'm4a',
  'wav',
  'ogg',
  'oga',
  'opus',
  'webm',
  'mp4',
];

export interface UploadOptions {
  storage: Storage;
  /** Largest file accepted, in bytes; one byte more is a 413 and nothing is kept. */
  maxBytes: number;
  /** Where the file goes, once its type is known (called once, before anything is stored). */
  keyFor(type: SniffedType): string;
  /** Extensions (as `file-type` names them) accepted; anything else is a 415. */
  allowed?: readonly string[];
  /** The multipart field that carries the file. */
  field?: string;
  /**
   * Stops the upload when aborted (e.g. `bodyIdleDeadline`'s, when the client goes silent):
   * it fails with the signal's reason, nothing is kept, and the rest of the body is not
   * waited for.
   */
  signal?: AbortSignal;
}

export interface ReceivedUpload {
  key: string;
  bytes: number;
  type: SniffedType;
  /** The name the client gave the file, for display only (never used as a path). */
  fileName: string | null;
  /** The form's other (text) fields, e.g. `name`. */
  fields: Record<string, string>;
}

/** Room for the multipart boundaries and the small text fields around the file. */
const ENVELOPE_BYTES = 64 * 1024;
const MAX_FIELDS = 20;
const MAX_FIELD_BYTES = 4 * 1024;
/** Bytes `file-type` reads to recognise every type it knows. */
const SNIFF_BYTES = 4100;

/**
 * Reads a `multipart/form-data` body as a stream and stores its `file` field: the type is
 * checked on the first bytes (415 unless allowed), the size while it streams (413 past
 * `maxBytes`), and the bytes go straight to `storage.put`, never whole in memory. A body
 * refused for its type or size, cut off by the client or by `signal`, or empty leaves no
 * object behind. Errors are domain errors (`tooLarge`, `unsupportedType`, `invalid`, or the
 * signal's reason, e.g. `requestTimeout`): thrown from a route,
 * the app answers them in the hub's error shape. Authenticate before calling this: nothing
 * is read until then. With Hono on @hono/node-server, `incoming` is `c.env.incoming`.
 */
export async function receiveUpload(
  incoming: IncomingMessage,
  options: UploadOptions,
): Promise<ReceivedUpload> {
  const { signal } = options;
  signal?.throwIfAborted();
  const contentType = incoming.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    await discardRest(incoming, signal);
    throw unsupportedType(
      `Send the file as multipart/form-data in the field "${options.field ?? 'file'}"`,
      { field: options.field ?? 'file' },
    );
  }
  // A declared length far past the limit is refused before a byte is read.
  const declared = Number(incoming.headers['content-length']);
  if (Number.isSafeInteger(declared) && declared > options.maxBytes + ENVELOPE_BYTES) {
    await discardRest(incoming, signal);
    throw tooLargeError(options.maxBytes);
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: incoming.headers,
      limits: { files: 1, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, parts: MAX_FIELDS + 1 },
    });
  } catch (error) {
    throw invalid(`Malformed multipart body: ${(error as Error).message}`);
  }
  const stop = async () => {
    incoming.unpipe(parser);
    parser.removeAllListeners('close');
    await discardRest(incoming, signal);
  };
  const upload = new UploadState(options, stop);
  parser.on('field', (name, value, info) => {
    if (info.valueTruncated) upload.failParse(invalid(`The field "${name}" is too long`));
    else upload.fields[name] = value;
  });
  parser.on('file', (name, file, info) =>
    upload.onFile({ name, file, fileName: info.filename ?? '' }),
  );
  parser.on('filesLimit', () => upload.failParse(invalid('Send one file per upload')));
  parser.on('close', () => upload.onParsed());
  // A client that goes away (or a malformed body) fails the parse; the file stream is
  // failed with it, which fails the put: nothing is stored. Not `pipeline`: it would
  // destroy the request's socket on a parse error, and with it the error's answer.
  parser.on('error', (error: Error) => upload.failParse(abortedOrMalformed(error)));
  incoming.on('error', (error) => upload.failParse(abortedOrMalformed(error)));
  incoming.on('close', () => {
    if (!incoming.complete) upload.failParse(abortedOrMalformed(new Error('the client went away')));
  });
  signal?.addEventListener('abort', () => upload.failParse(signal.reason), { once: true });
  incoming.pipe(parser);
  // Only where storage copies each chunk and lets it go: S3's multipart upload keeps chunks
  // until a 5 MB part is full, and young GCs meanwhile would promote them instead.
  if (options.storage.kind === 'filesystem') collectBodyBuffersWhileReading(incoming);
  return upload.outcome;
}

/** The most of a refused body read (and dropped) so the client is still listening for the answer. */
const DISCARD_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * A refusal (413, 415) sent while the client is still writing would reach it as a broken
 * pipe, not as the answer: the rest of the body, up to `DISCARD_LIMIT_BYTES`, is read and
 * dropped first, which also keeps the connection reusable. Past that (or when the client
 * has gone, or `signal` is aborted: the client went silent) the answer goes out at once and
 * the app closes the connection. Exported for `uploadRoute`'s own refusal (too many uploads
 * in flight).
 */
export async function discardRest(incoming: IncomingMessage, signal?: AbortSignal): Promise<void> {
  if (incoming.complete || incoming.destroyed || signal?.aborted) return;
  const declared = Number(incoming.headers['content-length']);
  const already = incoming.socket?.bytesRead ?? 0;
  if (Number.isSafeInteger(declared) && declared - already > DISCARD_LIMIT_BYTES) return;
  await new Promise<void>((resolve) => {
    let dropped = 0;
    const done = () => {
      incoming.off('data', count);
      incoming.off('end', done);
      incoming.off('close', done);
      signal?.removeEventListener('abort', done);
      incoming.pause();
      resolve();
    };
    const count = (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > DISCARD_LIMIT_BYTES) done();
    };
    incoming.on('data', count);
    incoming.once('end', done);
    incoming.once('close', done);
    signal?.addEventListener('abort', done, { once: true });
    incoming.resume();
  });
}

const ignoreHere = () => {};

const tooLargeError = (maxBytes: number) =>
  tooLarge(`The file is larger than the limit of ${maxBytes} bytes`, { field: 'file' });

function abortedOrMalformed(error: Error) {
  if ('reason' in error) return error;
  return invalid(`The upload did not complete: ${error.message}`, { field: 'file' });
}

/**
 * One upload in flight. The file's put and the parser's end both decide the outcome: a
 * refused or failed put answers at once (reading stops there); a stored file is kept only
 * once the whole form parsed, and removed again if the form then fails.
 */
class UploadState {
  readonly fields: Record<string, string> = {};
  readonly outcome: Promise<ReceivedUpload>;
  private resolve!: (upload: ReceivedUpload) => void;
  private reject!: (error: unknown) => void;
  private file: Readable | null = null;
  private stored: Omit<ReceivedUpload, 'fields'> | null = null;
  private storing = false;
  private parsed = false;
  private settled = false;
  private parseFailure: unknown = null;

  private readonly options: UploadOptions;
  private readonly stop: () => Promise<void>;

  constructor(options: UploadOptions, stop: () => Promise<void>) {
    this.options = options;
    this.stop = stop;
    this.outcome = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  onFile(part: { name: string; file: Readable; fileName: string }): void {
    const field = this.options.field ?? 'file';
    if (part.name !== field || this.storing) {
      part.file.resume();
      this.failParse(invalid(`Unexpected file field "${part.name}"; send the file as "${field}"`));
      return;
    }
    this.storing = true;
    this.file = part.file;
    this.store(part).then(
      (stored) => {
        this.stored = stored;
        this.decide();
      },
      (error: unknown) => this.settle(() => this.reject(this.parseFailure ?? error)),
    );
  }

  onParsed(): void {
    this.parsed = true;
    if (!this.storing) {
      const field = this.options.field ?? 'file';
      this.parseFailure ??= invalid(`No file in the field "${field}"`, { field });
    }
    this.decide();
  }

  failParse(error: unknown): void {
    this.parseFailure ??= error;
    const file = this.file;
    // A put still reading fails with the form, and its failure settles the upload.
    if (file && !this.stored) file.destroy(error as Error);
    else this.decide(true);
  }

  private decide(parseEnded = false): void {
    if (!this.parsed && !parseEnded) return;
    if (this.storing && !this.stored && this.parseFailure === null) return;
    if (this.parseFailure !== null) {
      const stored = this.stored;
      const failure = this.parseFailure;
      this.settle(() => {
        if (!stored) return this.reject(failure);
        void this.options.storage
          .delete(stored.key)
          .catch(() => undefined)
          .then(() => this.reject(failure));
      });
      return;
    }
    const stored = this.stored;
    if (stored) this.settle(() => this.resolve({ ...stored, fields: this.fields }));
  }

  private settle(answer: () => void): void {
    if (this.settled) return;
    this.settled = true;
    void this.stop().then(answer);
  }

  private async store(part: {
    file: Readable;
    fileName: string;
  }): Promise<Omit<ReceivedUpload, 'fields'>> {
    const { file } = part;
    // Between reads, busboy's stream can be failed (a client gone, a malformed form) while
    // nothing of ours is reading it (storage may still be preparing its target); an
    // 'error' with no listener would end the process. The failure reaches the put through
    // the stream's destroyed state, and the upload through `parseFailure`.
    file.on('error', ignoreHere);
    try {
      return await this.storeFile(part);
    } finally {
      file.off('error', ignoreHere);
    }
  }

  private async storeFile(part: {
    file: Readable;
    fileName: string;
  }): Promise<Omit<ReceivedUpload, 'fields'>> {
    const { options } = this;
    const { file } = part;
    // The first bytes decide the type; they are put back in front of the rest, and the
    // stream itself is piped to storage, which hands each chunk on as busboy pushes it.
    // Only the head goes through an async iterator (stopped without destroying the
    // stream): iterating the whole file cost every chunk a paused-mode 'readable' round
    // and several promise turns, and `read()` joins (copies) whatever is buffered when
    // more than one chunk waits (docs/architecture.md, "Upload door").
    const head: Buffer[] = [];
    let headBytes = 0;
    let ended = true;
    for await (const chunk of file.iterator({ destroyOnReturn: false })) {
      head.push(chunk as Buffer);
      headBytes += (chunk as Buffer).length;
      if (headBytes >= SNIFF_BYTES) {
        ended = false;
        break;
      }
    }
    if (headBytes === 0) {
      throw invalid('The file is empty', { reason: 'EMPTY_FILE', field: options.field ?? 'file' });
    }
    const first = Buffer.concat(head);
    // Put back before anything awaits: when the whole file came in one read, the stream's
    // 'end' is due on the next tick, and a head put back after it would be lost.
    if (!ended) file.unshift(first);
    const detected = await fileTypeFromBuffer(first);
    const allowed = options.allowed ?? AUDIO_VIDEO_EXTENSIONS;
    if (!detected || !allowed.includes(detected.ext)) {
      file.destroy();
      throw unsupportedType(
        `The file's content is ${detected ? `${detected.mime} (.${detected.ext})` : 'not a recognised type'}; accepted: ${allowed.join(', ')}`,
        { field: options.field ?? 'file' },
      );
    }
    const type = { ext: detected.ext, mime: detected.mime };
    const key = options.keyFor(type);
    try {
      const { bytes } = await options.storage.put(key, ended ? Readable.from([first]) : file, {
        maxBytes: options.maxBytes,
        contentType: type.mime,
      });
      return { key, bytes, type, fileName: part.fileName || null };
    } catch (error) {
      file.destroy();
      if (error instanceof Error && 'reason' in error && error.reason === 'PAYLOAD_TOO_LARGE') {
        throw tooLargeError(options.maxBytes);
      }
      throw error;
    }
  }
}
