// Seccomp lab: a filter the kernel runs on every system call of the container. Docker's
// default profile (an allowlist) refuses unshare(CLONE_NEWUSER) to a container without
// CAP_SYS_ADMIN; a custom profile that denies the chmod family refuses it even to root, but
// replaces the default instead of adding to it; seccomp=unconfined removes the filter.
// The checks run nothing in the learner's containers: they read the profile from the engine,
// each process's seccomp mode and namespaces from the host's /proc, and files in /tmp with
// the host's lstat through the container's root.
import { readFileSync } from 'node:fs';
import type {
  CheckOutcome,
  ContainerEvidence,
  ContainerProfile,
  HostProcess,
  LabDefinition,
} from '../../server/lab-kit.ts';

export const PROFILE_NAME = 'nslab-no-chmod.json';
/** The profile exactly as shipped, compacted for the engine. */
export const PROFILE_JSON = JSON.stringify(
  JSON.parse(readFileSync(new URL(`./${PROFILE_NAME}`, import.meta.url), 'utf8')) as unknown,
);
const DENIED: readonly string[] = (
  JSON.parse(PROFILE_JSON) as { syscalls: { names: string[] }[] }
).syscalls.flatMap((rule) => rule.names);

/**
 * The system call Debian's chmod(1) in the lab image makes to change a mode (coreutils 9.1 on
 * bookworm). The server cannot watch the learner's own chmod, and a program it ran in their
 * container would be theirs to replace; test/docker/seccomp-image.test.ts measures this on a
 * fresh container of the image under the lab's profile instead.
 */
export const CHMOD_SYSCALL = 'fchmodat';
if (!DENIED.includes(CHMOD_SYSCALL))
  throw new Error(`${PROFILE_NAME} does not deny ${CHMOD_SYSCALL}`);

