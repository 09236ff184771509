import { csvField } from './csv.ts';
import type { AuditEntry } from './schemas.ts';
import { COLUMNS } from './service.ts';

type Batches = AsyncGenerator<AuditEntry[], void>;

/**
 * The export's body, fed batch by batch as the client reads. A database error after
 * the first byte errors the stream, which makes the server abort the response (the
 * client sees a truncated transfer, never a clean end that looks complete); nothing
 * here can throw past the stream into the process.
 */
export function exportBody(options: {
  format: 'csv' | 'ndjson';
  /** The first batch, read before the response was sent. */
  first: IteratorResult<AuditEntry[], void>;
  rest: Batches;
  onAbort: (error: unknown) => void;
}): ReadableStream<Uint8Array> {
  const { format, first, rest, onAbort } = options;
  const encoder = new TextEncoder();
  const encode = (rows: AuditEntry[]) =>
    encoder.encode(
      rows
        .map((row) =>
          format === 'csv'
            ? `${COLUMNS.map((column) => csvField(row[column])).join(',')}\r\n`
            : `${JSON.stringify(row)}\n`,
        )
        .join(''),
    );
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (format === 'csv') controller.enqueue(encoder.encode(`${COLUMNS.join(',')}\r\n`));
      if (first.done) controller.close();
      else controller.enqueue(encode(first.value));
    },
    async pull(controller) {
      try {
        const next = await rest.next();
        if (next.done) controller.close();
        else controller.enqueue(encode(next.value));
      } catch (error) {
        onAbort(error);
        controller.error(new Error('audit export aborted: the database failed mid-stream'));
      }
    },
    async cancel() {
      await rest.return(undefined).catch(() => undefined);
    },
  });
}
