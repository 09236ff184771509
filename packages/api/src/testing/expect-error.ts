import { getErrorDetails } from '@phoenix/sdk';
import { expect } from 'vitest';

/** Awaits a call that must fail and returns the hub's error details for further checks. */
export async function expectPhoenixError(
  call: Promise<unknown>,
  expected: { code: string; reason?: string; field?: string },
) {
  const error = await call.then(
    () => {
      throw new Error(`expected ${expected.code} but the call succeeded`);
    },
    (e: unknown) => e,
  );
  const details = getErrorDetails(error);
  expect(details, String(error)).toBeDefined();
  expect(details?.code).toBe(expected.code);
  if (expected.reason) expect(details?.reason).toBe(expected.reason);
  if (expected.field) expect(details?.fieldErrors?.map((f) => f.path)).toContain(expected.field);
  return details as NonNullable<typeof details>;
}
