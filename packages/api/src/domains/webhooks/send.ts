import { Agent, request } from 'undici';
import { storableText } from '../../schemas/index.ts';
import { assertPublicTarget, guardedLookup } from './ssrf.ts';

const RESPONSE_KEPT_BYTES = 4096;

export interface AttemptOutcome {
  succeeded: boolean;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
  /** The first 4 KB of the response body. */
  responseBody: string;
}

export interface SendOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivateTargets: boolean;
}

let guardedAgent: Agent | undefined;
let openAgent: Agent | undefined;

/**
 * One agent per process (kept-alive connections to receivers are reused). The guarded one
 * resolves every new connection's host through `guardedLookup`, so the address connected
 * to is the address checked.
 */
function agentFor(allowPrivate: boolean): Agent {
  if (allowPrivate) {
    openAgent ??= new Agent();
    return openAgent;
  }
  guardedAgent ??= new Agent({ connect: { lookup: guardedLookup } });
  return guardedAgent;
}

async function firstBytes(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= RESPONSE_KEPT_BYTES) break;
  }
  body.destroy();
  const text = Buffer.concat(chunks).subarray(0, RESPONSE_KEPT_BYTES).toString('utf8');
  return storableText(text);
}

const reasonOf = (error: unknown): string => {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timeout';
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`.slice(0, 1000);
  }
  return String(error).slice(0, 1000);
};

/**
 * POSTs one signed message. Never throws: a refusal, a timeout or a non-2xx answer is an
 * outcome to log. Redirects are not followed (a 3xx is a failure), so a receiver cannot
 * bounce the request to an internal address.
 */
export async function sendAttempt(options: SendOptions): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    if (!options.allowPrivateTargets) await assertPublicTarget(options.url);
    const response = await request(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'PhoenixHub-Webhooks/1.0',
        ...options.headers,
      },
      body: options.body,
      dispatcher: agentFor(options.allowPrivateTargets),
      // undici's request follows no redirect unless given its redirect interceptor.
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const responseBody = await firstBytes(response.body);
    const succeeded = response.statusCode >= 200 && response.statusCode < 300;
    return {
      succeeded,
      statusCode: response.statusCode,
      error: succeeded ? null : `HTTP ${response.statusCode}`,
      latencyMs: elapsed(),
      responseBody,
    };
  } catch (error) {
    return {
      succeeded: false,
      statusCode: null,
      error: reasonOf(error),
      latencyMs: elapsed(),
      responseBody: '',
    };
  }
}
