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
  const reply = (await res.json()) as {
    result?: { data: { json: Record<string, unknown> } };
    error?: { json: { message: string } };
  };
  if (!reply.result) {
    throw new Error(`${path} answered ${res.status}: ${reply.error?.json.message ?? 'no result'}`);
  }
  return reply.result.data.json;
}
