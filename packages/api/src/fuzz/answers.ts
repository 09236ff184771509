import type { TestServer } from '../testing/index.ts';
import { startAdminTestServer } from '../testing/index.ts';

/** What an error body must never carry: a stack frame, SQL, or a database's own words. */
const LEAKS = [
  /\bat [^\n]*\.[cm]?[jt]s:\d+/, // a stack frame
  /\b(select|insert into|update|delete from)\s[^"]*\b(from|set|values|where)\b/i,
  /relation "|syntax error at|violates .* constraint|invalid byte sequence|unsupported Unicode/i,
];

/** The leaks found in an answer's body, as problems to report. */
export function leaksIn(body: string): string[] {
  return LEAKS.filter((leak) => leak.test(body)).map((leak) => `leaks ${leak}`);
}

/** The server both fuzz tests call: limits wide enough for thousands of hostile calls. */
export function startFuzzServer(): Promise<TestServer> {
  return startAdminTestServer({
    env: {
      AUTH_LOGIN_MAX_FAILURES_PER_IP_PER_DAY: '100000',
      GATEWAY_FREE_REQUESTS_PER_MINUTE: '1000',
    },
  });
}
