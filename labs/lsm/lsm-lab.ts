// Linux security modules (AppArmor, SELinux): mandatory access control on top of
// capabilities and seccomp. Where the kernel runs AppArmor, Docker confines every container
// with its docker-default profile and --security-opt apparmor=unconfined opts out; where it
// does not (these machines), there is no label at all and the option is accepted silently.
// Both exercises compare the learner's reading with the label the host reads for the
// container's shell, so they are right on either kind of host.
import type {
  CheckContext,
  CheckOutcome,
  ContainerProfile,
  HostProcess,
  LabDefinition,
} from '../../server/lab-kit.ts';

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
    return { passed: false, reason: `The ${container} container has no processes.`, hint: 0 };
  }
  const label = shell.securityLabel;
  const said = (answer ?? '').trim();
  const engine = ctx.host.facts.apparmor
    ? 'The engine reports AppArmor among its security options.'
    : 'The engine reports no AppArmor among its security options.';
  if (matchesLabel(said, label)) {
    return {
      passed: true,
      reason:
        label === undefined
          ? `Right: from the host, /proc/${shell.pid}/attr/current (your ${shell.status.Name ?? 'process'}) cannot be read either: no security module on this kernel labels processes. ${engine}`
          : `Right: from the host, /proc/${shell.pid}/attr/current (your ${shell.status.Name ?? 'process'}) reads "${label}". ${engine}`,
    };
  }
  // The same words whatever the truth is: a reply must not tell a guesser which way to go.
  return {
    passed: false,
    reason: `That is not the label the host reads for the ${container} container's shell.`,
    hint: 1,
  };
}

const READ_LABEL = 'cat /proc/self/attr/current 2>/dev/null || echo none';

export const lsmLab: LabDefinition = {
  id: 'lsm',
  title: 'AppArmor and SELinux: mandatory access control',
  topic: 'least privilege',
  summary:
    'Find out whether a security module confines your container, what label it gives, and what --security-opt apparmor=unconfined changes; on a host without AppArmor, see that the option changes nothing.',
  minutes: 8,
  learned: [
    "A Linux security module (AppArmor, SELinux) can label and confine a container's processes beyond capabilities.",
    '--security-opt apparmor=unconfined removes that confinement; on a host without AppArmor it changes nothing.',
  ],
  lesson: 'lsm.md',
  containers: [
    { name: 'default', title: 'default', hostname: 'default', ...common },
    {
      name: 'unconfined',
      title: 'unconfined (apparmor=unconfined)',
      hostname: 'unconfined',
      securityOpt: ['apparmor=unconfined'],
      ...common,
    },
  ],
  exercises: [
    {
      id: 'shell-label',
      title: 'What confines your shell?',
      goal: 'Report the security label the kernel gives your shell in the default container ("none" if it gives none).',
      answer: { label: 'Label', placeholder: 'label, or none' },
      hints: [
        'Security modules keep a label per process; the kernel shows it in /proc/<pid>/attr/current.',
        'Read it, do not guess it: what the label is depends on the kernel under this container.',
        'In the default terminal: cat /proc/self/attr/current (an "Invalid argument" error means no label: answer none)',
      ],
      check: (ctx, answer) => labelCheck(ctx, 'default', answer),
      solution: [{ terminal: 'default', input: READ_LABEL, capture: /^(\S[^\n]*?)\s*$/m }],
      // AppArmor's word for "no profile" is a label too; on neither kind of host is it this shell's.
      cheat: [{ terminal: 'default', input: 'echo unconfined', capture: /^(unconfined)\s*$/m }],
    },
    {
      id: 'opted-out',
      title: 'Opting out',
      goal: 'Report the security label of your shell in the container started with --security-opt apparmor=unconfined ("none" if it has none).',
      answer: { label: 'Label', placeholder: 'label, or none' },
      hints: [
        'Same question, other container: switch to the unconfined terminal and read /proc/self/attr/current there.',
        'The option only means something where AppArmor runs. Read the label, do not assume what the option did.',
        'In the unconfined terminal: cat /proc/self/attr/current (an "Invalid argument" error means no label: answer none)',
      ],
      check: async (ctx, answer) => {
        const info = await ctx.container('unconfined').inspect();
        if (!((info.HostConfig.SecurityOpt ?? []) as string[]).includes('apparmor=unconfined')) {
          return { passed: false, reason: 'The unconfined container lacks the option.', hint: 0 };
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
  ],
};
