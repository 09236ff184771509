import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectPhoenixError, signUp, type TestServer } from '../../testing/index.ts';
import { analysed, startChampionServer, TRANSCRIPT } from './testing.ts';

/**
 * The limits from config: analyses per hour and training calls per minute per user, a
 * session's maximum length; and a recording that has no transcript yet (the
 * transcription step is not built here) failing with a clear reason.
 */

let server: TestServer;

beforeAll(async () => {
  server = await startChampionServer({
    env: {
      CHAMPION_ANALYSES_PER_HOUR: '2',
      CHAMPION_TRAINING_CALLS_PER_MINUTE: '6',
      CHAMPION_TRAINING_MAX_TURNS: '2',
    },
  });
});
afterAll(async () => {
  await server.close();
});

describe('champion limits', () => {
  it('refuses a third analysis in the hour, per user', async () => {
    const seller = await signUp(server, { label: 'analyses' });
    for (const name of ['one', 'two']) {
      const c = await seller.client.champions.createFromTranscript.mutate({
        name,
        transcript: TRANSCRIPT,
      });
      await seller.client.champions.analyze.mutate({ id: c.id });
    }
    const third = await seller.client.champions.createFromTranscript.mutate({
      name: 'three',
      transcript: TRANSCRIPT,
    });
    const refused = await expectPhoenixError(
      seller.client.champions.analyze.mutate({ id: third.id }),
      {
        code: 'TOO_MANY_REQUESTS',
        reason: 'RATE_LIMITED',
      },
    );
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    // Another user has a budget of their own.
    const other = await signUp(server, { label: 'analyses-other' });
    const theirs = await other.client.champions.createFromTranscript.mutate({
      name: 'x',
      transcript: TRANSCRIPT,
    });
    await other.client.champions.analyze.mutate({ id: theirs.id });
  });

  it('ends a session at its maximum length, then counts training calls per minute', async () => {
    const seller = await signUp(server, { label: 'turns' });
    const created = await seller.client.champions.createFromTranscript.mutate({
      name: 'S',
      transcript: TRANSCRIPT,
    });
    await seller.client.champions.analyze.mutate({ id: created.id });
    await analysed(seller.client, created.id);
    const { items } = await seller.client.champions.scenarios.generate.mutate({
      championId: created.id,
    });
    const session = await seller.client.training.start.mutate({
      championId: created.id,
      scenarioId: items[0]?.id ?? '',
    }); // 1
    await seller.client.training.respond.mutate({
      sessionId: session.id,
      message: 'Hello, how is your quarter going?',
    }); // 2
    const last = await seller.client.training.respond.mutate({
      sessionId: session.id,
      message: 'Shall we schedule a pilot next week?',
    }); // 3
    expect(last.session).toMatchObject({
      status: 'ended',
      endReason: 'max_turns',
      sellerTurns: 2,
      maxTurns: 2,
    });
    expect(last.session.overallScore).toBeTypeOf('number');
    await expectPhoenixError(
      seller.client.training.respond.mutate({ sessionId: session.id, message: 'One more?' }), // 4
      { code: 'CONFLICT', reason: 'TRAINING_SESSION_ENDED' },
    );
    await seller.client.training.end.mutate({ sessionId: session.id }); // 5
    await seller.client.training.end.mutate({ sessionId: session.id }); // 6
    await expectPhoenixError(seller.client.training.end.mutate({ sessionId: session.id }), {
      code: 'TOO_MANY_REQUESTS',
      reason: 'RATE_LIMITED',
    });
  });

  it('fails a recording whose file is missing from storage, naming why', async () => {
    const seller = await signUp(server, { label: 'recording' });
    // A row whose file is gone (storage wiped, a bad restore): the step fails, not retries.
    const row = await server.deps.db
      .insertInto('champions')
      .values({
        userId: seller.id,
        name: 'Recorded',
        source: 'recording',
        recordingKey: 'champions/x/call.webm',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const queued = await seller.client.champions.analyze.mutate({ id: row.id });
    expect(queued).toMatchObject({ status: 'transcribing', currentStep: 'transcribe' });
    expect(await analysed(seller.client, row.id)).toMatchObject({
      status: 'failed',
      failureReason: 'the recording is missing from storage',
      currentStep: 'transcribe',
    });
  });
});