/** The system calls strace saw refused with EPERM, from `strace -o /dev/stdout` lines. */
export function refusedSyscalls(straceOutput: string): string[] {
  const names = new Set<string>();
  for (const match of straceOutput.matchAll(/^(?:\d+\s+)?(\w+)\(.*=\s*-1 EPERM/gm)) {
    if (match[1] !== undefined) names.add(match[1]);
  }
  return [...names];
}

/** "fchmodat", "fchmodat()", "fchmodat(2)" and "FCHMODAT" all name the same call. */
export function syscallName(answer: string): string {
  return answer
    .trim()
    .toLowerCase()
    .replace(/\(\d?\)$/, '');
}

const common: Omit<ContainerProfile, 'name' | 'title'> = {
  memoryMb: 128,
  pidsLimit: 128,
  cpus: 0.5,
};
/**
 * Why the no-chmod container cannot be judged, if so: the engine did not give it the custom
 * profile, or one of its processes runs without a seccomp filter (Seccomp: 2 in
 * /proc/<pid>/status, read on the host; filters are inherited and can never be removed).
 */
async function notJudgeable(box: ContainerEvidence): Promise<CheckOutcome | undefined> {
  const info = await box.inspect();
  if (!((info.HostConfig.SecurityOpt ?? []) as string[]).includes(`seccomp=${PROFILE_JSON}`)) {
    return { passed: false, reason: 'The no-chmod container has no custom profile.', hint: 0 };
  }
  const unfiltered = (await box.processes()).filter((p) => p.status.Seccomp !== '2');
  if (unfiltered.length > 0) {
    return {
      passed: false,
      reason: `Process ${unfiltered.map((p) => p.pid).join(', ')} of no-chmod runs without a seccomp filter; restart the lab.`,
      hint: 0,
    };
  }
  return undefined;
}

/** A process whose user namespace is not the container's own: made by unshare(2) or clone(2). */
function inNewUserNamespace(processes: HostProcess[], own: string): HostProcess | undefined {
  return processes.find((p) => p.namespaces?.user !== undefined && p.namespaces.user !== own);
}

/**
 * The two containers whose seccomp filter lets unshare(2) through also run without Docker's
 * AppArmor profile. On an AppArmor 4 kernel (Debian 13's 6.12, measured in the VM)
 * docker-default, which has no `userns` rule, refuses to create a user namespace even to
 * full root: the exercise would show AppArmor, not seccomp. Where AppArmor is absent the
 * option changes nothing. The default container keeps both layers.
 */
const WITHOUT_APPARMOR: ['apparmor=unconfined'] = ['apparmor=unconfined'];

export const seccompLab: LabDefinition = {
  id: 'seccomp',
  title: 'Seccomp: filtering system calls',
  topic: 'least privilege',
  summary:
    "Meet Docker's default seccomp profile, load a custom one that refuses chmod even to root, find out what a blocklist misses, and what a custom profile silently gives back.",
  minutes: 15,
  learned: [
    "Docker's default seccomp profile refuses dangerous system calls; a custom profile can refuse more, even to root.",
    'A blocklist misses other routes to the same result, and a custom profile can give back what the default refused.',
  ],
  lesson: 'seccomp.md',
  containers: [
    { name: 'default', title: 'default (Docker profile)', hostname: 'default', ...common },
    {
      name: 'no-chmod',
      title: `no-chmod (${PROFILE_NAME})`,
      hostname: 'no-chmod',
      seccompProfile: { name: PROFILE_NAME, json: PROFILE_JSON },
      // Out of AppArmor's way, so that seccomp alone decides (see WITHOUT_APPARMOR).
      securityOpt: WITHOUT_APPARMOR,
      ...common,
    },
    {
      name: 'unconfined',
      title: 'unconfined (seccomp=unconfined)',
      hostname: 'unconfined',
      securityOpt: ['seccomp=unconfined', ...WITHOUT_APPARMOR],
      ...common,
    },
  ],
  exercises: [
    {
      id: 'which-syscall',
      title: 'Which call was refused?',
      goal: 'Name the system call that the no-chmod filter refuses when you run the `chmod` command.',
      answer: { label: 'System call', placeholder: 'name of the call' },
      hints: [
        'A filter sees system calls, not commands. `strace` prints every call a program makes and what the kernel answered.',
        "That call is on the profile's list, but is it the one Debian's `chmod` command makes? Look at what strace shows, not at the JSON.",
        'In the no-chmod terminal: strace chmod 755 / 2>&1 | grep EPERM',
      ],
      check: async (ctx, answer) => {
        const box = ctx.container('no-chmod');
        const problem = await notJudgeable(box);
        if (problem !== undefined) return problem;
        const name = syscallName(answer ?? '');
        if (name === CHMOD_SYSCALL) {
          return {
            passed: true,
            reason: `Right: chmod(1) calls ${name}(2), and the filter answers EPERM before any permission check, even for root. The server read from the host that every process of no-chmod runs under a seccomp filter (Seccomp: 2) and that the engine gave it ${PROFILE_NAME}, which lists ${name}.`,
          };
        }
        if (DENIED.includes(name)) {
          return {
            passed: false,
            reason: `${name} is on the profile's list, but Debian's chmod command does not call it.`,
            hint: 1,
          };
        }
        return {
          passed: false,
          reason: `The filter does not refuse "${name}" for chmod.`,
          hint: 0,
        };
      },
      solution: [
        {
          terminal: 'no-chmod',
          input: 'strace chmod 755 / 2>&1 | grep EPERM',
          capture: /^(\w+)\(.*EPERM/m,
        },
      ],
      // The command's name is not the system call's.
      cheat: [{ terminal: 'no-chmod', input: 'echo chmod', capture: /^(chmod)\s*$/m }],
    },
    {
      id: 'exec-anyway',
      title: 'What a blocklist misses',
      goal: 'Get an executable file into /tmp of the no-chmod container, although every chmod call is refused there.',
      hints: [
        'The filter refuses calls that change a mode. Is there a call that creates a file with a mode already set?',
        'open(2) and creat(2) take a mode for a new file. `cp` creates its copy with the mode of the original. What could you copy that is already executable?',
        "In the no-chmod terminal: rm -f /tmp/hello; cp /bin/true /tmp/hello; printf '#!/bin/sh\\necho it runs\\n' > /tmp/hello; /tmp/hello",
      ],
      check: async (ctx) => {
        const box = ctx.container('no-chmod');
        const problem = await notJudgeable(box);
        if (problem !== undefined) return problem;
        // Regular files only, as the host's lstat sees them: a symlink to a program is not one.
        const files = await box.walk('/tmp', { types: ['file'] });
        const executable = files.filter((f) => (f.mode & 0o111) !== 0).map((f) => f.path);
        if (executable.length === 0) {
          return {
            passed: false,
            reason:
              files.length === 0
                ? '/tmp holds no files yet.'
                : '/tmp holds files, but none has an execute bit.',
            hint: files.length === 0 ? 0 : 1,
          };
        }
        return {
          passed: true,
          reason: `${executable.join(', ')} is executable, while every process of no-chmod still runs under ${PROFILE_NAME}, which refuses ${DENIED.join(', ')}. The mode was set when the file was created (open(2) with a mode), a path the profile never listed.`,
        };
      },
      // chmod is refused, so the file stays 0644; a symlink to a program is not a file of yours.
      cheat: [
        {
          terminal: 'no-chmod',
          input: 'touch /tmp/run.sh; chmod +x /tmp/run.sh; ln -s /bin/true /tmp/link',
        },
      ],
      solution: [
        {
          terminal: 'no-chmod',
          input:
            "rm -f /tmp/hello; cp /bin/true /tmp/hello; printf '#!/bin/sh\\necho it runs\\n' > /tmp/hello; /tmp/hello",
        },
      ],
    },
    {
      id: 'userns',
      title: 'What a custom profile gives back',
      goal: 'Leave a process running in a new user namespace in every container whose seccomp filter allows one.',
      hints: [
        "`unshare -Ur` creates a user namespace. Docker's default profile refuses that to a container without CAP_SYS_ADMIN. Which of your containers are not under Docker's default profile?",
        'A custom profile replaces the default; it is not added to it. Try unshare in all three, and keep what works alive: the host can only look at a running process.',
        'In the no-chmod and unconfined terminals: unshare -Ur sleep 600 &',
      ],
      check: async (ctx) => {
        const missing: string[] = [];
        const seen: string[] = [];
        for (const name of ['no-chmod', 'unconfined']) {
          const box = ctx.container(name);
          const own = await box.namespace('user');
          const processes = await box.processes();
          const nested = inNewUserNamespace(processes, own);
          if (nested === undefined) missing.push(name);
          else
            seen.push(
              `${name}: PID ${nested.pid} in ${nested.namespaces?.user ?? '?'} (Seccomp: ${nested.status.Seccomp ?? '?'})`,
            );
        }
        if (missing.length === 0) {
          return {
            passed: true,
            reason: `From the host: ${seen.join('; ')}, each outside its container's own user namespace. In the default container the same call gets EPERM from Docker's profile.`,
          };
        }
        return {
          passed: false,
          reason: `The host sees no process in a new user namespace in: ${missing.join(', ')}.`,
          hint: missing.length === 2 ? 0 : 1,
        };
      },
      // Docker's default profile refuses the namespace; a plain sleep is in the container's own.
      cheat: [
        { terminal: 'default', input: 'unshare -Ur sleep 600 &' },
        { terminal: 'unconfined', input: 'sleep 600 &' },
      ],
      solution: [
        { terminal: 'no-chmod', input: 'unshare -Ur sleep 600 &' },
        { terminal: 'unconfined', input: 'unshare -Ur sleep 600 &' },
      ],
    },
  ],
};
