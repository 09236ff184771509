import type { Database, Kysely, TrainingEndReason } from '@phoenix/db';
import { notFound } from '@phoenix/errors';
import type { AdminSession, Session, SessionSummary, TrainingTurn } from './training-schemas.ts';

type Db = Kysely<Database>;

/** Reading sessions with the scenario version each used. */
export function sessionQuery(db: Db) {
  return db
    .selectFrom('trainingSessions as t')
    .innerJoin('championScenarioVersions as v', 'v.id', 't.scenarioVersionId')
    .innerJoin('championScenarios as s', 's.id', 'v.scenarioId')
    .select([
      't.id',
      't.userId',
      't.championId',
      't.status',
      't.endReason',
      't.sellerTurns',
      't.overallScore',
      't.strengths',
      't.improvements',
      't.startedAt',
      't.lastActivityAt',
      't.endedAt',
      's.id as scenarioId',
      'v.id as versionId',
      'v.version',
      's.difficulty',
      'v.title',
    ]);
}

export type SessionRow = Awaited<
  ReturnType<ReturnType<typeof sessionQuery>['executeTakeFirstOrThrow']>
>;

export function summaryOf(row: SessionRow, maxTurns: number): SessionSummary {
  return {
    id: row.id,
    championId: row.championId,
    scenario: {
      id: row.scenarioId,
      versionId: row.versionId,
      version: row.version,
      difficulty: row.difficulty,
      title: row.title,
    },
    status: row.status,
    endReason: row.endReason,
    sellerTurns: row.sellerTurns,
    maxTurns,
    overallScore: row.overallScore,
    startedAt: row.startedAt,
    lastActivityAt: row.lastActivityAt,
    endedAt: row.endedAt,
  };
}

export function adminSummaryOf(
  row: SessionRow & { userEmail: string; championName: string },
  maxTurns: number,
): AdminSession {
  return {
    ...summaryOf(row, maxTurns),
    userId: row.userId,
    userEmail: row.userEmail,
    championName: row.championName,
  };
}

export async function turnsOf(db: Db, sessionId: string): Promise<TrainingTurn[]> {
  const rows = await db
    .selectFrom('trainingTurns')
    .select(['id', 'position', 'role', 'text', 'score', 'feedback', 'patternKinds', 'createdAt'])
    .where('sessionId', '=', sessionId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({ ...r, patternKinds: r.patternKinds ?? [] }));
}

export async function loadSession(
  db: Db,
  at: { userId: string; sessionId: string; maxTurns: number },
): Promise<Session> {
  const row = await sessionQuery(db)
    .where('t.id', '=', at.sessionId)
    .where('t.userId', '=', at.userId)
    .executeTakeFirst();
  if (!row) throw notFound('Training session', { field: 'sessionId' });
  return {
    ...summaryOf(row, at.maxTurns),
    strengths: row.strengths ?? [],
    improvements: row.improvements ?? [],
    turns: await turnsOf(db, row.id),
  };
}

const KIND_NAMES: Record<string, string> = {
  opening: 'opening',
  discovery_question: 'discovery questions',
  objection_handling: 'objection handling',
  closing_technique: 'closing technique',
  tone: 'tone',
};

/**
 * Ends a running session in the caller's transaction: the overall score is the mean of
 * the seller turns' scores; strengths are the champion's pattern kinds the seller
 * matched well, what to work on the kinds never matched (with the champion's own words)
 * and the weakest turn's feedback. Ending an ended session changes nothing.
 */
export async function closeSession(
  trx: Db,
  at: { sessionId: string; reason: TrainingEndReason; now: number },
): Promise<void> {
  const session = await trx
    .selectFrom('trainingSessions')
    .select(['championId', 'status'])
    .where('id', '=', at.sessionId)
    .forUpdate()
    .executeTakeFirst();
  if (session?.status !== 'running') return;
  const turns = (await turnsOf(trx, at.sessionId)).filter(
    (t) => t.role === 'seller' && t.score !== null,
  );
  const patterns = await trx
    .selectFrom('championPatterns')
    .select(['kind', 'quotes'])
    .where('championId', '=', session.championId)
    .orderBy('position')
    .execute();
  const scores = turns.map((t) => t.score ?? 0);
  const overall = scores.length
    ? Math.round(scores.reduce((a, b) => a + b, 0) / scores.length)
    : null;
  const byKind = new Map<string, number[]>();
  for (const turn of turns) {
    for (const kind of turn.patternKinds)
      byKind.set(kind, [...(byKind.get(kind) ?? []), turn.score ?? 0]);
  }
  const strengths = [...byKind]
    .map(([kind, s]) => ({ kind, avg: Math.round(s.reduce((a, b) => a + b, 0) / s.length) }))
    .filter((k) => k.avg >= 60)
    .sort((a, b) => b.avg - a.avg)
    .map((k) => `Your ${KIND_NAMES[k.kind] ?? k.kind} matched the champion's (average ${k.avg})`);
  const missing = [...new Set(patterns.map((p) => p.kind))].filter((k) => !byKind.has(k));
  const improvements = missing.map((kind) => {
    const quote = patterns.find((p) => p.kind === kind)?.quotes[0];
    return `Practise the champion's ${KIND_NAMES[kind] ?? kind}${quote ? `: "${quote}"` : ''}`;
  });
  const weakest = [...turns].sort((a, b) => (a.score ?? 0) - (b.score ?? 0))[0];
  if (weakest?.feedback && (weakest.score ?? 0) < 60) improvements.push(weakest.feedback);
  await trx
    .updateTable('trainingSessions')
    .set({
      status: 'ended',
      endReason: at.reason,
      overallScore: overall,
      strengths: JSON.stringify(strengths),
      improvements: JSON.stringify(improvements),
      endedAt: new Date(at.now),
    })
    .where('id', '=', at.sessionId)
    .execute();
}
