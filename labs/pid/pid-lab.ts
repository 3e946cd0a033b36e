// PID namespace lab: a container's shell sees only the container's processes, numbered
// from 1; a container started with --pid=host sees every process on the machine with its
// command line, including one the lab planted with a secret in its name, and the Docker
// daemon itself. The --pid=host container runs as nobody so that seeing is not touching.
import type { LabDefinition } from '../../server/lab-kit.ts';
import { ownNamespaceCheck } from '../shared/own-namespace-check.ts';
import { dockerDaemonExercise } from './docker-daemon-exercise.ts';
import { NOT_ON_HOST, hostCommandLines, hostPidSharesHost } from './host-processes.ts';
import { t } from '../shared/localized.ts';

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
  title: t('PID namespace: which processes can you see?', 'PID 命名空间：你能看到哪些进程？'),
  topic: 'namespaces',
  summary: t(
    "Your container numbers its own processes from 1 and sees no others. Share the host's PID namespace and you see every process on the machine: a planted secret, other containers, the Docker daemon.",
    '你的容器从 1 开始为自己的进程编号，看不到其他进程。共享宿主机的 PID 命名空间，你就能看到这台机器上的每个进程：一个被植入的秘密、其他容器、Docker 守护进程。',
  ),
  minutes: 12,
  learned: [
    t(
      'A PID namespace numbers its processes from 1 and hides every process outside it.',
      'PID 命名空间从 1 开始为其中的进程编号，并隐藏它之外的所有进程。',
    ),
    t(
      '--pid=host shows every process on the machine: secrets on command lines, other containers, dockerd itself.',
      '--pid=host 会显示这台机器上的所有进程：命令行里的秘密、其他容器，乃至 dockerd 本身。',
    ),
    t(
      'The same process has one number per namespace it is seen from (NSpid).',
      '同一个进程在观察它的每个命名空间中各有一个编号（NSpid）。',
    ),
  ],
  lesson: 'pid.md',
  // Side by side, with the inspector, shows what the differing flags change.
  sideBySide: ['isolated', 'host-pid'],
  containers: [
    { name: 'isolated', title: t('isolated', 'isolated'), ...SMALL },
    // nobody, not root: with the host's PIDs in view, root could signal every root process
    // on the machine (dockerd, the nslab server). As nobody it can look, not touch.
    {
      name: 'host-pid',
      title: t('host-pid (--pid=host)', 'host-pid（--pid=host）'),
      pidMode: 'host',
      user: 'nobody',
      ...SMALL,
    },
    // A helper nobody types into: the set-up step starts the named process in it.
    {
      name: 'planted',
      title: t('planted', 'planted'),
      terminal: false,
      memoryMb: 32,
      pidsLimit: 16,
      cpus: 0.1,
    },
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
      title: t('Your own PID namespace', '你自己的 PID 命名空间'),
      goal: t(
        'Report the number of the PID namespace that your shell in the isolated terminal lives in.',
        '报告你在 isolated 终端中的 shell 所在 PID 命名空间的编号。',
      ),
      answer: {
        label: t('PID namespace', 'PID 命名空间'),
        placeholder: t('pid:[4026531836]', 'pid:[4026531836]'),
      },
      hints: [
        t(
          'Every namespace a process belongs to is a link under /proc/<pid>/ns/; "self" is the process reading it.',
          '进程所属的每个命名空间都是 /proc/<pid>/ns/ 下的一个链接；“self”指正在读取它的那个进程。',
        ),
        t(
          "That number is the host's PID namespace: the host-pid container shares it. Ask from the isolated terminal.",
          '这个编号是宿主机的 PID 命名空间：host-pid 容器共享它。请在 isolated 终端里查询。',
        ),
        t(
          'In the isolated terminal: readlink /proc/self/ns/pid',
          '在 isolated 终端中：readlink /proc/self/ns/pid',
        ),
      ],
      check: ownNamespaceCheck({
        kind: 'pid',
        container: 'isolated',
        explain: t('Inside it the numbering starts again at 1.', '在它内部，编号重新从 1 开始。'),
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
      title: t('Find the planted process', '找到被植入的进程'),
      goal: t(
        'Find the process the lab planted outside your containers and submit the secret token at the end of its name.',
        '找到实验在你的容器之外植入的进程，提交其名字末尾的秘密令牌。',
      ),
      answer: {
        label: t('Token', '令牌'),
        placeholder: t('16 hex digits', '16 个十六进制数字'),
      },
      hints: [
        t(
          'The isolated shell sees only its own container. Which terminal sees processes outside its container? The name starts with nslab-planted-.',
          'isolated 中的 shell 只能看到它自己的容器。哪个终端能看到其容器之外的进程？名字以 nslab-planted- 开头。',
        ),
        t(
          'In the host-pid terminal, list every process with its command line (ps -eo pid,user,args). Other learners may share this machine: yours carries your host-pid hostname (the name in your prompt).',
          '在 host-pid 终端里列出所有进程及其命令行（ps -eo pid,user,args）。其他学员可能也在用这台机器：你的那个带有你的 host-pid 主机名（提示符中的名字）。',
        ),
        t(
          'In the host-pid terminal: ps -eo args | grep -o "nslab-planted-$(hostname)-[0-9a-f]*" (the token is the last part)',
          '在 host-pid 终端中：ps -eo args | grep -o "nslab-planted-$(hostname)-[0-9a-f]*"（令牌是最后一部分）',
        ),
      ],
      check: async (ctx, answer) => {
        if (!(await hostPidSharesHost(ctx))) return { passed: false, reason: NOT_ON_HOST, hint: 0 };
        const token = submittedToken(answer ?? '');
        if (token === ctx.sessionToken) {
          const planted = (await ctx.container('planted').processes()).find((p) =>
            p.cmdline.startsWith('nslab-planted-'),
          );
          const nspid = (planted?.status.NSpid ?? '?').replace(/\s+/g, ' ');
          const where =
            planted === undefined
              ? t('', '')
              : t(
                  ` It runs as host PID ${planted.pid} (NSpid "${nspid}": host PID, then its PID inside its own container).`,
                  `它以宿主机 PID ${planted.pid} 运行（NSpid“${nspid}”：先是宿主机 PID，然后是它在自己容器内的 PID）。`,
                );
          return {
            passed: true,
            reason: t(
              `Right. The planted process lives in a container of its own, in a PID namespace your isolated shell cannot see into; through the host's PID namespace its command line is open to any process.${where.en}`,
              `正确。被植入的进程位于它自己的容器中，处在一个你的 isolated shell 无法看进去的 PID 命名空间里；而通过宿主机的 PID 命名空间，它的命令行对任何进程都是公开的。${where.zh}`,
            ),
          };
        }
        if (token === undefined) {
          const isolatedHostname = (await ctx.container('isolated').inspect()).Config.Hostname;
          return {
            passed: false,
            reason:
              answer === isolatedHostname
                ? t(
                    "That is the isolated container's own hostname. Its ps shows no planted process: that is the PID namespace at work.",
                    '这是 isolated 容器自己的主机名。它的 ps 显示不出被植入的进程：这正是 PID 命名空间在起作用。',
                  )
                : t(
                    'That is not a token: the planted name ends in 16 hex digits.',
                    '这不是令牌：被植入进程的名字以 16 个十六进制数字结尾。',
                  ),
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
            ? t(
                "That token belongs to a process planted for someone else's session: --pid=host shows you everyone's processes. Yours carries your host-pid hostname.",
                '这个令牌属于为别人的会话植入的进程：--pid=host 让你看到所有人的进程。你的那个带有你的 host-pid 主机名。',
              )
            : t(
                'No process on this machine carries that token.',
                '这台机器上没有进程带有这个令牌。',
              ),
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
