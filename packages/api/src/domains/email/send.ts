import type { Database, Kysely } from '@phoenix/db';
import { z } from 'zod';
import type { AppDeps } from '../../context.ts';
import { defineJob } from '../../platform/jobs/index.ts';
import { hasConsent } from '../consents/index.ts';
import { defaultTemplates, type TemplateSource } from './defaults.ts';
import { renderTemplate } from './render.ts';
import { addTracking, trackingKey } from './tracking.ts';
import {
  isMarketing,
  LOCALES,
  type Locale,
  type QueuedVariables,
  sendTimeKeys,
  TRIGGERS,
  type Trigger,
  triggers,
} from './triggers.ts';

type Deps = Pick<AppDeps, 'jobs'>;

const sendPayload = z.object({
  logId: z.uuid(),
  trigger: z.enum(TRIGGERS),
  locale: z.enum(LOCALES),
  to: z.string(),
  variables: z.record(z.string(), z.unknown()),
  /** A test send: every variable is sample data, none is issued at send time. */
  sample: z.boolean().optional(),
});

/**
 * Renders and sends one queued email. An SMTP failure fails the job, which pg-boss retries
 * with backoff (from JOBS_RETRY_DELAY_SECONDS, doubling); each failure is written on the
 * log row, and the last leaves it `failed`.
 */
export const sendEmailJob = defineJob({
  name: 'email.send',
  payload: sendPayload,
  retry: { limit: 4 },
  handler: (deps, payload, run) => deliver(deps, payload, run.retryCount),
});

export const localeOf = (value: string | null | undefined): Locale =>
  LOCALES.find((locale) => value?.toLowerCase().startsWith(locale)) ?? 'en';

export function publicBaseUrl(config: AppDeps['config']): string {
  return (config.http.publicUrl ?? `http://${config.http.host}:${config.http.port}`).replace(
    /\/$/,
    '',
  );
}

/**
 * Queues an email in `db` (the transaction of what caused it, when there is one): a log row
 * `queued` and the job that sends it. The job's payload carries the variables (never a
 * secret: those are `SEND_TIME_VARIABLES`, issued by the send job), so a reset
 * code is never stored in the log.
 */
export async function queueEmail<T extends Trigger>(
  deps: Deps,
  db: Kysely<Database>,
  email: {
    trigger: T;
    to: string;
    userId: string | null;
    locale: string | null;
    variables: QueuedVariables<T>;
    /** The domain event this email answers: queued once per event, however often it is delivered. */
    eventId?: string;
  },
): Promise<string | null> {
  return queue(deps, db, { ...email, sample: false });
}

/** Queues a test send of a trigger's template, filled with its sample data only. */
export async function queueSampleEmail(
  deps: Deps,
  db: Kysely<Database>,
  email: { trigger: Trigger; to: string; userId: string; locale: string },
): Promise<string> {
  const logId = await queue(deps, db, {
    ...email,
    variables: triggers[email.trigger].sample,
    sample: true,
  });
  // Only an event id can make a queued email a duplicate, and a test send has none.
  if (logId === null) throw new Error('a test email was not queued');
  return logId;
}

async function queue(
  deps: Deps,
  db: Kysely<Database>,
  email: {
    trigger: Trigger;
    to: string;
    userId: string | null;
    locale: string | null;
    variables: object;
    eventId?: string;
    sample: boolean;
  },
): Promise<string | null> {
  const locale = localeOf(email.locale);
  const sendTime = email.sample ? [] : sendTimeKeys(email.trigger);
  const queued = Object.entries((triggers[email.trigger].variables as z.ZodObject).shape).filter(
    ([key]) => !sendTime.includes(key),
  );
  const variables = z.object(Object.fromEntries(queued)).parse(email.variables) as Record<
    string,
    unknown
  >;
  // Marketing needs the recipient's consent, read in the caller's transaction: no row, no job.
  if (
    !email.sample &&
    isMarketing(email.trigger) &&
    !(email.userId && (await hasConsent(db, email.userId, 'marketing_email')))
  ) {
    return null;
  }
  const log = await db
    .insertInto('emailLogs')
    .values({
      trigger: email.trigger,
      locale,
      userId: email.userId,
      toEmail: email.to,
      eventId: email.eventId ?? null,
    })
    .onConflict((conflict) => conflict.column('eventId').doNothing())
    .returning('id')
    .executeTakeFirst();
  // Already queued for this event (a redelivery): nothing more to send.
  if (!log) return null;
  await deps.jobs.send(
    sendEmailJob,
    {
      logId: log.id,
      trigger: email.trigger,
      locale,
      to: email.to,
      variables,
      ...(email.sample ? { sample: true } : {}),
    },
    { db },
  );
  return log.id;
}

