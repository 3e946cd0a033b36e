// Values each session gets its own of: chosen from the token the same way by the plan (what
// Docker gets, what the lesson's `docker run` shows) and by the lab's checks, spread across
// sessions, and vetted at start-up. And no lab hands a session's secret to a command line.
import { describe, expect, it } from 'vitest';
import { labs } from '../../labs/index.ts';
import type { ContainerProfile, LabDefinition } from '../../server/catalogue/lab-definition.ts';
import {
  cpuList,
  sessionChoice,
  sessionCpuset,
  sessionMemoryMb,
  sessionWriteBps,
} from '../../server/catalogue/session-choices.ts';
import { validateLab } from '../../server/catalogue/validate-lab.ts';
import { planContainer } from '../../server/plans/container-plan.ts';
import { dockerRunCommand } from '../../server/plans/docker-run-command.ts';
import { randomBytes } from 'node:crypto';

const MEMORY = [32, 40, 48, 56] as const;

const randomHex = (bytes: number): string => randomBytes(bytes / 2).toString('hex');

function plan(profile: ContainerProfile, token: string) {
  return planContainer({
    profile,
    image: 'nslab/lab:test',
    instance: 'ci',
    sessionId: 'AAAAAAAAAAAAAAAAAAAAAA',
    sessionToken: token,
    hostFacts: { dataDisk: '/dev/vda' },
    sessionDir: '/var/lib/nslab/ci/sessions/test',
    labId: 'demo',
  });
}

describe('session choices', () => {
  it('chooses the same value for one token, and spreads tokens over every option', () => {
    const tokens = Array.from({ length: 400 }, () => randomHex(16));
    const chosen = tokens.map((t) => sessionChoice(t, 'box:memoryMb', MEMORY));
    expect(tokens.map((t) => sessionChoice(t, 'box:memoryMb', MEMORY))).toEqual(chosen);
    for (const mb of MEMORY) expect(chosen.filter((c) => c === mb).length).toBeGreaterThan(50);
    // Another purpose is another draw: knowing one value says nothing of the next.
    const other = tokens.map((t) => sessionChoice(t, 'box:other', MEMORY));
    expect(other.filter((v, i) => v === chosen[i]).length).toBeLessThan(160);
  });

  it('puts the session’s own limits into the plan, and so into the lesson’s docker run', () => {
    const profile: ContainerProfile = {
      name: 'limited',
      title: 'limited',
      perSession: { memoryMb: MEMORY, blkioWriteBps: [1_048_576, 2_097_152], oneCpu: true },
    };
    for (const token of ['0123456789abcdef', 'fedcba9876543210', randomHex(16)]) {
      const p = plan(profile, token);
      expect(p.memoryMb).toBe(sessionMemoryMb(profile, token));
      expect(p.blkioWriteBps?.rate).toBe(sessionWriteBps(profile, token));
      const run = dockerRunCommand(p);
      expect(run).toContain(`--memory ${p.memoryMb}m --memory-swap ${p.memoryMb}m`);
      expect(run).toContain(`--device-write-bps /dev/vda:${p.blkioWriteBps?.rate}`);
      expect(run).toContain(`--cpuset-cpus ${p.cpusetCpus}`);
    }
  });

  it('pins to one of the online CPUs, and keeps fixed values where the lab asks for none', () => {
    const profile: ContainerProfile = { name: 'full', title: 'full', perSession: { oneCpu: true } };
    const seen = new Set(
      Array.from({ length: 60 }, () => sessionCpuset(profile, randomHex(16), '0-3')),
    );
    expect([...seen].sort()).toEqual(['0', '1', '2', '3']);
    expect(sessionCpuset(profile, 'feedface', '5')).toBe('5');
    const fixed: ContainerProfile = { name: 'f', title: 'f', cpusetCpus: '0', memoryMb: 64 };
    expect(sessionCpuset(fixed, 'feedface', '0-3')).toBe('0');
    expect(sessionMemoryMb(fixed, 'feedface')).toBe(64);
    expect(cpuList('0-2,5')).toEqual([0, 1, 2, 5]);
    expect(cpuList('3-1')).toEqual([]);
    expect(cpuList('x')).toEqual([]);
  });

  it('refuses per-session limits that are not a real choice, or that clash with fixed ones', () => {
    const uts = labs.find((l) => l.id === 'uts') as LabDefinition;
    const withBox = (box: Partial<ContainerProfile>): string[] =>
      validateLab(
        { ...uts, sideBySide: undefined, containers: [{ name: 'box', title: 'box', ...box }] },
        `${import.meta.dirname}/../../content`,
      ).filter((p) => !p.includes('unknown terminal'));
    expect(withBox({ perSession: { memoryMb: [32, 64] } })).toEqual([]);
    expect(withBox({ perSession: { memoryMb: [32] } }).join()).toMatch(/two or more/);
    expect(withBox({ perSession: { memoryMb: [2, 64] } }).join()).toMatch(/6\.\./);
    expect(withBox({ memoryMb: 32, perSession: { memoryMb: [32, 64] } }).join()).toMatch(/both/);
    expect(withBox({ perSession: { blkioWriteBps: [1.5, 2e6] } }).join()).toMatch(/whole rates/);
    expect(withBox({ cpusetCpus: '0', perSession: { oneCpu: true } }).join()).toMatch(/both/);
  });
});

