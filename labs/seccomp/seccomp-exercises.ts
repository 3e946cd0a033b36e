// The seccomp lab's exercises. The checks run nothing in the learner's containers: they read
// the profile from the engine, each process's seccomp mode and namespaces from the host's
// /proc, and files in /tmp with the host's lstat through the container's root.
import type {
  CheckOutcome,
  ContainerEvidence,
  Exercise,
  HostProcess,
} from '../../server/lab-kit.ts';
import { judgeAnswer } from '../shared/answer-check.ts';
import { t } from '../shared/localized.ts';
import {
  CHMOD_SYSCALL,
  DENIED,
  PROFILE_JSON,
  PROFILE_NAME,
  syscallName,
} from './seccomp-profile.ts';

/**
 * Why the no-chmod container cannot be judged, if so: the engine did not give it the custom
 * profile, or one of its processes runs without a seccomp filter (Seccomp: 2 in
 * /proc/<pid>/status, read on the host; filters are inherited and can never be removed).
 */
async function notJudgeable(box: ContainerEvidence): Promise<CheckOutcome | undefined> {
  const info = await box.inspect();
  if (!((info.HostConfig.SecurityOpt ?? []) as string[]).includes(`seccomp=${PROFILE_JSON}`)) {
    return {
      passed: false,
      reason: t(
        'The no-chmod container has no custom profile.',
        'no-chmod 容器没有自定义配置文件。',
      ),
      hint: 0,
    };
  }
  const unfiltered = (await box.processes()).filter((p) => p.status.Seccomp !== '2');
  if (unfiltered.length > 0) {
    return {
      passed: false,
      reason: t(
        `Process ${unfiltered.map((p) => p.pid).join(', ')} of no-chmod runs without a seccomp filter; restart the lab.`,
        `no-chmod 的进程 ${unfiltered.map((p) => p.pid).join(', ')} 在没有 seccomp 过滤器的情况下运行；请重新启动实验。`,
      ),
      hint: 0,
    };
  }
  return undefined;
}

/** A process whose user namespace is not the container's own: made by unshare(2) or clone(2). */
function inNewUserNamespace(processes: HostProcess[], own: string): HostProcess | undefined {
  return processes.find((p) => p.namespaces?.user !== undefined && p.namespaces.user !== own);
}

