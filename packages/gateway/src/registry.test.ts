import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTES, routesSchema } from './config.ts';
import { createProviderRegistry } from './registry.ts';

describe('provider registry', () => {
  it('builds keyed providers, reports the others as skipped, and always has offline', () => {
    const registry = createProviderRegistry({ providers: { anthropic: { apiKey: 'sk-ant' } } });
    expect(registry.get('anthropic')?.name).toBe('anthropic');
    expect(registry.get('openai')).toBeUndefined();
    expect(registry.skipReason('openai')).toBe('no API key configured for openai');
    expect(registry.get('offline')).toBeDefined();
    expect(registry.providers()).toContainEqual({
      name: 'gemini',
      available: false,
      reason: 'no API key configured for gemini',
    });
  });

  it('ends the default and fast routes with the offline provider', () => {
    expect(DEFAULT_ROUTES['chat.default']?.at(-1)?.provider).toBe('offline');
    expect(DEFAULT_ROUTES['chat.fast']?.at(-1)?.provider).toBe('offline');
  });

  it('parses routes from GATEWAY_ROUTES-style JSON and rejects unknown providers', () => {
    const json =
      '{"chat.custom":[{"provider":"groq","model":"llama-3.1-8b-instant"},{"provider":"offline","model":"x"}]}';
    const routes = routesSchema.parse(JSON.parse(json));
    const registry = createProviderRegistry({ routes });
    expect(registry.route('chat.custom')).toHaveLength(2);
    expect(registry.route('chat.default')).toEqual(DEFAULT_ROUTES['chat.default']);
    expect(() => routesSchema.parse({ r: [{ provider: 'nope', model: 'm' }] })).toThrow();
    expect(() =>
      createProviderRegistry({ providers: { openai: { baseUrl: 'not a url' } } }),
    ).toThrow();
  });
});
