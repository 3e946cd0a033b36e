// Parts 6 and 7: the HTTP API. Tokens, traversal and junk in every id it takes, malformed
// and oversized bodies, and the per-learner rate limit.
import { apiPath, rawApiPath } from '../../server/protocol/routes.ts';
import { ApiProber } from './api-prober.ts';
import type { FuzzContext } from './fuzz-types.ts';
import { rawRequest } from './raw.ts';

const BAD_LAB_IDS = [
  '../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f',
  '....//',
  'uts/../uts',
  '../uts',
  'UTS',
  'uts\u0000',
  'uts ',
  ' uts',
  'a'.repeat(100),
  '',
  '.',
  '-uts',
  'uts;rm -rf /',
  '$(id)',
  'alpine:latest',
  'docker.io/library/alpine',
];

const BAD_START_BODIES = [
  ['a number lab id', '{"labId":1}'],
  ['an array lab id', '{"labId":["uts"]}'],
  ['an object lab id', '{"labId":{"$ne":null}}'],
  ['an extra field', '{"labId":"uts","image":"alpine","privileged":true}'],
  ['a body that is an array', '["uts"]'],
  ['a body that is null', 'null'],
  ['a body that is a string', '"uts"'],
  ['invalid JSON', '{"labId":'],
  ['NaN in JSON', '{"labId":NaN}'],
  ['a __proto__ field', '{"__proto__":{"labId":"uts"}}'],
  ['no body', undefined],
] as const;

const BAD_EXERCISE_IDS = [
  '..',
  '..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f',
  'OWN-NAMESPACE',
  'own-namespace%00',
  'x'.repeat(300),
];

async function tokensAndStarts(api: ApiProber): Promise<void> {
  await api.expectStatus('API with no token', 'GET', apiPath('labs'), undefined, [401], {
    'x-nslab-learner': 'fuzz-api-learner-1',
  });
  await api.expectStatus('API with a wrong token', 'GET', apiPath('labs'), undefined, [401], {
    authorization: 'Bearer nope',
  });
  for (const labId of BAD_LAB_IDS) {
    await api.expectStatus(
      `start lab id ${JSON.stringify(labId)}`,
      'POST',
      apiPath('startSession'),
      JSON.stringify({ labId }),
      [400, 404],
    );
  }
  for (const [label, body] of BAD_START_BODIES)
    await api.expectStatus(`start with ${label}`, 'POST', apiPath('startSession'), body, [400]);
}

async function sessionsAndExercises(ctx: FuzzContext, api: ApiProber): Promise<void> {
  for (const path of [
    '..',
    '../labs',
    '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '..%2f..%2fetc%2fpasswd',
    ctx.bystanderSessionId,
    'AAAAAAAAAAAAAAAAAAAAAA',
    'A'.repeat(10_000),
  ].map((sessionId) => rawApiPath('session', { sessionId }))) {
    await api.expectStatus(`GET ${path.slice(0, 60)}`, 'GET', path, undefined, [404]);
  }
  const owner = api.owner();
  for (const exercise of BAD_EXERCISE_IDS) {
    const shown = JSON.stringify(exercise.slice(0, 40));
    const ids = { sessionId: ctx.targetId, exerciseId: exercise };
    await api.expectStatus(
      `check exercise ${shown}`,
      'POST',
      rawApiPath('check', ids),
      '{}',
      [400, 404],
      owner,
    );
    await api.expectStatus(
      `skip exercise ${shown}`,
      'POST',
      rawApiPath('skip', ids),
      undefined,
      [400, 404],
      owner,
    );
  }
  await api.expectStatus(
    "end another learner's session",
    'DELETE',
    apiPath('endSession', { sessionId: ctx.bystanderSessionId }),
    undefined,
    [404],
  );
}

async function answersAndBodySizes(ctx: FuzzContext, api: ApiProber): Promise<void> {
  const owner = api.owner();
  const checkPath = apiPath('check', { sessionId: ctx.targetId, exerciseId: 'own-namespace' });
  const longAnswer = JSON.stringify({ answer: 'x'.repeat(7_000) });
  await api.expectStatus('check with a 7 KB answer', 'POST', checkPath, longAnswer, [400], owner);
  const numeric = '{"answer":4026531838}';
  await api.expectStatus('check with a numeric answer', 'POST', checkPath, numeric, [400], owner);
  for (const [label, size] of [
    ['9 KiB', 9 * 1024],
    ['1 MiB', 1024 * 1024],
    ['10 MiB', 10 * 1024 * 1024],
  ] as const) {
    const body = JSON.stringify({ labId: 'uts', pad: 'x'.repeat(size) });
    await api.expectStatus(`JSON body of ${label}`, 'POST', apiPath('startSession'), body, [413]);
  }
}

/** 6. The HTTP API. */
export async function fuzzApi(ctx: FuzzContext): Promise<void> {
  const api = new ApiProber(ctx);
  await tokensAndStarts(api);
  await sessionsAndExercises(ctx, api);
  await answersAndBodySizes(ctx, api);
  ctx.check(
    'no stack traces or source paths in any API answer',
    'none',
    api.leaks.join(' | ') || 'none',
    api.leaks.length === 0,
  );
}

/** 7. API rate limit: a burst from one learner gets 429 with Retry-After; another learner does not. */
export async function fuzzApiRateLimit(ctx: FuzzContext): Promise<void> {
  const api = new ApiProber(ctx);
  const origin = ctx.server.origin;
  const calm = rawRequest(origin, 'GET', apiPath('labs'), api.headers('fuzz-calm-learner'));
  const burst = await Promise.all(
    Array.from({ length: 300 }, () =>
      rawRequest(origin, 'GET', apiPath('labs'), api.headers('fuzz-burst-learner')),
    ),
  );
  const other = await calm;
  const limited = burst.filter((r) => r.status === 429);
  const retryAfter = limited[0]?.headers['retry-after'];
  ctx.check(
    '300 API requests at once from one learner',
    'some HTTP 429 with Retry-After, the rest 200',
    `${burst.length - limited.length} x 200, ${limited.length} x 429, Retry-After ${String(retryAfter)}`,
    limited.length > 0 &&
      retryAfter !== undefined &&
      burst.every((r) => r.status === 200 || r.status === 429),
  );
  ctx.check(
    'another learner during that burst',
    'HTTP 200',
    `HTTP ${other.status}`,
    other.status === 200,
  );
}
