import { failure } from './http.ts';
import { ProviderError } from './provider-error.ts';

export interface SseMessage {
  event: string;
  data: string;
}

/** Accumulates SSE fields line by line; returns a message when a blank line ends one. */
class SseAssembler {
  #event = '';
  #data: string[] = [];

  line(line: string): SseMessage | undefined {
    if (line === '') return this.flush();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.#event = value;
    else if (field === 'data') this.#data.push(value);
    return undefined;
  }

  flush(): SseMessage | undefined {
    const message =
      this.#data.length > 0
        ? { event: this.#event || 'message', data: this.#data.join('\n') }
        : undefined;
    this.#event = '';
    this.#data = [];
    return message;
  }
}

/**
 * Server-sent events from a response body, per the WHATWG rules that matter here:
 * `event:` and multi-line `data:` fields, comment lines (OpenRouter's keep-alives)
 * ignored, a message dispatched on a blank line or at the end of the body.
 */
export async function* readSse(
  provider: string,
  response: Response,
  signal?: AbortSignal,
): AsyncGenerator<SseMessage> {
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const assembler = new SseAssembler();
  // Cancelling the reader ends a pending read even when the transport ignores the signal
  // once headers have arrived, so a stalled stream cannot outlive its timeout.
  const onAbort = () => {
    reader.cancel(signal?.reason).catch(() => {});
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  let buffer = '';
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw failure(provider, error, signal);
      }
      if (signal?.aborted) throw signal.reason;
      if (chunk.done) break;
      buffer += chunk.value;
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const message = assembler.line(line);
        if (message) yield message;
      }
    }
    assembler.line(buffer);
    const last = assembler.flush();
    if (last) yield last;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // Stops the download when the consumer leaves early (fallback, abort, error event).
    await reader.cancel().catch(() => {});
  }
}

/** Parses one frame's JSON; a garbled frame is the provider's fault, not the caller's. */
export function parseData(provider: string, data: string): unknown {
  try {
    return JSON.parse(data);
  } catch (error) {
    throw new ProviderError({
      provider,
      kind: 'server',
      message: `${provider} sent a stream frame that is not JSON`,
      cause: error,
    });
  }
}

/** The error for a stream that stopped before its provider's end marker. */
export function truncated(provider: string): ProviderError {
  return new ProviderError({
    provider,
    kind: 'network',
    message: `${provider} stream ended before it was complete`,
  });
}
