import type { Kv } from '@phoenix/kv';

/**
 * Waits for the next message on `channel`: call it before the change, await what it
 * returns after. It subscribes after the caches of the servers sharing `kv` (they subscribe
 * on their first validation, and the kv calls a channel's handlers in the order they
 * subscribed), so once the message (parsed JSON) is returned every server has handled it:
 * the next request is the first one after delivery.
 */
export async function nextMessage(kv: Kv, channel: string): Promise<() => Promise<unknown>> {
  let heard: (message: string) => void = () => {};
  const message = new Promise<string>((resolve) => {
    heard = resolve;
  });
  const unsubscribe = await kv.subscribe(channel, (m) => heard(m));
  return async () => {
    const received = await message;
    await unsubscribe();
    return JSON.parse(received);
  };
}
