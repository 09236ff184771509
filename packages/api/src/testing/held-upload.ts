import { type ClientRequest, request as httpRequest } from 'node:http';
import { buffer } from 'node:stream/consumers';

/** An upload door's answer as a test reads it: a 201's body or an error's. */
export interface UploadAnswer {
  status: number;
  retryAfter: string | null;
  /** `close` when the server ends the connection after this answer. */
  connection: string | null;
  body: {
    id?: string;
    error?: { code: string; reason: string; message: string; requestId: string };
  };
}

export interface HeldUpload {
  req: ClientRequest;
  answer: Promise<UploadAnswer>;
  /** Settles once the connection is closed, by either side. */
  closed: Promise<void>;
  /** The form's bytes before the file's. */
  head: Buffer;
  /** The form's bytes after the file's. */
  tail: Buffer;
  /** Sends the form's head and the first half of the file. */
  start(): void;
  /** Sends the rest of the file and the form's end. */
  finish(): void;
}

/**
 * A multipart upload of `file` written by hand (declared `Content-Length`, the global
 * keep-alive agent), so a test can stop half-way (`start`, then `finish` or nothing), or
 * send `head`, the file and `tail` in pieces of its own.
 */
export function heldUpload(options: {
  url: string;
  token: string;
  file: Buffer;
  contentType?: string;
}): HeldUpload {
  const { file } = options;
  const boundary = 'phoenixheldboundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="held.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const req = httpRequest(options.url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${options.token}`,
      'content-type': options.contentType ?? `multipart/form-data; boundary=${boundary}`,
      'content-length': String(head.length + file.length + tail.length),
    },
  });
  req.on('error', () => undefined);
  const closed = new Promise<void>((resolve) =>
    req.on('socket', (socket) => socket.once('close', () => resolve())),
  );
  const answer = new Promise<UploadAnswer>((resolve, reject) =>
    req.on('response', (res) => {
      buffer(res).then(
        (b) =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'] ?? null,
            connection: res.headers.connection ?? null,
            body: JSON.parse(b.toString()) as UploadAnswer['body'],
          }),
        reject,
      );
    }),
  );
  const half = Math.floor(file.length / 2);
  return {
    req,
    answer,
    closed,
    head,
    tail,
    start: () => req.write(Buffer.concat([head, file.subarray(0, half)])),
    finish: () => req.end(Buffer.concat([file.subarray(half), tail])),
  };
}
