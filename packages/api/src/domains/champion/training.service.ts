import { createHash, randomUUID } from 'node:crypto';
import { isUniqueViolation } from '@phoenix/db';
import { conflict, type DomainError } from '@phoenix/errors';
import type { z } from 'zod';
import type { AppDeps } from '../../context.ts';
import { type Keyset, key, paginate } from '../../platform/pagination.ts';
import { completeChat, type Payer } from '../gateway/index.ts';
import { ownChampion } from './champions.service.ts';
import { rolePlaySystem, SCORE } from './prompts.ts';
import { patternsForPrompt } from './queries.ts';
import { currentScenario } from './scenarios.service.ts';
import {
  adminSummaryOf,
  closeSession,
  loadSession,
  sessionQuery,
  summaryOf,
  turnsOf,
} from './sessions.ts';
import { asDomainError, askStructured, ROLEPLAY_ROUTE } from './structured.ts';
import { expiryOf, rulesOf } from './training-rules.ts';
import type {
  AdminListSessionsInput,
  AdminSessionPage,
  ListSessionsInput,
  RespondInput,
  RespondResult,
  Session,
  SessionPage,
  StartTrainingInput,
  TrainingTurn,
} from './training-schemas.ts';

type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };
const PROSPECT_MAX_TOKENS = 300;

