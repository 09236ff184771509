import { DomainError, invalid, unavailable } from '@phoenix/errors';
import type { z } from 'zod';
import type { AppDeps } from '../../context.ts';
import { CHAT_MESSAGE_MAX_CHARS, completeChat, type Payer } from '../gateway/index.ts';

export const ANALYZE_ROUTE = 'champion.analyze';
export const ROLEPLAY_ROUTE = 'champion.roleplay';

type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

/** An input larger than one model call takes: no retry can fix it. */
export class InputTooLong extends Error {
  constructor(task: string, chars: number) {
    super(
      `The input of "${task}" is ${chars} characters as sent, more than the ${CHAT_MESSAGE_MAX_CHARS} one model call takes`,
    );
    this.name = 'InputTooLong';
  }
}

/** A model's answer that never matched the structure asked for, after every attempt. */
export class InvalidModelOutput extends Error {
  readonly attempts: number;
  constructor(task: string, attempts: number, problem: string) {
    super(
      `The model's answer to "${task}" did not match the expected structure after ${attempts} attempts (${problem})`,
    );
    this.name = 'InvalidModelOutput';
    this.attempts = attempts;
  }
}

/** The JSON in a model's answer: the whole text, or a fenced block, or the outermost braces. */
export function jsonIn(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text)?.[1];
  const candidates = [text, fenced, text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)];
  for (const candidate of candidates) {
    if (!candidate?.trim()) continue;
    try {
      return JSON.parse(candidate);
    } catch {
      // try the next reading
    }
  }
  throw new SyntaxError('no JSON object in the answer');
}

function problemOf(error: unknown): string {
  if (error instanceof SyntaxError) return error.message;
  const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues ?? [];
  return (
    issues
      .slice(0, 5)
      .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
      .join('; ') || String(error)
  );
}

/**
 * Asks the gateway for JSON matching `schema`. An answer that is not JSON, or does not
 * match, is sent back to the model with what was wrong, up to
 * CHAMPION_STRUCTURED_OUTPUT_ATTEMPTS tries; then InvalidModelOutput. Every try is a
 * billed gateway call (fallback, retries and credits are the gateway's).
 */
export async function askStructured<Schema extends z.ZodType>(
  deps: AppDeps,
  request: {
    payer: Payer;
    task: string;
    system: string;
    input: unknown;
    schema: Schema;
    maxTokens?: number;
    /** Keys each attempt's call (`<key>:<attempt>`): a rerun replays what was paid for. */
    idempotencyKey?: string;
  },
): Promise<z.output<Schema>> {
  const attempts = deps.config.champion.structuredOutputAttempts;
  const messages: ChatMessage[] = [
    { role: 'system', content: `[task:${request.task}]\n${request.system}` },
    { role: 'user', content: JSON.stringify(request.input) },
  ];
  const longest = Math.max(...messages.map((m) => m.content.length));
  if (longest > CHAT_MESSAGE_MAX_CHARS) throw new InputTooLong(request.task, longest);
  let problem = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const ask = {
      route: ANALYZE_ROUTE,
      messages,
      maxTokens: request.maxTokens ?? 2_000,
      temperature: 0,
    };
    const key = request.idempotencyKey && `${request.idempotencyKey}:${attempt}`;
    const answer = await completeChat(
      deps,
      request.payer,
      key ? { ...ask, idempotencyKey: key } : ask,
    ).catch((error: unknown) => {
      // Still pending under this key: the run that made the call stopped mid-call (its
      // call is refunded by the abandoned-call sweep). Ask again, unkeyed.
      if (error instanceof DomainError && error.reason === 'IDEMPOTENCY_IN_PROGRESS') {
        return completeChat(deps, request.payer, ask);
      }
      throw error;
    });
    try {
      return request.schema.parse(jsonIn(answer.text));
    } catch (error) {
      problem = problemOf(error);
      deps.log.warn({ task: request.task, attempt, problem }, 'champion: invalid model output');
      if (answer.text.trim()) {
        messages.push({ role: 'assistant', content: answer.text.slice(0, 20_000) });
      }
      messages.push({
        role: 'user',
        content: `That answer does not match the required JSON structure (${problem}). Answer again with the JSON object only.`,
      });
    }
  }
  throw new InvalidModelOutput(request.task, attempts, problem);
}

/** A model-output failure as the caller's domain error (for calls made inside a request). */
export function asDomainError(error: unknown): unknown {
  if (error instanceof InvalidModelOutput) {
    return unavailable(error.message, { reason: 'INVALID_MODEL_OUTPUT' });
  }
  if (error instanceof InputTooLong) {
    return invalid(error.message, { reason: 'VALIDATION_FAILED' });
  }
  return error;
}
