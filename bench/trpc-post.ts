/** A tRPC mutation over plain HTTP for the bench set-ups (superjson's `{ json }` envelope). */
export async function trpcPost(call: {
  url: string;
  path: string;
  input: unknown;
  token?: string | undefined;
}): Promise<Record<string, unknown>> {
  const { url, path, input, token } = call;
  const res = await fetch(`${url}/trpc/${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ json: input }),
  });
  return ((await res.json()) as { result: { data: { json: Record<string, unknown> } } }).result.data
    .json;
}
