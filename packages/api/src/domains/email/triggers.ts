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
} as const;

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
} as const satisfies Partial<
  Record<Trigger, { anywhereInText: readonly string[]; asWholeHref: readonly string[] }>
>;

export function sendTimeKeys(trigger: Trigger): readonly string[] {
  return (SEND_TIME_VARIABLES as Partial<Record<Trigger, readonly string[]>>)[trigger] ?? [];
}

export function variableNames(trigger: Trigger): string[] {
  return Object.keys(triggers[trigger].variables.shape);
}
