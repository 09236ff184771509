import type { RouterOutputs } from '@phoenix/api/client';
import { authHeaders, optionsOf, type PhoenixClient, type PhoenixClientOptions } from './client.ts';

/**
 * What can be uploaded: a `Blob`/`File` (browsers and Node), a path on disk (Node), or a
 * stream of bytes (a Node `Readable`, a web `ReadableStream`, any async iterable).
 */
export type UploadSource = Blob | string | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface UploadProgress {
  /** Bytes of the file handed to the network so far. */
  loaded: number;
  /** The file's size when known (a Blob, a path, or `size` given for a stream). */
  total: number | null;
}

export interface UploadFileOptions {
  /** Where the hub's door listens, e.g. `/champions/upload`. */
  path: `/${string}`;
  /** Text fields sent before the file (e.g. `name`). */
  fields?: Record<string, string>;
  /** The file name the hub is told (display only; the hub checks the content). */
  fileName?: string;
  /** A stream's size, when known: the hub can refuse an oversized file before it is sent. */
  size?: number;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

/** The hub refused an upload (413, 415, 401, ...) or could not be reached with it. */
export class PhoenixUploadError extends Error {
  readonly status: number;
  readonly code: string | null;
  readonly reason: string | null;
  readonly requestId: string | null;
  /**
   * How long the hub asked the caller to wait before trying again (its `Retry-After`), in
   * seconds: set on a 503 `TOO_MANY_UPLOADS`, a 429 rate limit, a store that is down; null
   * when the answer did not say.
   */
  readonly retryAfterSeconds: number | null;
  constructor(
    message: string,
    init: {
      status: number;
      code?: string | null;
      reason?: string | null;
      requestId?: string | null;
      retryAfterSeconds?: number | null;
    },
  ) {
    super(message);
    this.name = 'PhoenixUploadError';
    this.status = init.status;
    this.code = init.code ?? null;
    this.reason = init.reason ?? null;
    this.requestId = init.requestId ?? null;
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
  }
}

/**
 * Posts a file as `multipart/form-data` (the field `file`) to one of the hub's upload
 * doors with the client's credentials, streaming it (never read whole into memory in
 * Node) and reporting progress. Resolves with the door's JSON answer; throws
 * `PhoenixUploadError` with the hub's code and reason otherwise.
 */
export async function uploadFile<T = unknown>(
  target: PhoenixClient | PhoenixClientOptions,
  file: UploadSource,
  options: UploadFileOptions,
): Promise<T> {
  // A client is a proxy that answers any property: look it up before reading `url`.
  const client = optionsOf(target as PhoenixClient) ?? (target as PhoenixClientOptions);
  if (typeof client.url !== 'string') {
    throw new TypeError('uploadFile needs a client made by createPhoenixClient, or its options');
  }
  const url = `${client.url.replace(/\/+$/, '')}${options.path}`;
  const source = await openSource(file, options);
  const boundary = `----phoenix${globalThis.crypto.randomUUID().replaceAll('-', '')}`;
  const encoder = new TextEncoder();
  let head = '';
  for (const [name, value] of Object.entries(options.fields ?? {})) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${value}\r\n`;
  }
  head += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoted(source.name)}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const preamble = encoder.encode(head);
  const epilogue = encoder.encode(`\r\n--${boundary}--\r\n`);
  const headers: Record<string, string> = {
    ...authHeaders(client),
    'content-type': `multipart/form-data; boundary=${boundary}`,
  };
  const total = source.size;
  if (total !== null) {
    headers['content-length'] = String(preamble.length + total + epilogue.length);
  }
  const report = options.onProgress;
  const Xhr = (globalThis as { XMLHttpRequest?: new () => XhrLike }).XMLHttpRequest;
  if (Xhr && file instanceof Blob) {
    // Browsers: only XHR reports upload progress (fetch cannot stream a request body everywhere).
    return viaXhr<T>(new Xhr(), { url, headers, file, options, client, preamble, epilogue });
  }
  let loaded = 0;
  const chunks = source.chunks[Symbol.asyncIterator]();
  let stage: 'head' | 'file' | 'tail' | 'done' = 'head';
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stage === 'head') {
        stage = 'file';
        controller.enqueue(preamble);
        report?.({ loaded, total });
        return;
      }
      if (stage === 'file') {
        const next = await chunks.next();
        if (!next.done) {
          loaded += next.value.byteLength;
          controller.enqueue(next.value);
          report?.({ loaded, total });
          return;
        }
        stage = 'tail';
      }
      if (stage === 'tail') {
        stage = 'done';
        controller.enqueue(epilogue);
        controller.close();
      }
    },
    async cancel() {
      await chunks.return?.();
    },
  });
  const send = client.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const response = await send(url, {
    method: 'POST',
    headers,
    body,
    signal: options.signal ?? null,
    ...(client.credentials ? { credentials: client.credentials } : {}),
    // A streamed request body (Node's fetch and Chromium need it said).
    duplex: 'half',
  } as RequestInit);
  return answerOf<T>(response.status, await response.text(), (name) => response.headers.get(name));
}

export interface UploadChampionOptions {
  /** The champion's name (sent as the form field `name`). */
  name?: string;
  fileName?: string;
  size?: number;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
  /** @internal The door's path; `/champions/upload` (tests point it at a test door). */
  path?: `/${string}`;
}

/** A value as JSON carries it (the upload door answers plain JSON): dates become ISO strings. */
export type AsJson<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? AsJson<U>[]
    : T extends object
      ? { [K in keyof T]: AsJson<T[K]> }
      : T;

/** What `POST /champions/upload` answers: the new champion, as `champions.get` gives it. */
export type UploadedChampion = AsJson<RouterOutputs['champions']['get']>;

/**
 * Uploads a recording (mp3, m4a, wav, ogg, webm, mp4; the hub checks the content) to
 * `POST /champions/upload` with the client's credentials and upload progress:
 * `await uploadChampion(client, './call.mp4', { name: 'Best closer', onProgress })`.
 */
export function uploadChampion<T = UploadedChampion>(
  target: PhoenixClient | PhoenixClientOptions,
  file: UploadSource,
  options: UploadChampionOptions = {},
): Promise<T> {
  const { name, path, ...rest } = options;
  return uploadFile<T>(target, file, {
    ...rest,
    path: path ?? '/champions/upload',
    ...(name === undefined ? {} : { fields: { name } }),
  });
}

/**
 * A file on disk is read (and sent) in 1 MB chunks: each chunk costs fetch a round of
 * promises and a socket write; on loopback to a server that drops the body, fetch sent
 * 510-530 MB/s in 256 KB chunks and 640-750 MB/s in 1 MB ones (docs/architecture.md).
 */
const READ_CHUNK_BYTES = 1024 * 1024;

interface OpenedSource {
  chunks: AsyncIterable<Uint8Array>;
  size: number | null;
  name: string;
}

/** Node's file system, loaded only when a path is given (browsers never reach it). */
interface NodeFs {
  createReadStream(path: string, options: { highWaterMark: number }): AsyncIterable<Uint8Array>;
  promises: { stat(path: string): Promise<{ size: number }> };
}

async function openSource(file: UploadSource, options: UploadFileOptions): Promise<OpenedSource> {
  if (typeof file === 'string') {
    const specifier = 'node:fs';
    const fs = (await import(/* @vite-ignore */ specifier)) as NodeFs;
    const { size } = await fs.promises.stat(file);
    return {
      chunks: fs.createReadStream(file, { highWaterMark: READ_CHUNK_BYTES }),
      size,
      name: options.fileName ?? file.split(/[\\/]/).pop() ?? 'file',
    };
  }
  if (file instanceof Blob) {
    const named = (file as Blob & { name?: string }).name;
    return {
      chunks: iterate(file.stream()),
      size: file.size,
      name: options.fileName ?? named ?? 'file',
    };
  }
  return {
    chunks: file instanceof ReadableStream ? iterate(file) : file,
    size: options.size ?? null,
    name: options.fileName ?? 'file',
  };
}

async function* iterate(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) yield next.value;
  } finally {
    reader.releaseLock();
  }
}

function quoted(value: string): string {
  return value.replace(/["\r\n\\]/g, '_');
}

/**
 * `Retry-After` in seconds: delta-seconds as the hub sends it, or an HTTP-date (`... GMT`,
 * as a proxy may send it) counted from now; null when absent or unreadable.
 */
function retryAfterOf(value: string | null): number | null {
  const trimmed = value?.trim() ?? '';
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = / GMT$/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** The door's answer, or its refusal as `PhoenixUploadError`; `header` reads the answer's headers. */
function answerOf<T>(status: number, text: string, header: (name: string) => string | null): T {
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: a proxy's page; reported below by status.
  }
  if (status >= 200 && status < 300) return json as T;
  const error = (
    json as {
      error?: { code?: string; reason?: string; message?: string; requestId?: string };
    } | null
  )?.error;
  throw new PhoenixUploadError(error?.message ?? `Upload failed with HTTP ${status}`, {
    status,
    code: error?.code ?? null,
    reason: error?.reason ?? null,
    requestId: error?.requestId ?? header('x-request-id'),
    retryAfterSeconds: retryAfterOf(header('retry-after')),
  });
}

/** The part of XMLHttpRequest used here (the SDK's types do not assume a browser). */
interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  withCredentials: boolean;
  upload: {
    onprogress:
      | ((event: { loaded: number; total: number; lengthComputable: boolean }) => void)
      | null;
  };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  status: number;
  responseText: string;
  getResponseHeader(name: string): string | null;
  abort(): void;
  send(body: Blob): void;
}

function viaXhr<T>(
  xhr: XhrLike,
  at: {
    url: string;
    headers: Record<string, string>;
    file: Blob;
    options: UploadFileOptions;
    client: PhoenixClientOptions;
    preamble: Uint8Array;
    epilogue: Uint8Array;
  },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    xhr.open('POST', at.url);
    for (const [name, value] of Object.entries(at.headers)) {
      // The browser sets the length itself and refuses to be told.
      if (name !== 'content-length') xhr.setRequestHeader(name, value);
    }
    xhr.withCredentials = at.client.credentials === 'include';
    const extra = at.preamble.length + at.epilogue.length;
    xhr.upload.onprogress = (event) =>
      at.options.onProgress?.({
        loaded: Math.max(0, Math.min(at.file.size, event.loaded - at.preamble.length)),
        total: event.lengthComputable ? event.total - extra : at.file.size,
      });
    xhr.onload = () => {
      try {
        resolve(answerOf<T>(xhr.status, xhr.responseText, (name) => xhr.getResponseHeader(name)));
      } catch (error) {
        reject(error);
      }
    };
    xhr.onerror = () =>
      reject(new PhoenixUploadError('The upload could not reach the hub', { status: 0 }));
    at.options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.onabort = () => reject(at.options.signal?.reason ?? new Error('Upload aborted'));
    xhr.send(
      new Blob([
        at.preamble as Uint8Array<ArrayBuffer>,
        at.file,
        at.epilogue as Uint8Array<ArrayBuffer>,
      ]),
    );
  });
}