describe("a session's secret", () => {
  // What a recorded exec answers: a hostname, or for a set-up that reads its program's report,
  // a report of the shape it expects (image-provenance: what it pushed).
  const SHA = `sha256:${'a'.repeat(64)}`;
  const REPLIES: Record<string, string> = {
    'image-provenance': `${JSON.stringify({ digest: SHA, imageId: SHA })}\n`,
  };

  /** Runs a lab's set-up against a recorder: what each exec would have put on a command line. */
  async function setupArgv(lab: LabDefinition, token: string): Promise<string[]> {
    const argv: string[] = [];
    await lab.setup?.({
      sessionToken: token,
      has: () => true,
      exec: (_container, cmd) => {
        argv.push(cmd.join(' '));
        return Promise.resolve({ exitCode: 0, stdout: REPLIES[lab.id] ?? 'box-host\n' });
      },
      putFile: () => Promise.resolve(),
    });
    return argv;
  }

  // The pid lab plants its token in a process name on purpose: finding it through the host's
  // PID namespace is its exercise, and that session uses its token for nothing else.
  const MEANT_TO_BE_SEEN = new Set(['pid']);
  // escape-host-pid's vault is a process named after the session, which any host process list
  // shows by design (finding it is the exercise; the flag it guards is a file, never named).
  const NAMED_BY_DESIGN = new Set([...MEANT_TO_BE_SEEN, 'escape-host-pid']);

  it.each(labs.filter((lab) => !MEANT_TO_BE_SEEN.has(lab.id)).map((lab) => [lab.id, lab]))(
    'never reaches a command line in %s (set-up execs and container commands)',
    async (_id, lab) => {
      const token = randomHex(16);
      for (const line of await setupArgv(lab, token)) expect(line).not.toContain(token);
      for (const c of lab.containers) expect(c.command?.join(' ') ?? '').not.toContain('{{token}}');
    },
  );

  // Nor does anything derived from it (a helper's name, a capability, a queue key): every
  // session's set-up command lines are the same, so a host-wide sniffer learns nothing.
  it.each(labs.filter((lab) => !NAMED_BY_DESIGN.has(lab.id)).map((lab) => [lab.id, lab]))(
    'leaves the same command lines in %s whatever the session',
    async (_id, lab) => {
      const first = await setupArgv(lab, randomHex(16));
      for (let i = 0; i < 4; i++) expect(await setupArgv(lab, randomHex(16))).toEqual(first);
    },
  );
});