async function templateFor(
  db: Kysely<Database>,
  trigger: Trigger,
  locale: Locale,
): Promise<TemplateSource> {
  const rows = await db
    .selectFrom('emailTemplates')
    .select(['locale', 'subject', 'html', 'text'])
    .where('trigger', '=', trigger)
    .where('locale', 'in', [locale, 'en'])
    .execute();
  return (
    rows.find((row) => row.locale === locale) ??
    rows.find((row) => row.locale === 'en') ??
    defaultTemplates[trigger][locale]
  );
}

/**
 * The variables issued as the email goes out (`SEND_TIME_VARIABLES`): a password reset's
 * single-use code is created here, so it exists only in the email itself (and, hashed, in
 * the database). A retried send issues a fresh code; an undelivered one is never usable.
 */
async function sendTimeVariables(
  deps: AppDeps,
  trigger: Trigger,
  userId: string | null,
): Promise<Record<string, unknown>> {
  if (trigger !== 'password_reset' || !userId) return {};
  const { token, expiresAt } = await deps.auth.resetTokens.issue(userId);
  const base = deps.config.http.publicUrl ?? '';
  return {
    token,
    resetUrl: base ? `${base}/reset-password?token=${encodeURIComponent(token)}` : '',
    expiresInMinutes: Math.round((expiresAt.getTime() - Date.now()) / 60_000),
  };
}

async function deliver(
  deps: AppDeps,
  payload: z.output<typeof sendPayload>,
  retryCount: number,
): Promise<void> {
  const log = await deps.db
    .selectFrom('emailLogs')
    .select(['status', 'userId'])
    .where('id', '=', payload.logId)
    .executeTakeFirst();
  // Sent already (a job redelivered after the send): never send twice knowingly.
  if (!log || log.status === 'sent') return;
  const rendered = renderTemplate(
    payload.trigger,
    await templateFor(deps.db, payload.trigger, payload.locale),
    payload.sample
      ? payload.variables
      : { ...payload.variables, ...(await sendTimeVariables(deps, payload.trigger, log.userId)) },
  );
  const html = triggers[payload.trigger].tracked
    ? addTracking(rendered.html, {
        key: trackingKey(deps.config.email.trackingSecret),
        logId: payload.logId,
        baseUrl: publicBaseUrl(deps.config),
      })
    : rendered.html;
  try {
    const receipt = await deps.mailer.send({
      to: payload.to,
      subject: rendered.subject,
      text: rendered.text,
      html,
    });
    await deps.db
      .updateTable('emailLogs')
      .set((eb) => ({
        status: 'sent',
        subject: rendered.subject,
        smtpResponse: receipt.response.slice(0, 1000),
        error: null,
        attempts: eb('attempts', '+', 1),
        sentAt: new Date(),
      }))
      .where('id', '=', payload.logId)
      .execute();
    deps.metrics.emailsSent.inc({ outcome: 'sent' });
  } catch (error) {
    const smtp = error as { response?: string; message?: string };
    const lastTry = retryCount >= deps.jobs.retryPolicy(sendEmailJob).limit;
    await deps.db
      .updateTable('emailLogs')
      .set((eb) => ({
        status: lastTry ? 'failed' : 'queued',
        subject: rendered.subject,
        smtpResponse: smtp.response?.slice(0, 1000) ?? null,
        error: String(smtp.message ?? error).slice(0, 1000),
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', '=', payload.logId)
      .execute();
    deps.metrics.emailsSent.inc({ outcome: 'failed' });
    throw error;
  }
}
