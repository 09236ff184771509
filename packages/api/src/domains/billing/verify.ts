import { timingSafeEqual } from 'node:crypto';
import type { PaymentProvider } from '@phoenix/db';
import Stripe from 'stripe';
import { z } from 'zod';
import type { AppDeps } from '../../context.ts';
import { hexSignature } from './providers/fake.ts';

/** Stripe's default and documented tolerance between the signed timestamp and now. */
export const STRIPE_TOLERANCE_SECONDS = 300;

/** A provider event whose signature was checked on the raw body. */
export interface VerifiedEvent {
  provider: PaymentProvider;
  eventId: string;
  type: string;
  /** The provider's timestamp of the event (seconds precision for Stripe and Chargily). */
  createdAt: Date;
  payload: unknown;
}

/** Why a delivery was refused (400, nothing stored). */
export class WebhookRefused extends Error {}

const hmacEvent = z.object({
  id: z.string().min(1).max(200),
  type: z.string().min(1).max(100),
  created_at: z.number().int().nonnegative(),
  data: z.record(z.string(), z.unknown()),
});

/** Hex HMAC-SHA256 of the raw body, compared in constant time (Chargily's scheme). */
function verifyHex(secret: string, body: string, signature: string | null): void {
  if (!signature) throw new WebhookRefused('missing signature header');
  const expected = Buffer.from(hexSignature(secret, body), 'hex');
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new WebhookRefused('signature does not match');
  }
}

function hmacProviderEvent(provider: PaymentProvider, body: string): VerifiedEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new WebhookRefused('body is not JSON');
  }
  const event = hmacEvent.safeParse(parsed);
  if (!event.success) throw new WebhookRefused('not an event');
  return {
    provider,
    eventId: event.data.id,
    type: event.data.type,
    createdAt: new Date(event.data.created_at * 1000),
    payload: parsed,
  };
}

/**
 * Checks a delivery's signature on the raw body before anything parses it, then reads the
 * event. Throws `WebhookRefused` for a missing or wrong signature, a stale Stripe timestamp,
 * an unconfigured provider or a body that is no event.
 */
export function verifyWebhook(
  deps: Pick<AppDeps, 'config' | 'clock'>,
  delivery: { provider: PaymentProvider; body: string; headers: Headers },
): VerifiedEvent {
  const { billing } = deps.config;
  const { provider, body, headers } = delivery;
  switch (provider) {
    case 'stripe': {
      const secret = billing.stripe.webhookSecret;
      if (!secret) throw new WebhookRefused('STRIPE_WEBHOOK_SECRET is not configured');
      const signature = headers.get('stripe-signature');
      if (!signature) throw new WebhookRefused('missing stripe-signature header');
      let event: Stripe.Event;
      try {
        event = Stripe.webhooks.constructEvent(
          body,
          signature,
          secret,
          STRIPE_TOLERANCE_SECONDS,
          undefined,
          deps.clock.now(),
        );
      } catch (error) {
        throw new WebhookRefused(error instanceof Error ? error.message : 'invalid signature');
      }
      return {
        provider,
        eventId: event.id,
        type: event.type,
        createdAt: new Date(event.created * 1000),
        payload: event,
      };
    }
    case 'chargily': {
      const secret = billing.chargily.secretKey;
      if (!secret) throw new WebhookRefused('CHARGILY_SECRET_KEY is not configured');
      verifyHex(secret, body, headers.get('signature'));
      return hmacProviderEvent(provider, body);
    }
    case 'fake': {
      if (!billing.fakeEnabled) throw new WebhookRefused('the fake provider is off');
      verifyHex(billing.fakeWebhookSecret, body, headers.get('signature'));
      return hmacProviderEvent(provider, body);
    }
  }
}
