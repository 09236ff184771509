import type { TestServer } from '../../testing/index.ts';

export const OPENAI_URL = 'https://api.openai.com/v1/chat/completions';
export const ANTHROPIC_URL = 'https://api.anthropic.com/v1/messages';

/**
 * A route over OpenAI then Anthropic, priced so bills are exact: one credit per output
 * token on OpenAI, two on Anthropic, prompts free. Each test scripts its own outages, so
 * the breaker (tested in packages/gateway) stays closed.
 */
export const GATEWAY_TEST_ENV = {
  OPENAI_API_KEY: 'sk-test-openai',
  ANTHROPIC_API_KEY: 'sk-ant-test',
  GATEWAY_ROUTES: JSON.stringify({
    'chat.test': [
      { provider: 'openai', model: 'gpt-4o-mini' },
      { provider: 'anthropic', model: 'claude-3-5-haiku-latest' },
    ],
    'chat.solo': [{ provider: 'openai', model: 'gpt-4o-mini' }],
  }),
  GATEWAY_PRICES: JSON.stringify({
    'openai/gpt-4o-mini': { input: 0, output: 1_000_000 },
    'anthropic/claude-3-5-haiku-latest': { input: 0, output: 2_000_000 },
  }),
  GATEWAY_SIGNUP_CREDITS: '1000',
  GATEWAY_BACKOFF_BASE_MS: '5',
  GATEWAY_BREAKER_FAILURE_THRESHOLD: '100000',
  GATEWAY_BREAKER_MIN_REQUESTS: '100000',
  GATEWAY_FREE_REQUESTS_PER_MINUTE: '1000',
};

let registered = 0;

/** A new user with the signup credits, or with `credits` when given. */
export async function gatewayUser(server: TestServer, options: { credits?: number } = {}) {
  const email = `gw-${++registered}-${Date.now()}@example.com`;
  const { token, user } = await server
    .client()
    .auth.register.mutate({ email, password: 'correct horse battery staple', displayName: 'G' });
  if (options.credits !== undefined) {
    await server.deps.db
      .updateTable('creditBalances')
      .set({ balance: options.credits })
      .where('userId', '=', user.id)
      .execute();
  }
  return { id: user.id, token, client: server.client(token) };
}
