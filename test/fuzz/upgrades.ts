// Part 5: terminal upgrades: token, Origin, ownership, traversal. Paths are sent verbatim.
import { apiPath } from '../../server/protocol/routes.ts';
import type { FuzzContext } from './fuzz-types.ts';
import { rawWebSocket } from './raw.ts';

type UpgradeCase = readonly [
  name: string,
  path: string,
  headers: Record<string, string>,
  expected: number,
];

/** Upgrades that must be refused for who asks: Origin, token, ownership. */
function refusedCallers(ctx: FuzzContext): UpgradeCase[] {
  const { server, good, cookie, terminalPath } = ctx;
  const port = Number(new URL(server.origin).port);
  return [
    [
      'upgrade from a foreign Origin',
      terminalPath,
      { ...good, origin: 'http://evil.example' },
      403,
    ],
    ['upgrade from Origin "null"', terminalPath, { ...good, origin: 'null' }, 403],
    [
      'upgrade from the right host on another port',
      terminalPath,
      { ...good, origin: `http://127.0.0.1:${port + 1}` },
      403,
    ],
    [
      'upgrade from the right origin with a trailing slash',
      terminalPath,
      { ...good, origin: `${server.origin}/` },
      403,
    ],
    [
      'upgrade with no Origin',
      terminalPath,
      { cookie, 'x-nslab-learner': 'fuzz-attacker-learner' },
      403,
    ],
    [
      'upgrade with no token',
      terminalPath,
      { origin: server.origin, cookie: 'nslab_learner=fuzz-attacker-learner' },
      401,
    ],
    [
      'upgrade with a wrong token',
      terminalPath,
      { origin: server.origin, cookie: 'nslab_token=not-the-token' },
      401,
    ],
    [
      'upgrade with the token in the query string only',
      `${terminalPath}?token=${encodeURIComponent(server.token)}`,
      { origin: server.origin },
      401,
    ],
    [
      "upgrade into another learner's session",
      apiPath('terminal', { sessionId: ctx.bystanderSessionId, terminal: 'isolated' }),
      good,
      404,
    ],
  ];
}

/** Traversal and junk in the session id and terminal name. */
function traversals(ctx: FuzzContext): (readonly [string, string])[] {
  const { terminalAt, targetId } = ctx;
  return [
    ['session id ".."', terminalAt('..', 'isolated')],
    ['session id "%2e%2e%2f"', terminalAt('%2e%2e%2f', 'isolated')],
    ['session id "..%2f..%2fetc"', terminalAt('..%2f..%2fetc', 'isolated')],
    ['terminal "../../.."', terminalAt(targetId, '../../..')],
    ['terminal "..%2f..%2fetc%2fpasswd"', terminalAt(targetId, '..%2f..%2fetc%2fpasswd')],
    ['terminal "%2e%2e%2f%2e%2e%2f"', terminalAt(targetId, '%2e%2e%2f%2e%2e%2f')],
    ['terminal "isolated%00"', terminalAt(targetId, 'isolated%00')],
    ['terminal "ISOLATED"', terminalAt(targetId, 'ISOLATED')],
    ['terminal of 5000 characters', terminalAt(targetId, 'a'.repeat(5_000))],
    ['session id of 5000 characters', terminalAt('A'.repeat(5_000), 'isolated')],
  ];
}

export async function fuzzUpgrades(ctx: FuzzContext): Promise<void> {
  const upgrade = async (
    name: string,
    path: string,
    headers: Record<string, string>,
    expected: number,
  ): Promise<void> => {
    const outcome = await rawWebSocket(ctx.server.origin, path, headers, undefined, 3_000);
    ctx.check(name, `HTTP ${expected}`, `HTTP ${outcome.status}`, outcome.status === expected);
  };
  for (const [name, path, headers, expected] of refusedCallers(ctx))
    await upgrade(name, path, headers, expected);
  for (const [label, path] of traversals(ctx))
    await upgrade(`upgrade with ${label}`, path, ctx.good, 404);
}
