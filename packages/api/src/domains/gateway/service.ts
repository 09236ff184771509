import type { AppDeps } from '../../context.ts';
import { type ChatInput, type ChatResult, chatInput } from './schemas.ts';

type Deps = Pick<AppDeps, 'db' | 'kv' | 'gateway' | 'config' | 'log'>;

/** Who pays for a call: always the authenticated caller, never an id from the input. */
export interface Payer {
  userId: string;
  apiKeyId: string | null;
  tier: 'FREE' | 'PREMIUM';
}

/**
 * One chat completion through the gateway on behalf of a user: every product domain
 * asks here, never a provider directly.
 */
export async function completeChat(
  deps: Deps,
  payer: Payer,
  rawInput: ChatInput,
): Promise<ChatResult> {
  const input = chatInput.parse(rawInput);
  const { result } = await deps.gateway.router.chat(input.route, {
    messages: input.messages,
    maxTokens: input.maxTokens,
    ...(input.temperature === undefined ? {} : { temperature: input.temperature }),
  });
  deps.log.debug({ userId: payer.userId, provider: result.provider }, 'gateway call');
  return {
    text: result.text,
    provider: result.provider,
    model: result.model,
    usage: result.usage,
    finishReason: result.finishReason,
    creditsCharged: 0,
    cached: false,
    requestId: crypto.randomUUID(),
  };
}
