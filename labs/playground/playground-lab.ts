// The profile playground: the learner composes a container profile from vetted options, the
// server starts it in place of the playground container (server/playground/), and the page
// shows its `docker run`, its inspector, docker-bench-security's section 5 score and a menu
// of fixed probes. The checks read the engine's inspect of the container running now and
// the host's /proc of its processes, never a program inside it: the learner may be root there.
import type {
  CheckContext,
  CheckOutcome,
  ContainerInspectInfo,
  Exercise,
  HostProcess,
  LabDefinition,
  PlaygroundRequest,
} from '../../server/lab-kit.ts';
import { CAPABILITY_BITS, dockerBenchScore, playgroundContainer } from '../../server/lab-kit.ts';
import { PROFILE_JSON, PROFILE_NAME } from '../seccomp/seccomp-lab.ts';
import type { Localized } from '../shared/localized.ts';
import { REASONS, TEXT } from './playground-text.ts';

const NAME = 'playground';

/** Docker's defaults within small limits: what the form shows first, and what runs first. */
export const START: PlaygroundRequest = {
  share: [],
  capDrop: [],
  capAdd: [],
  readOnly: false,
  noNewPrivileges: false,
  seccomp: 'default',
  user: 'root',
  memoryMb: 128,
  pidsLimit: 128,
  cpus: 0.5,
};

/** Hardened the way the seeds ask, and root: passes every applicable check, and cannot chown. */
export const ROOT_HARDENED: PlaygroundRequest = {
  ...START,
  capDrop: ['ALL'],
  readOnly: true,
  noNewPrivileges: true,
  memoryMb: 64,
  pidsLimit: 64,
};

const CHOWN_BIT = BigInt(CAPABILITY_BITS.indexOf('CHOWN'));

function hasBit(mask: string | undefined, bit: bigint): boolean {
  return /^[0-9a-f]+$/i.test(mask ?? '') && ((BigInt(`0x${mask}`) >> bit) & 1n) === 1n;
}

type Running =
  | { fail: Localized }
  | { fail?: undefined; inspect: ContainerInspectInfo; processes: HostProcess[] };

/** The playground as it runs now, or why there is nothing to judge yet. */
async function running(ctx: CheckContext): Promise<Running> {
  const container = ctx.container(NAME);
  const inspect = await container.inspect();
  if (!inspect.State.Running) return { fail: REASONS.notRunning };
  // The first container keeps the plain name; every started profile gets a numbered one.
  if (inspect.Name.endsWith(`-${NAME}`)) return { fail: REASONS.notStarted };
  return { inspect, processes: await container.processes() };
}

async function hardenedCheck(ctx: CheckContext): Promise<CheckOutcome> {
  const now = await running(ctx);
  if (now.fail !== undefined) return { passed: false, reason: now.fail, hint: 0 };
  const score = dockerBenchScore(now.inspect);
  const warns = score.findings.filter((f) => f.result === 'warn').map((f) => f.id);
  if (warns.length > 0) return { passed: false, reason: REASONS.warns(warns.join(', ')), hint: 1 };
  // The engine's word, and the kernel's: no-new-privileges really set on the processes.
  if (now.processes.length === 0 || now.processes.some((p) => p.status.NoNewPrivs !== '1'))
    return { passed: false, reason: REASONS.noNnpEffect, hint: 2 };
  return { passed: true, reason: REASONS.hardened(score.passed) };
}

async function rootNoChownCheck(ctx: CheckContext): Promise<CheckOutcome> {
  const now = await running(ctx);
  if (now.fail !== undefined) return { passed: false, reason: now.fail, hint: 0 };
  const user = now.inspect.Config.User;
  const uids = now.processes.map((p) => (p.status.Uid ?? '').split(/\s+/)[0]);
  // The engine's word (its user) and the kernel's (its init, and whatever runs, as uid 0).
  if (!['', 'root', '0', '0:0'].includes(user) || !uids.includes('0'))
    return { passed: false, reason: REASONS.notRoot(user || 'root'), hint: 0 };
  if (now.processes.length === 0 || now.processes.some((p) => hasBit(p.status.CapBnd, CHOWN_BIT)))
    return { passed: false, reason: REASONS.keepsChown, hint: 1 };
  return {
    passed: true,
    reason: REASONS.rootNoChown(
      now.processes
        .filter((p) => p.status.Uid?.split(/\s+/)[0] === '0')
        .map((p) => p.pid)
        .join(', '),
    ),
  };
}

const exercises: Exercise[] = [
  {
    id: 'hardened',
    title: TEXT.hardened.title,
    goal: TEXT.hardened.goal,
    hints: [...TEXT.hardened.hints],
    check: hardenedCheck,
    // Almost hardened: everything but no-new-privileges (5.26 still warns).
    cheat: [
      {
        terminal: NAME,
        playground: { ...ROOT_HARDENED, user: 'nobody', noNewPrivileges: false },
      },
    ],
    solution: [{ terminal: NAME, playground: { ...ROOT_HARDENED, user: 'nobody' } }],
  },
  {
    id: 'root-no-chown',
    title: TEXT.rootNoChown.title,
    goal: TEXT.rootNoChown.goal,
    hints: [...TEXT.rootNoChown.hints],
    check: rootNoChownCheck,
    // Not root at all; and root that drops ALL but adds CHOWN back.
    cheat: [
      { terminal: NAME, playground: { ...ROOT_HARDENED, user: 'nobody' } },
      { terminal: NAME, playground: { ...ROOT_HARDENED, capAdd: ['CHOWN'] } },
    ],
    // Also passes the first exercise, so the lab's end still holds both.
    solution: [{ terminal: NAME, playground: ROOT_HARDENED }],
  },
];

export const playgroundLab: LabDefinition = {
  id: 'playground',
  title: TEXT.title,
  topic: 'least privilege',
  summary: TEXT.summary,
  minutes: 15,
  learned: TEXT.learned,
  lesson: 'playground.md',
  containers: [
    playgroundContainer({ name: NAME, title: TEXT.containerTitle, hostname: NAME }, START, []),
  ],
  playground: {
    container: NAME,
    seccompProfiles: [{ name: PROFILE_NAME, json: PROFILE_JSON }],
  },
  exercises,
};