export const whichSyscallExercise: Exercise = {
  id: 'which-syscall',
  title: t('Which call was refused?', '哪个调用被拒绝了？'),
  goal: t(
    'Name the system call that the no-chmod filter refuses when you run the `chmod` command.',
    '说出你运行 `chmod` 命令时 no-chmod 的过滤器所拒绝的那个系统调用。',
  ),
  answer: {
    label: t('System call', '系统调用'),
    placeholder: t('name of the call', '调用的名称'),
  },
  hints: [
    t(
      'A filter sees system calls, not commands. `strace` prints every call a program makes and what the kernel answered.',
      '过滤器看到的是系统调用，而不是命令。`strace` 会打印程序发起的每个调用，以及内核的回答。',
    ),
    t(
      "That call is on the profile's list, but is it the one Debian's `chmod` command makes? Look at what strace shows, not at the JSON.",
      '这个调用在配置文件的名单上，但它是 Debian 的 `chmod` 命令发起的那个吗？看 strace 显示了什么，而不是看 JSON。',
    ),
    t(
      'In the no-chmod terminal: strace chmod 755 / 2>&1 | grep EPERM',
      '在 no-chmod 终端中：strace chmod 755 / 2>&1 | grep EPERM',
    ),
  ],
  check: async (ctx, answer) => {
    const box = ctx.container('no-chmod');
    const problem = await notJudgeable(box);
    if (problem !== undefined) return problem;
    const name = syscallName(answer ?? '');
    return judgeAnswer({
      right: name === CHMOD_SYSCALL,
      pass: t(
        `Right: chmod(1) calls ${name}(2), and the filter answers EPERM before any permission check, even for root. The server read from the host that every process of no-chmod runs under a seccomp filter (Seccomp: 2) and that the engine gave it ${PROFILE_NAME}, which lists ${name}.`,
        `正确：chmod(1) 调用的是 ${name}(2)，过滤器在任何权限检查之前就回答 EPERM，即使对 root 也是如此。服务器从宿主机读到：no-chmod 的每个进程都在 seccomp 过滤器之下运行（Seccomp: 2），并且引擎给它的是 ${PROFILE_NAME}，其中列有 ${name}。`,
      ),
      known: [
        {
          when: DENIED.includes(name),
          reason: t(
            `${name} is on the profile's list, but Debian's chmod command does not call it.`,
            `${name} 在配置文件的名单上，但 Debian 的 chmod 命令并不调用它。`,
          ),
          hint: 1,
        },
      ],
      otherwise: {
        reason: t(
          `The filter does not refuse "${name}" for chmod.`,
          `过滤器并没有为 chmod 拒绝 "${name}"。`,
        ),
        hint: 0,
      },
    });
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
};

export const execAnywayExercise: Exercise = {
  id: 'exec-anyway',
  title: t('What a blocklist misses', '黑名单漏掉了什么'),
  goal: t(
    'Get an executable file into /tmp of the no-chmod container, although every chmod call is refused there.',
    '尽管 no-chmod 容器中的每个 chmod 调用都会被拒绝，仍然在它的 /tmp 中放进一个可执行文件。',
  ),
  hints: [
    t(
      'The filter refuses calls that change a mode. Is there a call that creates a file with a mode already set?',
      '过滤器拒绝的是修改权限模式的调用。有没有哪个调用在创建文件时就已经设好了模式？',
    ),
    t(
      'open(2) and creat(2) take a mode for a new file. `cp` creates its copy with the mode of the original. What could you copy that is already executable?',
      'open(2) 和 creat(2) 为新文件接受一个 mode 参数。`cp` 以原文件的模式创建副本。有什么已经可执行的东西可以复制？',
    ),
    t(
      "In the no-chmod terminal: rm -f /tmp/hello; cp /bin/true /tmp/hello; printf '#!/bin/sh\\necho it runs\\n' > /tmp/hello; /tmp/hello",
      "在 no-chmod 终端中：rm -f /tmp/hello; cp /bin/true /tmp/hello; printf '#!/bin/sh\\necho it runs\\n' > /tmp/hello; /tmp/hello",
    ),
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
            ? t('/tmp holds no files yet.', '/tmp 中还没有任何文件。')
            : t(
                '/tmp holds files, but none has an execute bit.',
                '/tmp 中有文件，但没有一个带执行位。',
              ),
        hint: files.length === 0 ? 0 : 1,
      };
    }
    return {
      passed: true,
      reason: t(
        `${executable.join(', ')} is executable, while every process of no-chmod still runs under ${PROFILE_NAME}, which refuses ${DENIED.join(', ')}. The mode was set when the file was created (open(2) with a mode), a path the profile never listed.`,
        `${executable.join(', ')} 是可执行的，而 no-chmod 的每个进程仍然在 ${PROFILE_NAME} 之下运行，它拒绝 ${DENIED.join(', ')}。权限模式是在文件创建时设置的（带 mode 参数的 open(2)），这条路径配置文件从未列出。`,
      ),
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
};

export const usernsExercise: Exercise = {
  id: 'userns',
  title: t('What a custom profile gives back', '自定义配置文件交还了什么'),
  goal: t(
    'Leave a process running in a new user namespace in every container whose seccomp filter allows one.',
    '在每个 seccomp 过滤器允许创建用户命名空间的容器中，留下一个在新用户命名空间中运行的进程。',
  ),
  hints: [
    t(
      "`unshare -Ur` creates a user namespace. Docker's default profile refuses that to a container without CAP_SYS_ADMIN. Which of your containers are not under Docker's default profile?",
      '`unshare -Ur` 会创建一个用户命名空间。Docker 的默认配置文件对没有 CAP_SYS_ADMIN 的容器拒绝这一操作。你的哪些容器不在 Docker 的默认配置文件之下？',
    ),
    t(
      'A custom profile replaces the default; it is not added to it. Try unshare in all three, and keep what works alive: the host can only look at a running process.',
      '自定义配置文件替换默认配置，而不是叠加在它之上。在三个容器中都试试 unshare，并让成功的那些保持运行：宿主机只能查看正在运行的进程。',
    ),
    t(
      'In the no-chmod and unconfined terminals: unshare -Ur sleep 600 &',
      '在 no-chmod 和 unconfined 终端中：unshare -Ur sleep 600 &',
    ),
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
        reason: t(
          `From the host: ${seen.join('; ')}, each outside its container's own user namespace. In the default container the same call gets EPERM from Docker's profile.`,
          `从宿主机看：${seen.join('; ')}，每一个都在其容器自己的用户命名空间之外。在 default 容器中，同样的调用会从 Docker 的配置文件得到 EPERM。`,
        ),
      };
    }
    return {
      passed: false,
      reason: t(
        `The host sees no process in a new user namespace in: ${missing.join(', ')}.`,
        `宿主机在以下容器中没有看到处于新用户命名空间中的进程：${missing.join(', ')}。`,
      ),
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
};
