import type { Config } from '@phoenix/config';
import { type DestinationStream, pino } from 'pino';

/** Structured JSON logs; secrets in known places are redacted before they are written. */
export function createLogger(config: Pick<Config, 'log'>, destination?: DestinationStream) {
  return pino(
    {
      level: config.log.level,
      base: { service: 'phoenix-hub' },
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'headers.authorization',
          'headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    // Asynchronous writes: a log line must not cost a blocking syscall on the request path.
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
