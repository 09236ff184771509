import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { type AppDeps, createContext, type RequestInfo } from './context.ts';

/** A context over just a logger (`createContext` only spreads the rest of the deps). */
function contextLogging(lines: Record<string, unknown>[], requestId: string) {
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const deps = { log } as Pick<AppDeps, 'log'> as AppDeps;
  const request: RequestInfo = {
    requestId,
    ip: '127.0.0.1',
    userAgent: null,
    batchSize: 1,
    headers: new Headers(),
    resHeaders: new Headers(),
  };
  return { context: createContext(deps, request), log };
}

describe('createContext', () => {
  it("logs through the request's child logger, made once on first use", () => {
    const lines: Record<string, unknown>[] = [];
    const { context, log } = contextLogging(lines, 'req-1');
    expect(context.log).not.toBe(log);
    expect(context.log).toBe(context.log);
    context.log.info('first');
    context.log.warn('second');
    expect(lines.map((line) => [line.msg, line.requestId])).toEqual([
      ['first', 'req-1'],
      ['second', 'req-1'],
    ]);
  });

  it('keeps the logger when tRPC spreads the context into a new one', () => {
    const lines: Record<string, unknown>[] = [];
    const { context } = contextLogging(lines, 'req-2');
    const merged = { ...context, caller: null };
    merged.log.info('after a middleware');
    expect(lines[0]?.requestId).toBe('req-2');
  });

  it('gives every context the same log getter', () => {
    // A getter written in the context's object literal, a new function per request, kept
    // each request's objects alive through young GCs (docs/architecture.md, "Performance").
    const getterOf = (requestId: string) =>
      Object.getOwnPropertyDescriptor(contextLogging([], requestId).context, 'log')?.get;
    expect(getterOf('a')).toBeTypeOf('function');
    expect(getterOf('a')).toBe(getterOf('b'));
  });
});
