// Linux security modules (AppArmor, SELinux): mandatory access control on top of
// capabilities and seccomp. Where the kernel runs AppArmor, Docker confines every container
// with its docker-default profile and --security-opt apparmor=unconfined opts out; where it
// does not (these machines), there is no label at all and the option is accepted silently.
// The first two exercises compare the learner's reading with the label the host reads for
// the container's shell, so they are right on either kind of host. The third (mount-denial.ts)
// shows a denial, and runs only where the engine reports AppArmor, in solo mode.
import type {
  CheckContext,
  CheckOutcome,
  ContainerProfile,
  HostProcess,
  LabDefinition,
} from '../../server/lab-kit.ts';
import { t } from '../shared/localized.ts';
import { mountContainers, mountDeniedExercise, plantMountPoints } from './mount-denial.ts';

const common: Omit<ContainerProfile, 'name' | 'title'> = {
  memoryMb: 128,
  pidsLimit: 128,
  cpus: 0.5,
};

/** Ways of saying "there is no label": what `cat /proc/self/attr/current` prints when no LSM gives one. */
const NO_LABEL =
  /^(none|no|nothing|no label|no profile|-|(cat: )?(\/proc\/self\/attr\/current: )?invalid argument)$/;

/** Whether an answer names the label the host read (undefined: none), e.g. "docker-default" for "docker-default (enforce)". */
export function matchesLabel(answer: string, label: string | undefined): boolean {
  const said = answer.trim().toLowerCase().replace(/\s+/g, ' ');
  if (label === undefined) return NO_LABEL.test(said);
  const truth = label.trim().toLowerCase();
  return said === truth || said === truth.replace(/ \((enforce|complain|kill|unconfined)\)$/, '');
}

/** The label of the learner's shell when one is open, else of the container's other processes. */
function shellOf(processes: HostProcess[]): HostProcess | undefined {
  return processes.find((p) => p.status.Name === 'bash') ?? processes[0];
}

async function labelCheck(
  ctx: CheckContext,
  container: string,
  answer: string | undefined,
): Promise<CheckOutcome> {
  const shell = shellOf(await ctx.container(container).processes());
  if (shell === undefined) {
    return {
      passed: false,
      reason: t(`The ${container} container has no processes.`, `${container} 容器中没有进程。`),
      hint: 0,
    };
  }
  const label = shell.securityLabel;
  const said = (answer ?? '').trim();
  const engine = ctx.host.facts.apparmor
    ? t(
        'The engine reports AppArmor among its security options.',
        '引擎在其安全选项中报告了 AppArmor。',
      )
    : t(
        'The engine reports no AppArmor among its security options.',
        '引擎在其安全选项中没有报告 AppArmor。',
      );
  if (matchesLabel(said, label)) {
    return {
      passed: true,
      reason:
        label === undefined
          ? t(
              `Right: from the host, /proc/${shell.pid}/attr/current (your ${shell.status.Name ?? 'process'}) cannot be read either: no security module on this kernel labels processes. ${engine.en}`,
              `正确：从宿主机读取 /proc/${shell.pid}/attr/current（你的 ${shell.status.Name ?? '进程'}）同样失败：这个内核上没有任何安全模块给进程打标签。${engine.zh}`,
            )
          : t(
              `Right: from the host, /proc/${shell.pid}/attr/current (your ${shell.status.Name ?? 'process'}) reads "${label}". ${engine.en}`,
              `正确：从宿主机读取，/proc/${shell.pid}/attr/current（你的 ${shell.status.Name ?? '进程'}）的内容是 "${label}"。${engine.zh}`,
            ),
    };
  }
  // The same words whatever the truth is: a reply must not tell a guesser which way to go.
  return {
    passed: false,
    reason: t(
      `That is not the label the host reads for the ${container} container's shell.`,
      `这不是宿主机为 ${container} 容器的 shell 读到的标签。`,
    ),
    hint: 1,
  };
}

const READ_LABEL = 'cat /proc/self/attr/current 2>/dev/null || echo none';

