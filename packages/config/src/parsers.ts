import { z } from 'zod';

/** Comma-separated list; blank entries are dropped so `A,,B` and trailing commas are harmless. */
export const csv = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

export const port = z.coerce
  .number({ error: 'expected a port number' })
  .int('expected an integer port')
  .min(0, 'expected a port between 0 and 65535')
  .max(65535, 'expected a port between 0 and 65535');

export const positiveInt = (fallback: number) =>
  z.coerce
    .number({ error: 'expected a positive integer' })
    .int('expected a positive integer')
    .positive('expected a positive integer')
    .default(fallback);

export const boolean = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const url = (protocols: readonly string[]) =>
  z
    .url({ error: `expected a URL (${protocols.join(' or ')})` })
    .refine((value) => protocols.some((protocol) => value.startsWith(`${protocol}:`)), {
      error: `expected a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

/** Empty strings count as unset: `FOO= node app` must behave like no FOO at all. */
export const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

export const nonNegativeInt = (fallback: number) =>
  z.coerce
    .number({ error: 'expected a non-negative integer' })
    .int('expected a non-negative integer')
    .nonnegative('expected a non-negative integer')
    .default(fallback);

/** A JSON document validated by `schema`; the error says which part is wrong. */
export const json = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((value, ctx) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
