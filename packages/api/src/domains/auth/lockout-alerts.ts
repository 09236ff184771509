import type { LocksSet, LoginAttempt } from '@phoenix/auth';
import type { AppDeps } from '../../context.ts';
import { raiseAlert } from '../../platform/alerts.ts';

/**
 * Tells the back office when failed logins set a lock: an address locked for the day is
 * what credential stuffing looks like; an account locked is a guessed password or a
 * forgetful owner. One alert per address (or email) per day. Never fails the login answer.
 */
export async function alertOnLockout(
  deps: Pick<AppDeps, 'db' | 'log'>,
  event: { email: string; ip: string; locks: LocksSet },
): Promise<void> {
  const day = new Date().toISOString().slice(0, 10);
  const email = event.email.trim().toLowerCase();
  const alerts = [
    event.locks.ip &&
      raiseAlert(deps.db, {
        kind: 'auth.ip-locked',
        severity: 'warning',
        title: `Failed logins locked address ${event.ip} for the day`,
        body: `Address ${event.ip} reached the daily limit of failed logins (last tried: ${email}). Logins from it are refused until the lock ends.`,
        dedupeKey: `auth.ip-locked:${event.ip}:${day}`,
      }),
    event.locks.account &&
      raiseAlert(deps.db, {
        kind: 'auth.account-locked',
        severity: 'info',
        title: `Failed logins locked ${email} from ${event.ip}`,
        body: `Consecutive failed logins for ${email} from ${event.ip} locked that pair for a while.`,
        dedupeKey: `auth.account-locked:${email}:${event.ip}:${day}`,
      }),
  ];
  try {
    await Promise.all(alerts);
  } catch (error) {
    deps.log.warn({ err: error }, 'could not raise the login lockout alert');
  }
}

/** Counts a failed password check and tells the back office of any lock it set. */
export async function failAttempt(
  deps: Pick<AppDeps, 'db' | 'log'>,
  attempt: LoginAttempt,
  who: { email: string; ip: string },
): Promise<void> {
  const locks = await attempt.failed();
  await alertOnLockout(deps, { ...who, locks });
}