export const lsmLab: LabDefinition = {
  id: 'lsm',
  title: t('AppArmor and SELinux: mandatory access control', 'AppArmor 与 SELinux：强制访问控制'),
  topic: 'least privilege',
  summary: t(
    'Find out whether a security module confines your container, what label it gives, and what --security-opt apparmor=unconfined changes; on a host without AppArmor, see that the option changes nothing.',
    '弄清是否有安全模块在约束你的容器、它给出什么标签，以及 --security-opt apparmor=unconfined 改变了什么；在没有 AppArmor 的宿主机上，看到这个选项什么也没改变。',
  ),
  minutes: 12,
  learned: [
    t(
      "A Linux security module (AppArmor, SELinux) can label and confine a container's processes beyond capabilities.",
      'Linux 安全模块（AppArmor、SELinux）可以在能力之外，为容器的进程打上标签并加以约束。',
    ),
    t(
      '--security-opt apparmor=unconfined removes that confinement; on a host without AppArmor it changes nothing.',
      '--security-opt apparmor=unconfined 会解除这种约束；在没有 AppArmor 的宿主机上，它什么也不改变。',
    ),
    t(
      'Where AppArmor runs, docker-default refuses a mount even to a container given CAP_SYS_ADMIN, and the kernel logs the denial.',
      '在运行 AppArmor 的地方，即使容器被授予了 CAP_SYS_ADMIN，docker-default 也会拒绝挂载，并且内核会记录这次拒绝。',
    ),
  ],
  lesson: 'lsm.md',
  containers: [
    { name: 'default', title: t('default', 'default'), hostname: 'default', ...common },
    {
      name: 'unconfined',
      title: t('unconfined (apparmor=unconfined)', 'unconfined（apparmor=unconfined）'),
      hostname: 'unconfined',
      securityOpt: ['apparmor=unconfined'],
      ...common,
    },
    ...mountContainers(common),
  ],
  setup: plantMountPoints,
  exercises: [
    {
      id: 'shell-label',
      title: t('What confines your shell?', '是什么在约束你的 shell？'),
      goal: t(
        'Report the security label the kernel gives your shell in the default container ("none" if it gives none).',
        '报告内核给 default 容器中你的 shell 的安全标签（如果没有，就答 "none"）。',
      ),
      answer: { label: t('Label', '标签'), placeholder: t('label, or none', '标签，或 none') },
      hints: [
        t(
          'Security modules keep a label per process; the kernel shows it in /proc/<pid>/attr/current.',
          '安全模块为每个进程保存一个标签；内核在 /proc/<pid>/attr/current 中显示它。',
        ),
        t(
          'Read it, do not guess it: what the label is depends on the kernel under this container.',
          '去读它，不要猜：标签是什么，取决于这个容器底下的内核。',
        ),
        t(
          'In the default terminal: cat /proc/self/attr/current (an "Invalid argument" error means no label: answer none)',
          '在 default 终端中：cat /proc/self/attr/current（"Invalid argument" 错误表示没有标签：答 none）',
        ),
      ],
      check: (ctx, answer) => labelCheck(ctx, 'default', answer),
      solution: [{ terminal: 'default', input: READ_LABEL, capture: /^(\S[^\n]*?)\s*$/m }],
      // AppArmor's word for "no profile" is a label too; on neither kind of host is it this shell's.
      cheat: [{ terminal: 'default', input: 'echo unconfined', capture: /^(unconfined)\s*$/m }],
    },
    {
      id: 'opted-out',
      title: t('Opting out', '选择退出'),
      goal: t(
        'Report the security label of your shell in the container started with --security-opt apparmor=unconfined ("none" if it has none).',
        '报告以 --security-opt apparmor=unconfined 启动的容器中你的 shell 的安全标签（如果没有，就答 "none"）。',
      ),
      answer: { label: t('Label', '标签'), placeholder: t('label, or none', '标签，或 none') },
      hints: [
        t(
          'Same question, other container: switch to the unconfined terminal and read /proc/self/attr/current there.',
          '同样的问题，换一个容器：切换到 unconfined 终端，在那里读取 /proc/self/attr/current。',
        ),
        t(
          'The option only means something where AppArmor runs. Read the label, do not assume what the option did.',
          '这个选项只在运行 AppArmor 的地方才有意义。去读标签，不要想当然地认为这个选项做了什么。',
        ),
        t(
          'In the unconfined terminal: cat /proc/self/attr/current (an "Invalid argument" error means no label: answer none)',
          '在 unconfined 终端中：cat /proc/self/attr/current（"Invalid argument" 错误表示没有标签：答 none）',
        ),
      ],
      check: async (ctx, answer) => {
        const info = await ctx.container('unconfined').inspect();
        if (!((info.HostConfig.SecurityOpt ?? []) as string[]).includes('apparmor=unconfined')) {
          return {
            passed: false,
            reason: t(
              'The unconfined container lacks the option.',
              'unconfined 容器缺少这个选项。',
            ),
            hint: 0,
          };
        }
        return labelCheck(ctx, 'unconfined', answer);
      },
      solution: [{ terminal: 'unconfined', input: READ_LABEL, capture: /^(\S[^\n]*?)\s*$/m }],
      // Docker's profile name, which this container was told not to use.
      cheat: [
        {
          terminal: 'unconfined',
          input: "echo 'docker-default (enforce)'",
          capture: /^(docker-default \(enforce\))\s*$/m,
        },
      ],
    },
    mountDeniedExercise,
  ],
};
