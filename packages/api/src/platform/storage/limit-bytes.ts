import { Transform } from 'node:stream';
import { tooLarge } from '@phoenix/errors';

/** A pass-through that counts bytes and fails with `PAYLOAD_TOO_LARGE` past `maxBytes`. */
export function limitBytes(maxBytes = Number.POSITIVE_INFINITY): {
  stream: Transform;
  bytes: () => number;
} {
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        done(tooLarge(`The file is larger than the limit of ${maxBytes} bytes`));
        return;
      }
      done(null, chunk);
    },
  });
  return { stream, bytes: () => bytes };
}
