import { z } from 'zod';
import { POSTGRES_TIME_ZONES } from './pg-time-zones.ts';

function knownToIntl(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Lower-cased name -> the spelling Postgres lists; only names this Node's ICU knows too. */
const ZONES = new Map(
  POSTGRES_TIME_ZONES.filter(knownToIntl).map((name) => [name.toLowerCase(), name] as const),
);

/** Every zone the hub accepts, in the spelling it stores. */
export const acceptedTimeZones = (): string[] => [...ZONES.values()];

// `+14:00`, `-0530`, `UTC+3`, `GMT-12`: Intl reads these as offsets, Postgres as POSIX
// zones whose sign is reversed, so "today" would differ by a day between the two.
const OFFSET = /^(?:utc|gmt)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i;

function refusal(value: string): string {
  const offset = OFFSET.exec(value.trim());
  if (offset) {
    const [, sign, hours, minutes] = offset;
    const whole = !minutes || minutes === '00';
    // Etc/GMT zones count the other way round: UTC+14 is Etc/GMT-14.
    const etc = `Etc/GMT${sign === '+' ? '-' : '+'}${Number(hours)}`;
    return whole && ZONES.has(etc.toLowerCase())
      ? `UTC offsets are not time zones: use a city such as Pacific/Kiritimati, or ${etc} for a fixed UTC${sign}${Number(hours)}`
      : 'UTC offsets are not time zones: use the IANA name of a city in that zone';
  }
  return 'expected an IANA time zone such as Europe/Paris';
}

/**
 * A time zone both ICU and Postgres know (see pg-time-zones.ts), matched case-insensitively
 * and stored in Postgres's spelling. Offsets are refused, not normalised: a fixed offset
 * ignores daylight saving, which is rarely what the person meant.
 */
export function timeZone() {
  return z
    .string()
    .max(64)
    .transform((value, ctx) => {
      const name = ZONES.get(value.trim().toLowerCase());
      if (name) return name;
      ctx.issues.push({ code: 'custom', message: refusal(value), input: value });
      return z.NEVER;
    });
}