/** A session of one of the caller's ready champions, on the scenario's latest version. */
export async function startTraining(
  deps: AppDeps,
  userId: string,
  input: StartTrainingInput,
): Promise<Session> {
  const now = new Date(deps.clock.now());
  const id = await deps.db.transaction().execute(async (trx) => {
    const champion = await trx
      .selectFrom('champions')
      .select(['id', 'status'])
      .where('id', '=', input.championId)
      .where('userId', '=', userId)
      // Shares the lock a delete takes: no session starts of a champion being deleted.
      .forShare()
      .executeTakeFirst();
    if (!champion) await ownChampion(trx, userId, input.championId);
    if (champion?.status !== 'ready') {
      throw conflict('Analyse the champion before training against it', {
        reason: 'CHAMPION_NOT_READY',
      });
    }
    const scenario = await currentScenario(trx, { userId, ...input });
    const session = await trx
      .insertInto('trainingSessions')
      .values({
        userId,
        championId: input.championId,
        scenarioVersionId: scenario.versionId,
        startedAt: now,
        lastActivityAt: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return session.id;
  });
  return loadSession(deps.db, { userId, sessionId: id, maxTurns: rulesOf(deps).maxTurns });
}

/** A UUID derived from the session and key: the same key always names the same turn. */
function turnIdFor(sessionId: string, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return randomUUID();
  const hex = createHash('sha256').update(`${sessionId}:${idempotencyKey}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const ended = (): DomainError =>
  conflict('This training session has ended', { reason: 'TRAINING_SESSION_ENDED' });

/** Phase one of a reply: what the prospect's and the scorer's calls need. */
export interface BegunTurn {
  turn: TrainingTurn;
  prompt: ChatMessage[];
  lastProspect: string;
}

/**
 * Records the seller's turn under the session's row lock: refused when the session has
 * ended (or is past its inactivity or length limit, which ends it), when a previous turn
 * is still being answered, or when the idempotency key was used.
 */
export async function beginTurn(
  deps: AppDeps,
  userId: string,
  input: RespondInput,
): Promise<BegunTurn> {
  const now = deps.clock.now();
  const turnId = turnIdFor(input.sessionId, input.idempotencyKey);
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const session = await trx
      .selectFrom('trainingSessions')
      .select(['id', 'status', 'startedAt', 'lastActivityAt', 'scenarioVersionId'])
      .where('id', '=', input.sessionId)
      .where('userId', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    if (!session) await loadSession(trx, { userId, sessionId: input.sessionId, maxTurns: 0 });
    if (session?.status !== 'running') return { kind: 'ended' as const };
    const expired = expiryOf(session, { now, rules: rulesOf(deps) });
    if (expired) {
      await closeSession(trx, { sessionId: session.id, reason: expired, now });
      return { kind: 'ended' as const };
    }
    const reused = await trx
      .selectFrom('trainingTurns')
      .select('id')
      .where('id', '=', turnId)
      .executeTakeFirst();
    if (reused) {
      throw conflict('This message was already sent', { reason: 'IDEMPOTENCY_KEY_USED' });
    }
    const turns = await turnsOf(trx, session.id);
    if (turns.at(-1)?.role === 'seller') {
      throw conflict('The previous message is still being answered', {
        reason: 'TRAINING_TURN_IN_PROGRESS',
      });
    }
    const scenario = await trx
      .selectFrom('championScenarioVersions')
      .select(['title', 'persona', 'context', 'objections'])
      .where('id', '=', session.scenarioVersionId)
      .executeTakeFirstOrThrow();
    const turn = await trx
      .insertInto('trainingTurns')
      .values({
        id: turnId,
        sessionId: session.id,
        position: turns.length,
        role: 'seller',
        text: input.message,
        createdAt: new Date(now),
      })
      .returning([
        'id',
        'position',
        'role',
        'text',
        'score',
        'feedback',
        'patternKinds',
        'createdAt',
      ])
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('trainingSessions')
      .set({ lastActivityAt: new Date(now) })
      .where('id', '=', session.id)
      .execute();
    const prompt: ChatMessage[] = [
      { role: 'system', content: rolePlaySystem(scenario) },
      ...turns.map(
        (t): ChatMessage => ({ role: t.role === 'seller' ? 'user' : 'assistant', content: t.text }),
      ),
      { role: 'user', content: input.message },
    ];
    return {
      kind: 'begun' as const,
      begun: {
        turn: { ...turn, patternKinds: turn.patternKinds ?? [] },
        prompt,
        lastProspect: turns.findLast((t) => t.role === 'prospect')?.text ?? '',
      },
    };
  });
  if (outcome.kind === 'ended') throw ended();
  return outcome.begun;
}

/** Takes back a seller turn whose answer failed, so the seller can send it again. */
export async function abandonTurn(deps: Pick<AppDeps, 'db'>, turnId: string): Promise<void> {
  await deps.db.deleteFrom('trainingTurns').where('id', '=', turnId).execute();
}

/** The prospect's answer, in character, through the gateway's role-play route. */
export async function prospectReply(
  deps: AppDeps,
  payer: Payer,
  begun: BegunTurn,
): Promise<string> {
  const answer = await completeChat(deps, payer, {
    route: ROLEPLAY_ROUTE,
    messages: begun.prompt,
    maxTokens: PROSPECT_MAX_TOKENS,
    temperature: 0.7,
  });
  return answer.text.trim();
}

/** Scores the seller's turn 0..100 against the champion's patterns, with feedback. */
async function scoreTurn(
  deps: AppDeps,
  payer: Payer,
  at: { sessionId: string; begun: BegunTurn },
): Promise<z.output<typeof SCORE.schema>> {
  const session = await deps.db
    .selectFrom('trainingSessions')
    .select('championId')
    .where('id', '=', at.sessionId)
    .executeTakeFirstOrThrow();
  return askStructured(deps, {
    payer,
    task: SCORE.task,
    system: SCORE.system,
    input: {
      prospect: at.begun.lastProspect,
      seller: at.begun.turn.text,
      patterns: await patternsForPrompt(deps.db, session.championId),
    },
    schema: SCORE.schema,
    maxTokens: 400,
  });
}

/**
 * Phase two: scores the seller's turn, records the prospect's answer and the score in one
 * transaction, and ends the session when it reached its maximum length.
 */
export async function finishTurn(
  deps: AppDeps,
  payer: Payer,
  at: { sessionId: string; begun: BegunTurn; reply: string },
): Promise<RespondResult> {
  const { begun } = at;
  const score = await scoreTurn(deps, payer, at);
  const now = deps.clock.now();
  const maxTurns = rulesOf(deps).maxTurns;
  const prospectId = randomUUID();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('trainingTurns')
      .set({
        score: score.score,
        feedback: score.feedback,
        patternKinds: JSON.stringify(score.patternKinds),
      })
      .where('id', '=', begun.turn.id)
      .execute();
    await trx
      .insertInto('trainingTurns')
      .values({
        id: prospectId,
        sessionId: at.sessionId,
        position: begun.turn.position + 1,
        role: 'prospect',
        text: at.reply || '…',
        createdAt: new Date(now),
      })
      .execute();
    const session = await trx
      .updateTable('trainingSessions')
      .set((eb) => ({ sellerTurns: eb('sellerTurns', '+', 1), lastActivityAt: new Date(now) }))
      .where('id', '=', at.sessionId)
      .returning('sellerTurns')
      .executeTakeFirstOrThrow();
    if (session.sellerTurns >= maxTurns) {
      await closeSession(trx, { sessionId: at.sessionId, reason: 'max_turns', now });
    }
  });
  const session = await loadSession(deps.db, {
    userId: payer.userId,
    sessionId: at.sessionId,
    maxTurns,
  });
  const byId = new Map(session.turns.map((t) => [t.id, t]));
  const seller = byId.get(begun.turn.id);
  const prospect = byId.get(prospectId);
  if (!seller || !prospect) throw new Error('training turn vanished after its commit');
  const { strengths: _s, improvements: _i, turns: _t, ...summary } = session;
  return { seller, prospect, session: summary };
}

/** `training.respond`: the seller's message, the prospect's answer, the seller's score. */
export async function respond(
  deps: AppDeps,
  payer: Payer,
  input: RespondInput,
): Promise<RespondResult> {
  const begun = await beginTurn(deps, payer.userId, input);
  try {
    const reply = await prospectReply(deps, payer, begun);
    return await finishTurn(deps, payer, { sessionId: input.sessionId, begun, reply });
  } catch (error) {
    await abandonTurn(deps, begun.turn.id);
    throw asDomainError(error);
  }
}

/** Ends a session with its overall score; ending an ended session is harmless. */
export async function endTraining(
  deps: AppDeps,
  userId: string,
  sessionId: string,
): Promise<Session> {
  const maxTurns = rulesOf(deps).maxTurns;
  await loadSession(deps.db, { userId, sessionId, maxTurns });
  await deps.db.transaction().execute(async (trx) => {
    try {
      await closeSession(trx, { sessionId, reason: 'ended', now: deps.clock.now() });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  });
  return loadSession(deps.db, { userId, sessionId, maxTurns });
}

/** A session with its turns; a running session past its limits is ended first. */
export async function getSession(
  deps: AppDeps,
  userId: string,
  sessionId: string,
): Promise<Session> {
  const maxTurns = rulesOf(deps).maxTurns;
  const session = await loadSession(deps.db, { userId, sessionId, maxTurns });
  const now = deps.clock.now();
  const expired =
    session.status === 'running' ? expiryOf(session, { now, rules: rulesOf(deps) }) : null;
  if (!expired) return session;
  await deps.db
    .transaction()
    .execute((trx) => closeSession(trx, { sessionId, reason: expired, now }));
  return loadSession(deps.db, { userId, sessionId, maxTurns });
}

const NEWEST: Keyset = {
  scope: 'training-sessions',
  keys: [key.micros('t.started_at'), key.uuid('t.id')],
  order: 'desc',
};

export async function listSessions(
  deps: Pick<AppDeps, 'db' | 'config'>,
  userId: string,
  input: ListSessionsInput,
): Promise<SessionPage> {
  let query = sessionQuery(deps.db).where('t.userId', '=', userId);
  if (input.championId) {
    await ownChampion(deps.db, userId, input.championId);
    query = query.where('t.championId', '=', input.championId);
  }
  const page = await paginate(query, NEWEST, input);
  return { ...page, items: page.items.map((r) => summaryOf(r, rulesOf(deps).maxTurns)) };
}

/** Every user's sessions, newest first, for the back office. */
export async function adminListSessions(
  deps: Pick<AppDeps, 'db' | 'config'>,
  input: AdminListSessionsInput,
): Promise<AdminSessionPage> {
  let query = sessionQuery(deps.db)
    .innerJoin('users as u', 'u.id', 't.userId')
    .innerJoin('champions as c', 'c.id', 't.championId')
    .select(['u.email as userEmail', 'c.name as championName']);
  if (input.userId) query = query.where('t.userId', '=', input.userId);
  if (input.status) query = query.where('t.status', '=', input.status);
  const page = await paginate(query, NEWEST, input);
  return { ...page, items: page.items.map((r) => adminSummaryOf(r, rulesOf(deps).maxTurns)) };
}
