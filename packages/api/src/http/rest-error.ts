import { z } from 'zod';
import type { PhoenixErrorData, PhoenixErrorShape } from '../errors/shape.ts';

/** Where the REST door is mounted. */
export const REST_PATH = '/api';

/**
 * An error over REST: the fields of the hub's tRPC error shape, as plain JSON, with the
 * code by name (`BAD_REQUEST`) where tRPC puts a JSON-RPC number.
 */
export function restErrorBody(shape: Pick<PhoenixErrorShape, 'message' | 'data'>): {
  message: string;
  code: PhoenixErrorData['code'];
  data: PhoenixErrorData;
} {
  return { message: shape.message, code: shape.data.code, data: shape.data };
}

/** The same body for the OpenAPI document, so generated clients type their errors. */
export const restErrorSchema = z
  .object({
    message: z.string(),
    code: z.string().meta({ description: 'tRPC error code, e.g. BAD_REQUEST' }),
    data: z.object({
      code: z.string(),
      httpStatus: z.int(),
      path: z.string().nullable(),
      requestId: z.string().nullable(),
      reason: z
        .string()
        .nullable()
        .meta({ description: 'Stable machine-readable reason, e.g. EMAIL_TAKEN' }),
      fieldErrors: z.array(z.object({ path: z.string(), message: z.string() })).nullable(),
      retryAfterSeconds: z.int().nullable(),
    }),
  })
  .meta({ id: 'Error' });
