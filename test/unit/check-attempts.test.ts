// The check route and the attempt limiter together, through real HTTP: a brute force of an
// answer box is answered 429 with Retry-After and words saying when to try again, the right
// answer is refused during the wait too, "Reset lab" (a new session) does not start the count
// again, and exercises without an answer box are never held back.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labs } from '../../labs/index.ts';
import { ANSWER_ATTEMPTS, AttemptLimiter } from '../../server/checks/attempt-limiter.ts';
import type { LabDefinition } from '../../server/catalogue/lab-definition.ts';
import { Catalogue } from '../../server/catalogue/catalogue.ts';
import { SessionFiles } from '../../server/host/session-files.ts';
import { createApp, type AppDeps } from '../../server/http/app.ts';
import { Gate } from '../../server/http/auth.ts';
import type { CheckResult } from '../../server/protocol/api-types.ts';
import type { Session } from '../../server/sessions/session.ts';
import type { SessionManager } from '../../server/sessions/session-manager.ts';
import { TEST_FACTS } from './support/fake-check-context.ts';
import { workshopDeps } from './support/workshop-deps.ts';
import { t } from '../../labs/shared/localized.ts';

const TOKEN = 'unit-test-token-attempts-0123';
const SECRET = '4026532999';

/** A lab whose checks need no engine: one answer box, one exercise without. */
const lab: LabDefinition = {
  ...(labs.find((l) => l.id === 'uts') as LabDefinition),
  exercises: [
    {
      id: 'guess-me',
      title: 'guess',
      goal: 'g',
      answer: { label: 'n', placeholder: 'n' },
      hints: ['read it'],
      check: (_ctx, answer) =>
        Promise.resolve(
          answer === SECRET
            ? { passed: true, reason: t('right', 'right') }
            : { passed: false, reason: t('not that', 'not that'), hint: 0 },
        ),
      solution: [{ terminal: 'isolated', input: 'true', capture: /(x)/ }],
    },
    {
      id: 'do-it',
      title: 'do',
      goal: 'g',
      hints: ['do it'],
      check: () => Promise.resolve({ passed: false, reason: t('not done', 'not done'), hint: 0 }),
      solution: [{ terminal: 'isolated', input: 'true' }],
    },
  ],
};

/** Two sessions of the same learner: the second is what "Reset lab" would give. */
const sessions = new Map(
  ['AAAAAAAAAAAAAAAAAAAAAA', 'BBBBBBBBBBBBBBBBBBBBBB'].map((id) => [
    id,
    {
      id,
      token: 'feedface',
      lab,
      learner: 'solo',
      dir: '/nonexistent',
      containers: new Map(),
      dockerds: new Map(),
    } as unknown as Session,
  ]),
);

let server: Server;
let base: string;
const recorded: CheckResult[] = [];

async function check(
  sessionId: string,
  exerciseId: string,
  answer?: string,
  learner?: string,
): Promise<{ status: number; retryAfter: string | null; body: unknown }> {
  const response = await fetch(`${base}/api/sessions/${sessionId}/exercises/${exerciseId}/check`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
      ...(learner === undefined ? {} : { 'x-nslab-learner': learner }),
    },
    body: JSON.stringify(answer === undefined ? {} : { answer }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: await response.json(),
  };
}

beforeAll(async () => {
  const catalogue = new Catalogue(labs, path.resolve(import.meta.dirname, '../../content'));
  const deps: AppDeps = {
    token: TOKEN,
    gate: new Gate({ token: TOKEN, mode: 'solo', joinCode: 'unused-join' }),
    graceMs: 30_000,
    catalogue,
    sessions: {
      get: (id: string) => sessions.get(id),
    } as unknown as SessionManager,
    files: new SessionFiles('/nonexistent'),
    resetHost: () => Promise.resolve(0),
    facts: TEST_FACTS,
    webDir: '/nonexistent',
    attempts: new AttemptLimiter(),
    // Only what the check route reaches: the hints shown before (none), and the verdict it
    // hands over for recording.
    progress: {
      hintsShown: () => new Map(),
      checked: (_session: Session, result: CheckResult) => recorded.push(result),
    } as unknown as AppDeps['progress'],
    ...workshopDeps(catalogue),
  };
  server = createServer(createApp(deps));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('the check route under a brute force', () => {
  it('answers 429 with Retry-After past the free wrong answers, refuses the right one too, and hands each verdict on', async () => {
    const first = 'AAAAAAAAAAAAAAAAAAAAAA';
    let refused: Awaited<ReturnType<typeof check>> | undefined;
    let guess = 4026532000;
    while (refused === undefined && guess < 4026532400) {
      const reply = await check(first, 'guess-me', String(guess++));
      if (reply.status === 429) refused = reply;
      else expect(reply.body).toMatchObject({ passed: false, reason: 'not that' });
    }
    expect(guess - 4026532000).toBe(ANSWER_ATTEMPTS.free + 2);
    expect(refused?.retryAfter).toBe(String(ANSWER_ATTEMPTS.firstWaitMs / 1000));
    const error = (refused?.body as { error?: { code: string; message: string } }).error;
    expect(error?.code).toBe('too_many_requests');
    expect(error?.message).toMatch(/try again in 60 seconds/);
    expect(await check(first, 'guess-me', SECRET)).toMatchObject({ status: 429 });
    // Every judged verdict went to the progress store, wrong ones included; refusals did not.
    expect(recorded.filter((r) => r.exerciseId === 'guess-me')).toHaveLength(
      ANSWER_ATTEMPTS.free + 1,
    );
  });

  it('keeps the count across a new session of the same lab ("Reset lab")', async () => {
    expect(await check('BBBBBBBBBBBBBBBBBBBBBB', 'guess-me', SECRET)).toMatchObject({
      status: 429,
    });
  });

  it('never holds back a repeated answer, an empty box, or an exercise without a box', async () => {
    const first = 'AAAAAAAAAAAAAAAAAAAAAA';
    expect(await check(first, 'guess-me', '4026532000')).toMatchObject({
      status: 200,
      body: { passed: false },
    });
    expect(await check(first, 'guess-me', '   ')).toMatchObject({
      status: 200,
      body: { passed: false, reason: 'Type your answer in the box first.' },
    });
    for (let i = 0; i < 10; i++) expect((await check(first, 'do-it')).status).toBe(200);
  });

  it('lets the token holder’s preflight give verify’s wrong answers on every run', async () => {
    for (let guess = 0; guess < ANSWER_ATTEMPTS.free * 3; guess++) {
      const reply = await check(
        'AAAAAAAAAAAAAAAAAAAAAA',
        'guess-me',
        String(guess),
        'nslab-preflight',
      );
      expect(reply).toMatchObject({ status: 200, body: { passed: false } });
    }
  });
});
