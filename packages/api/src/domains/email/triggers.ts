import { z } from 'zod';

export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

/**
 * What each trigger gives its templates. A template may use these names and no other
 * (checked when saved); `sample` fills `sendTest`.
 */
export const triggers = {
  welcome: {
    variables: z.object({ displayName: z.string(), email: z.string(), appUrl: z.string() }),
    sample: { displayName: 'Ada', email: 'ada@example.com', appUrl: 'https://phoenix.example' },
    /** Tracked: opens and clicks are recorded. */
    tracked: true,
  },
  password_reset: {
    variables: z.object({
      displayName: z.string(),
      token: z.string(),
      resetUrl: z.string(),
      expiresInMinutes: z.int(),
    }),
    sample: {
      displayName: 'Ada',
      token: 'sample-token',
      resetUrl: 'https://phoenix.example/reset-password?token=sample-token',
      expiresInMinutes: 30,
    },
    // Never tracked: a tracked link would carry the reset token through our logs.
    tracked: false,
  },
  credits_low: {
    variables: z.object({
      displayName: z.string(),
      balance: z.int(),
      threshold: z.int(),
      appUrl: z.string(),
    }),
    sample: { displayName: 'Ada', balance: 90, threshold: 100, appUrl: 'https://phoenix.example' },
    tracked: true,
  },
  subscription_changed: {
    variables: z.object({
      displayName: z.string(),
      tier: z.string(),
      previousTier: z.string(),
      appUrl: z.string(),
    }),
    sample: {
      displayName: 'Ada',
      tier: 'PREMIUM',
      previousTier: 'FREE',
      appUrl: 'https://phoenix.example',
    },
    tracked: true,
  },
  product_news: {
    variables: z.object({ displayName: z.string(), headline: z.string(), appUrl: z.string() }),
    sample: {
      displayName: 'Ada',
      headline: 'Luna now speaks French',
      appUrl: 'https://phoenix.example',
    },
    tracked: true,
    /** Marketing: sent only to users who consented (`gdpr.consents`, `marketing_email`). */
    marketing: true,
  },
  gdpr_export_ready: {
    variables: z.object({
      displayName: z.string(),
      downloadUrl: z.string(),
      expiresAt: z.string(),
    }),
    sample: {
      displayName: 'Ada',
      downloadUrl: 'https://phoenix.example/gdpr/download/sample',
      expiresAt: '2026-12-01T00:00:00.000Z',
    },
    // Never tracked: the link is a credential to the archive.
    tracked: false,
  },
  gdpr_export_failed: {
    variables: z.object({ displayName: z.string(), appUrl: z.string() }),
    sample: { displayName: 'Ada', appUrl: 'https://phoenix.example' },
    tracked: false,
  },
  gdpr_erasure_scheduled: {
    variables: z.object({ displayName: z.string(), erasesAt: z.string(), appUrl: z.string() }),
    sample: {
      displayName: 'Ada',
      erasesAt: '2026-12-01T00:00:00.000Z',
      appUrl: 'https://phoenix.example',
    },
    tracked: false,
  },
} as const;

/** Marketing triggers need the recipient's `marketing_email` consent; the others are service messages. */
export function isMarketing(trigger: Trigger): boolean {
  return 'marketing' in triggers[trigger];
}

export type Trigger = keyof typeof triggers;
export const TRIGGERS = Object.keys(triggers) as [Trigger, ...Trigger[]];
export type TriggerVariables<T extends Trigger> = z.input<(typeof triggers)[T]['variables']>;

/**
 * Variables the hub fills when the email is sent, never when it is queued: a reset code
 * must not wait in a job payload (pg-boss keeps payloads for days, and `admin.jobs.get`
 * shows them), so the send job issues it.
 */
export const SEND_TIME_VARIABLES = {
  password_reset: ['token', 'resetUrl', 'expiresInMinutes'],
} as const satisfies Partial<Record<Trigger, readonly string[]>>;

type SendTimeKey<T extends Trigger> = T extends keyof typeof SEND_TIME_VARIABLES
  ? (typeof SEND_TIME_VARIABLES)[T][number]
  : never;

/** What a caller gives when queueing: the trigger's variables less the send-time ones. */
export type QueuedVariables<T extends Trigger> = Omit<TriggerVariables<T>, SendTimeKey<T>>;

/**
 * Variables that carry a secret: they may not appear in a subject (kept in the email log),
 * nor inside an HTML tag (an `<img src>` or a `<link>` would send the secret to another
 * host the moment the email is opened), nor in `<style>` or `<script>`. The one place a
 * secret URL may sit in a tag is a whole `href="..."`, and only the hub-made URL may.
 */
export const SECRET_VARIABLES = {
  password_reset: { anywhereInText: ['token', 'resetUrl'], asWholeHref: ['resetUrl'] },
  // The signed link opens the user's whole archive for days.
  gdpr_export_ready: { anywhereInText: ['downloadUrl'], asWholeHref: ['downloadUrl'] },
} as const satisfies Partial<
  Record<Trigger, { anywhereInText: readonly string[]; asWholeHref: readonly string[] }>
>;

/** The secret variables of `trigger`'s emails, if it has any. */
export function secretRulesOf(
  trigger: Trigger,
): { anywhereInText: readonly string[]; asWholeHref: readonly string[] } | undefined {
  return (
    SECRET_VARIABLES as Partial<
      Record<Trigger, (typeof SECRET_VARIABLES)[keyof typeof SECRET_VARIABLES]>
    >
  )[trigger];
}

export function sendTimeKeys(trigger: Trigger): readonly string[] {
  return (SEND_TIME_VARIABLES as Partial<Record<Trigger, readonly string[]>>)[trigger] ?? [];
}

export function variableNames(trigger: Trigger): string[] {
  return Object.keys(triggers[trigger].variables.shape);
}
