import type { TestServerOptions } from '../../testing/index.ts';

/**
 * The OpenAI-compatible tests' gateway: an offline default route and an OpenAI route
 * (faked with msw) priced so high that one large call outruns the signup credits.
 */
export const openAiTestEnv: NonNullable<TestServerOptions['env']> = {
  OPENAI_API_KEY: 'sk-test-openai',
  GATEWAY_ROUTES: JSON.stringify({
    'chat.default': [{ provider: 'offline', model: 'phoenix-offline-1' }],
    'chat.upstream': [{ provider: 'openai', model: 'gpt-4o-mini' }],
  }),
  GATEWAY_PRICES: JSON.stringify({ 'openai/gpt-4o-mini': { input: 0, output: 1_000_000 } }),
};
