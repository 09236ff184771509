import { HttpResponse } from 'msw';

/** One SSE frame with a JSON payload, optionally named. */
export function frame(payload: unknown, event?: string): string {
  const data = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return `${event ? `event: ${event}\n` : ''}data: ${data}\n\n`;
}

export interface SseOptions {
  /** Break the connection after the frames instead of closing it cleanly. */
  breakAfter?: boolean;
  /** Keep the connection open after the frames (a provider that stalls). */
  hang?: boolean;
  /** Called when the client cancels the body, i.e. the gateway stopped the download. */
  onCancel?: () => void;
}

/** An SSE response as the providers send it: `text/event-stream`, frames as they come. */
export function sseResponse(
  frames: readonly string[],
  options: SseOptions = {},
): HttpResponse<ReadableStream> {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const f of frames) {
        controller.enqueue(encoder.encode(f));
        // Let each frame reach the client separately, as a network would.
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (options.breakAfter) controller.error(new Error('connection reset by peer'));
      else if (!options.hang) controller.close();
    },
    cancel() {
      options.onCancel?.();
    },
  });
  return new HttpResponse(body, {
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
  });
}

/** Collects every event of a stream. */
export async function collect<T>(events: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const event of events) out.push(event);
  return out;
}
