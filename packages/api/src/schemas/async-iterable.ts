import { z } from 'zod';

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value !== null && typeof value === 'object' && Symbol.asyncIterator in value;
}

/**
 * Output validation for a subscription: every yielded value is parsed like any other
 * procedure's output, so a stream can never leak a field its schema does not name.
 * (The shape tRPC's subscription guide recommends.) Leaving early returns the source.
 */
export function asyncIterableOf<Schema extends z.ZodType>(item: Schema) {
  return z
    .custom<AsyncIterable<z.input<Schema>>>(isAsyncIterable)
    .transform(async function* (source): AsyncGenerator<z.output<Schema>, void, unknown> {
      for await (const value of source) yield await item.parseAsync(value);
    });
}
