import { secretRulesOf, type Trigger } from './triggers.ts';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An `email.send` job's payload as an administrator may see it (`admin.jobs.get`): each
 * secret variable of its trigger (`SECRET_VARIABLES`: a GDPR export's download link) is
 * replaced. pg-boss keeps payloads for days; the link opens the user's whole archive.
 */
export function redactedSendPayload(data: unknown): unknown {
  if (!isRecord(data) || !isRecord(data.variables) || typeof data.trigger !== 'string') {
    return data;
  }
  const rules = secretRulesOf(data.trigger as Trigger);
  if (!rules) return data;
  const variables = { ...data.variables };
  for (const name of rules.anywhereInText) if (name in variables) variables[name] = '[redacted]';
  return { ...data, variables };
}
