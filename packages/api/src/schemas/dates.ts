import { z } from 'zod';

/**
 * The dates the product accepts: years 1900 to 9999. Postgres holds far more (4713 BC to
 * 294276 AD), JavaScript less at the top (275760 AD), and neither extreme means anything
 * for a meditation session or an audit filter; a bound also keeps `YYYY-MM-DD` four digits.
 */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 9999;
const MIN_DATE = new Date(Date.UTC(MIN_YEAR, 0, 1));
const MAX_DATE = new Date(Date.UTC(MAX_YEAR, 11, 31, 23, 59, 59, 999));
const RANGE = `between the years ${MIN_YEAR} and ${MAX_YEAR}`;

/** A point in time (a `timestamptz`), within the years the product accepts. */
export function dateTime() {
  return z
    .date({ error: 'expected a date' })
    .min(MIN_DATE, { error: `expected a date ${RANGE}` })
    .max(MAX_DATE, { error: `expected a date ${RANGE}` });
}

/** A calendar day `YYYY-MM-DD` (a Postgres `date`); zod refuses days that do not exist, e.g. 2026-02-30. */
export function calendarDate() {
  return z.iso
    .date({ error: 'expected a date as YYYY-MM-DD' })
    .refine((value) => Number(value.slice(0, 4)) >= MIN_YEAR, { error: `expected a day ${RANGE}` });
}
