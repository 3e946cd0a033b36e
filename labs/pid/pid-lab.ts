// PID namespace lab: a container's shell sees only the container's processes, numbered
// from 1; a container started with --pid=host sees every process on the machine with its
// command line, including one the lab planted with a secret in its name, and the Docker
// daemon itself. The --pid=host container runs as nobody so that seeing is not touching.
import type { LabDefinition } from '../../server/lab-kit.ts';
import { ownNamespaceCheck } from '../shared/own-namespace-check.ts';
import { dockerDaemonExercise } from './docker-daemon-exercise.ts';
import { NOT_ON_HOST, hostCommandLines, hostPidSharesHost } from './host-processes.ts';

/** The planted process's name: the host-pid container's hostname ties it to one session. */
export function plantedName(hostPidHostname: string, token: string): string {
  return `nslab-planted-${hostPidHostname}-${token}`;
}

/** A learner may submit the token alone or the whole process name (with or without args). */
export function submittedToken(answer: string): string | undefined {
  const text = answer.trim().toLowerCase();
  if (/^[0-9a-f]{16}$/.test(text)) return text;
  return /^nslab-planted-[a-z0-9-]*?-([0-9a-f]{16})(?:\s.*)?$/.exec(text)?.[1];
}

const SMALL = { memoryMb: 128, pidsLimit: 128, cpus: 0.5 };

export const pidLab: LabDefinition = {
  id: 'pid',
  title: 'PID namespace: which processes can you see?',
  topic: 'namespaces',
  summary:
    "Your container numbers its own processes from 1 and sees no others. Share the host's PID namespace and you see every process on the machine: a planted secret, other containers, the Docker daemon.",
  minutes: 12,
  learned: [
    'A PID namespace numbers its processes from 1 and hides every process outside it.',
    '--pid=host shows every process on the machine: secrets on command lines, other containers, dockerd itself.',
    'The same process has one number per namespace it is seen from (NSpid).',
  ],
  lesson: 'pid.md',
  // Side by side, with the inspector, shows what the differing flags change.
  sideBySide: ['isolated', 'host-pid'],
  containers: [
    { name: 'isolated', title: 'isolated', ...SMALL },
    // nobody, not root: with the host's PIDs in view, root could signal every root process
    // on the machine (dockerd, the nslab server). As nobody it can look, not touch.
    { name: 'host-pid', title: 'host-pid (--pid=host)', pidMode: 'host', user: 'nobody', ...SMALL },
    // A helper nobody types into: the set-up step starts the named process in it.
    { name: 'planted', title: 'planted', terminal: false, memoryMb: 32, pidsLimit: 16, cpus: 0.1 },
  ],
  setup: async (ctx) => {
    const hostname = (await ctx.exec('host-pid', ['hostname'])).stdout.trim();
    if (!/^[a-z0-9-]{1,63}$/.test(hostname))
      throw new Error(`unexpected host-pid hostname "${hostname}"`);
    const name = plantedName(hostname, ctx.sessionToken);
    // The one token meant to be seen on a command line: finding it through the host's PID
    // namespace is the exercise, and this session uses its token for nothing else.
    // setsid and closed descriptors: the set-up exec returns while the process lives on.
    await ctx.exec('planted', [
      'bash',
      '-c',
      `setsid bash -c 'exec -a ${name} sleep infinity' </dev/null >/dev/null 2>&1 &`,
    ]);
  },
  exercises: [
    {
      id: 'own-namespace',
      title: 'Your own PID namespace',
      goal: 'Report the number of the PID namespace that your shell in the isolated terminal lives in.',
      answer: { label: 'PID namespace', placeholder: 'pid:[4026531836]' },
      hints: [
        'Every namespace a process belongs to is a link under /proc/<pid>/ns/; "self" is the process reading it.',
        "That number is the host's PID namespace: the host-pid container shares it. Ask from the isolated terminal.",
        'In the isolated terminal: readlink /proc/self/ns/pid',
      ],
      check: ownNamespaceCheck({
        kind: 'pid',
        container: 'isolated',
        explain: 'Inside it the numbering starts again at 1.',
      }),
      solution: [
        { terminal: 'isolated', input: 'readlink /proc/self/ns/pid', capture: /pid:\[(\d+)\]/ },
      ],
      // The right kind of number from the wrong place: the host's namespace.
      cheat: [
        { terminal: 'host-pid', input: 'readlink /proc/self/ns/pid', capture: /pid:\[(\d+)\]/ },
      ],
    },
    {
      id: 'planted-token',
      title: 'Find the planted process',
      goal: 'Find the process the lab planted outside your containers and submit the secret token at the end of its name.',
      answer: { label: 'Token', placeholder: '16 hex digits' },
      hints: [
        'The isolated shell sees only its own container. Which terminal sees processes outside its container? The name starts with nslab-planted-.',
        'In the host-pid terminal, list every process with its command line (ps -eo pid,user,args). Other learners may share this machine: yours carries your host-pid hostname (the name in your prompt).',
        'In the host-pid terminal: ps -eo args | grep -o "nslab-planted-$(hostname)-[0-9a-f]*" (the token is the last part)',
      ],
      check: async (ctx, answer) => {
        if (!(await hostPidSharesHost(ctx))) return { passed: false, reason: NOT_ON_HOST, hint: 0 };
        const token = submittedToken(answer ?? '');
        if (token === ctx.sessionToken) {
          const planted = (await ctx.container('planted').processes()).find((p) =>
            p.cmdline.startsWith('nslab-planted-'),
          );
          const where =
            planted === undefined
              ? ''
              : ` It runs as host PID ${planted.pid} (NSpid "${(planted.status.NSpid ?? '?').replace(/\s+/g, ' ')}": host PID, then its PID inside its own container).`;
          return {
            passed: true,
            reason: `Right. The planted process lives in a container of its own, in a PID namespace your isolated shell cannot see into; through the host's PID namespace its command line is open to any process.${where}`,
          };
        }
        if (token === undefined) {
          const isolatedHostname = (await ctx.container('isolated').inspect()).Config.Hostname;
          return {
            passed: false,
            reason:
              answer === isolatedHostname
                ? "That is the isolated container's own hostname. Its ps shows no planted process: that is the PID namespace at work."
                : 'That is not a token: the planted name ends in 16 hex digits.',
            hint: 0,
          };
        }
        // What ps in the host-pid terminal lists, read by the server in the same namespace.
        const elsewhere = (await hostCommandLines()).some(
          (line) => line.startsWith('nslab-planted-') && line.includes(`-${token}`),
        );
        return {
          passed: false,
          reason: elsewhere
            ? "That token belongs to a process planted for someone else's session: --pid=host shows you everyone's processes. Yours carries your host-pid hostname."
            : 'No process on this machine carries that token.',
          hint: elsewhere ? 2 : 1,
        };
      },
      solution: [
        {
          terminal: 'host-pid',
          input: 'ps -eo args | grep -o "nslab-planted-$(hostname)-[0-9a-f]*"',
          capture: /nslab-planted-[0-9a-z-]*?-([0-9a-f]{16})$/m,
        },
      ],
      // The isolated container's ps shows no planted process; the only random-looking name
      // there is the container's own hostname.
      cheat: [{ terminal: 'isolated', input: 'ps -e; hostname', capture: /^([0-9a-f]{12})$/m }],
    },
    dockerDaemonExercise,
  ],
};
