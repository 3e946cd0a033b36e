// Issue 11's attacks on the checks that used to run programs in the learner's container,
// typed through the real terminal on a fresh session of each lab: the /usr/bin swap (fakes
// of cat, ipcs, stat, find, python3, ip, strace, du and readlink on /dev, /usr/bin a symlink
// to them) and the /usr/sbin race (the fakes in and out every 0.2 s, checked again and again).
// The checks now read the host's view only, so every one of them must still fail, and fail
// with a verdict of its own, not an error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labs } from '../../labs/index.ts';
import type { LabDefinition } from '../../server/catalogue/lab-definition.ts';
import type { SessionView } from '../../server/protocol/api-types.ts';
import type { TerminalDriver } from '../../server/verify/terminal-driver.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import {
  FAKE_MARK,
  HELPER_OVERWRITE,
  HELPER_RACE,
  USR_BIN_SWAP,
  USR_SBIN_RACE,
  attack,
} from './learner-attacks.ts';

/** The labs whose checks ran programs in the learner's containers before issue 11. */
const ATTACKED = [
  'net',
  'ipc',
  'capabilities',
  'seccomp',
  'readonly-devices',
  'escape-privileged-device',
  'mnt',
  'setuid',
];

/** For answer exercises: what the fakes would have "proved", or a cheat's answer. */
const ANSWERS: Record<string, string> = {
  'net/follow-the-cable': '999999',
  'ipc/queue-key': '0x0000beef',
  'capabilities/decode': 'cap_sys_admin',
  'seccomp/which-syscall': 'chmod',
  'readonly-devices/upperdir': '/var/lib/docker/overlay2/l/fake',
  'escape-privileged-device/read-flag': '0123456789abcdef',
  'mnt/upperdir': '/var/lib/docker/overlay2/fake/work',
  'mnt/proc-sys': '1',
  'setuid/audit': '/usr/bin/su',
};

function lab(id: string): LabDefinition {
  const found = labs.find((l) => l.id === id);
  if (found === undefined) throw new Error(`no lab ${id}`);
  return found;
}

function writable(definition: LabDefinition, name: string): boolean {
  return definition.containers.find((c) => c.name === name)?.readonlyRootfs !== true;
}

function asNobody(definition: LabDefinition, name: string): boolean {
  return definition.containers.find((c) => c.name === name)?.user === 'nobody';
}

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer('test-host-evidence');
});

afterAll(async () => {
  await t[Symbol.asyncDispose]();
});

/** Opens every terminal of a fresh session and types the attack into each. */
async function attackedSession(
  definition: LabDefinition,
  how: 'swap' | 'race',
): Promise<{ session: SessionView; terminals: Map<string, TerminalDriver> }> {
  const session = await t.api.startSession(definition.id);
  const terminals = new Map<string, TerminalDriver>();
  for (const container of definition.containers.filter((c) => c.terminal !== false)) {
    const terminal = await t.openTerminal(session.id, container.name);
    terminals.set(container.name, terminal);
    const nobody = asNobody(definition, container.name);
    const command =
      how === 'swap'
        ? nobody
          ? HELPER_OVERWRITE
          : USR_BIN_SWAP
        : nobody
          ? HELPER_RACE
          : USR_SBIN_RACE;
    await attack(terminal, command);
    // Where the root file system is writable and the shell is root's, the fake is in place.
    if (how === 'swap' && writable(definition, container.name) && !nobody) {
      expect(await terminal.run('cat /proc/net/snmp')).toContain('IcmpMsg: 9 9');
    }
  }
  return { session, terminals };
}

/** Every exercise's check, with the answer the fakes were made for: the ones that passed. */
async function passingChecks(definition: LabDefinition, sessionId: string): Promise<string[]> {
  const passed: string[] = [];
  for (const exercise of definition.exercises) {
    const answer =
      exercise.answer === undefined
        ? undefined
        : (ANSWERS[`${definition.id}/${exercise.id}`] ?? 'fake');
    // A check that throws fails this test too: each must give a verdict of its own.
    const result = await t.api.check(sessionId, exercise.id, answer);
    if (result.passed) passed.push(`${exercise.id}: ${result.reason}`);
  }
  return passed;
}

async function close(terminals: Map<string, TerminalDriver>): Promise<void> {
  await Promise.all([...terminals.values()].map((terminal) => terminal.close()));
}

describe.each(ATTACKED)('%s under attack', (id) => {
  const definition = lab(id);

  it('fails every check with /usr/bin swapped for fakes on /dev', async () => {
    const { session, terminals } = await attackedSession(definition, 'swap');
    try {
      expect(await passingChecks(definition, session.id)).toEqual([]);
    } finally {
      await close(terminals);
      await t.api.endSession(session.id);
    }
  });

  it('fails every check, again and again, while fakes come and go in /usr/sbin', async () => {
    const { session, terminals } = await attackedSession(definition, 'race');
    try {
      // The race really runs: sampled a dozen times, the fake is sometimes there and sometimes not.
      const [name, terminal] = [...terminals].find(([n]) => writable(definition, n)) ?? [];
      if (name !== undefined && terminal !== undefined) {
        const file = asNobody(definition, name) ? '/usr/bin/find' : '/usr/sbin/cat';
        const seen = await terminal.run(
          `for i in 1 2 3 4 5 6 7 8 9 10 11 12; do grep -c ${FAKE_MARK} ${file} 2>/dev/null || echo 0; sleep 0.15; done | sort -u | xargs`,
          // The race eats most of the container's half CPU: the shell is slow beside it.
          90_000,
        );
        // Only the summary line counts: a slow shell may hand back its echoed command too.
        const summary = seen
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter((line) => /^[01]( [01])*$/.test(line))
          .at(-1);
        expect(summary?.split(' ')).toEqual(['0', '1']);
      }
      const passed = new Set<string>();
      for (let round = 0; round < 5; round += 1)
        for (const check of await passingChecks(definition, session.id)) passed.add(check);
      expect([...passed]).toEqual([]);
    } finally {
      await close(terminals);
      await t.api.endSession(session.id);
    }
  });
});
