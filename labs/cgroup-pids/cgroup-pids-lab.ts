// PIDs control group lab: `--pids-limit 64` caps how many tasks the container may hold, so
// a fork bomb fills the container and stops there instead of taking the host's process
// table. The learner sets off a bounded bomb, recovers, and reads the kernel's count of
// refused forks. Checks read pids.max and pids.events from the host-side cgroup files.
import type { CheckOutcome, LabDefinition } from '../../server/lab-kit.ts';
import { judgeAnswer } from '../shared/answer-check.ts';
import { counter, limitValue, parseCount } from '../shared/cgroup-files.ts';
import { t } from '../shared/localized.ts';

export const PIDS_LIMIT = 64;

/**
 * The bounded bomb: 100 five-second sleeps at once, more than the limit allows; gone in about
 * ten seconds. Each sleep must outlive the forks behind it: with one-second sleeps, a machine
 * under qemu's emulation (30 ms and more per fork and exec) never had 64 alive at once.
 */
export const BOUNDED_BOMB = '( for i in {1..100}; do sleep 5 & done; wait )';

/**
 * Waits, without starting a single process (only bash builtins and redirections), until the
 * bomb's stragglers are gone. When a child exits while bash sleeps between fork retries, bash
 * gives up ("fork: Interrupted system call") and its subshell ends, leaving the sleeps it did
 * start to finish on their own.
 */
export const WAIT_FOR_CALM =
  'until { read -r n < /sys/fs/cgroup/pids.current || read -r n < /sys/fs/cgroup/pids/pids.current; } 2>/dev/null && [ "$n" -le 8 ]; do :; done; echo "calm: $n tasks"';

export const cgroupPidsLab: LabDefinition = {
  id: 'cgroup-pids',
  title: t('PIDs cgroup: containing a fork bomb', 'PIDs 控制组：困住 fork 炸弹'),
  topic: 'control groups',
  summary: t(
    'Your container may hold 64 processes. Set off a (bounded) fork bomb, see the kernel refuse the 65th, and read its count of refusals from the cgroup.',
    '你的容器最多可以容纳 64 个进程。引爆一颗（有界的）fork 炸弹，看着内核拒绝第 65 个，并从控制组中读出它拒绝的次数。',
  ),
  minutes: 10,
  learned: [
    t(
      '--pids-limit caps the processes a container may hold: a fork bomb stops at the limit, and the host stays up.',
      '--pids-limit 为容器可容纳的进程数设定上限：fork 炸弹在限制处停下，宿主机安然无恙。',
    ),
    t(
      'The pids cgroup counts every refused fork, so the host can see the attempt.',
      'pids 控制组会记下每一次被拒绝的 fork，所以宿主机能看到这次尝试。',
    ),
  ],
  lesson: 'cgroup-pids.md',
  containers: [
    {
      name: 'limited',
      title: t('limited (--pids-limit 64)', 'limited（--pids-limit 64）'),
      hostname: 'nslab-pids',
      pidsLimit: PIDS_LIMIT,
      memoryMb: 128,
      cpus: 1,
    },
  ],
  exercises: [
    {
      id: 'contain-bomb',
      title: t('Set off a bomb the cgroup contains', '引爆一颗被控制组困住的炸弹'),
      goal: t(
        'Make the kernel refuse to create a process in the limited container because it reached its pids limit, and leave the container usable again afterwards.',
        '让内核因 limited 容器达到 pids 限制而拒绝在其中创建进程，并在之后让容器恢复可用。',
      ),
      hints: [
        t(
          "A fork bomb creates processes until something says no. Here that something is the container's pids cgroup: spawn more processes at once than the limit allows.",
          'fork 炸弹不断创建进程，直到有什么东西说“不”。这里说“不”的是容器的 pids 控制组：一次产生比限制允许的更多的进程。',
        ),
        t(
          'Only a fork the pids cgroup refuses counts: printing "Resource temporarily unavailable", a handful of background jobs under the limit, or writing to pids.max (it is read-only in the container) do not.',
          '只有被 pids 控制组拒绝的 fork 才算数：打印 "Resource temporarily unavailable"、在限制以内启动几个后台作业，或者写入 pids.max（它在容器内是只读的），都不算。',
        ),
        t(
          `A bomb that stops by itself: ${BOUNDED_BOMB}   (each sleep ends after five seconds; bash retries the refused forks, then the loop finishes).`,
          `一颗会自己停下的炸弹：${BOUNDED_BOMB}   （每个 sleep 在五秒后结束；bash 会重试被拒绝的 fork，然后循环结束）。`,
        ),
        t(
          `Your bomb's processes are still there, and commands like pkill need a process of their own. They end by themselves within five seconds; bash's built-ins need no new process to watch them go: ${WAIT_FOR_CALM}`,
          `你的炸弹的进程还在，而 pkill 之类的命令自己也需要一个进程。它们会在五秒内自行结束；用 bash 内建命令看着它们退出，不需要新进程：${WAIT_FOR_CALM}`,
        ),
      ],
      check: async (ctx): Promise<CheckOutcome> => {
        const box = ctx.container('limited');
        const info = await box.inspect();
        const configured = info.HostConfig.PidsLimit ?? 0;
        const max = limitValue(await box.cgroupFile('pids', 'pids.max'));
        if (configured !== PIDS_LIMIT || max !== PIDS_LIMIT) {
          return {
            passed: false,
            reason: t(
              `The container's pids limit is ${max ?? 'unlimited'} (HostConfig.PidsLimit = ${configured}), not the lab's ${PIDS_LIMIT}; restart the lab.`,
              `容器的 pids 限制是 ${max ?? '无限制'}（HostConfig.PidsLimit = ${configured}），而不是本实验设定的 ${PIDS_LIMIT}；请重启实验。`,
            ),
            hint: 0,
          };
        }
        const refused = await counter(box, 'pids', 'pids.events', 'max');
        const current = limitValue(await box.cgroupFile('pids', 'pids.current')) ?? 0;
        if (refused === 0) {
          return {
            passed: false,
            reason: t(
              `pids.events says "max 0": the kernel has not refused a single fork in this container (it holds ${current} of ${PIDS_LIMIT} tasks now).`,
              `pids.events 显示 "max 0"：内核还没有在这个容器里拒绝过任何一次 fork（它现在持有 ${current} 个任务，上限 ${PIDS_LIMIT}）。`,
            ),
            hint: current > PIDS_LIMIT / 2 ? 2 : 0,
          };
        }
        if (current > PIDS_LIMIT / 2) {
          return {
            passed: false,
            reason: t(
              `The limit held: the kernel refused ${refused} forks. But the container still holds ${current} of its ${PIDS_LIMIT} tasks, so your shell can barely start a command. Clean up.`,
              `限制守住了：内核拒绝了 ${refused} 次 fork。但容器仍持有 ${current} 个任务（上限 ${PIDS_LIMIT}），你的 shell 几乎启动不了任何命令。先清理一下。`,
            ),
            hint: 3,
          };
        }
        return {
          passed: true,
          reason: t(
            `The pids cgroup held: pids.max = ${max}, and pids.events counts ${refused} forks the kernel refused at that limit. Now ${current} tasks remain. The rest of the machine never noticed: the limit applies to this cgroup only.`,
            `pids 控制组守住了：pids.max = ${max}，pids.events 记录了内核在这个限制处拒绝的 ${refused} 次 fork。现在还剩 ${current} 个任务。机器的其余部分毫无察觉：这个限制只作用于这一个控制组。`,
          ),
        };
      },
      solution: [
        { terminal: 'limited', input: `${BOUNDED_BOMB}; echo "bomb over"` },
        { terminal: 'limited', input: WAIT_FOR_CALM },
      ],
      cheat: [
        {
          terminal: 'limited',
          input: 'echo "bash: fork: retry: Resource temporarily unavailable"',
        },
        // Processes, but fewer than the limit: nothing is refused.
        { terminal: 'limited', input: '( for i in {1..20}; do sleep 1 & done; wait )' },
        // Lowering the limit so a small bomb hits it: the cgroup files are read-only inside.
        {
          terminal: 'limited',
          input:
            'for f in /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/pids.max; do [ -e $f ] && echo 4 > $f; done',
        },
      ],
    },
    {
      id: 'count-refusals',
      title: t('Read the accounting', '读取计数'),
      goal: t(
        'Report how many times the kernel has refused a new process in the limited container because of its pids limit.',
        '报告内核因 pids 限制而拒绝在 limited 容器中创建新进程的次数。',
      ),
      answer: {
        label: t('Refused forks', '被拒绝的 fork 次数'),
        placeholder: t('a number', '一个数字'),
      },
      hints: [
        t(
          'Control groups account as well as limit: the pids cgroup keeps a count of the times its limit was hit, in a file next to pids.max.',
          '控制组既做限制，也做计数：pids 控制组在 pids.max 旁边的一个文件里，记着限制被触及的次数。',
        ),
        t(
          'That number is the limit itself (pids.max), not the number of refusals. Look at pids.events.',
          '这个数字是限制本身（pids.max），而不是拒绝的次数。去看 pids.events。',
        ),
        t(
          'cgroup v1: cat /sys/fs/cgroup/pids/pids.events   cgroup v2: cat /sys/fs/cgroup/pids.events   (the number after "max")',
          'cgroup v1：cat /sys/fs/cgroup/pids/pids.events   cgroup v2：cat /sys/fs/cgroup/pids.events   （"max" 后面的那个数字）',
        ),
      ],
      check: async (ctx, answer): Promise<CheckOutcome> => {
        const submitted = parseCount(answer ?? '');
        if (submitted === undefined)
          return {
            passed: false,
            reason: t('That is not a whole number.', '这不是一个整数。'),
            hint: 0,
          };
        const box = ctx.container('limited');
        const refused = await counter(box, 'pids', 'pids.events', 'max');
        if (refused === 0) {
          return {
            passed: false,
            reason: t(
              'The kernel has not refused any fork in this container yet: do the previous exercise first.',
              '内核还没有在这个容器里拒绝过任何 fork：先完成上一个练习。',
            ),
            hint: 0,
          };
        }
        return judgeAnswer({
          right: submitted === refused,
          pass: t(
            `Right: ${refused}. The server read pids.events in the container's pids cgroup on the host; it is the same file you read inside, because the container's /sys/fs/cgroup shows its own cgroup.`,
            `正确：${refused}。服务器在宿主机上读取了该容器 pids 控制组中的 pids.events；它和你在容器内读到的是同一个文件，因为容器的 /sys/fs/cgroup 显示的就是它自己的控制组。`,
          ),
          known: [
            {
              when: submitted === PIDS_LIMIT,
              reason: t(
                `${PIDS_LIMIT} is the limit, not a count.`,
                `${PIDS_LIMIT} 是限制，不是计数。`,
              ),
              hint: 1,
            },
          ],
          otherwise: {
            reason: t(
              `The kernel's count is not ${submitted}. (It grows each time a fork is refused: read it again after your last bomb.)`,
              `内核的计数不是 ${submitted}。（每拒绝一次 fork 它就会增长：在你最后一颗炸弹之后再读一次。）`,
            ),
            hint: 2,
          },
        });
      },
      solution: [
        {
          terminal: 'limited',
          input:
            'cat /sys/fs/cgroup/pids/pids.events 2>/dev/null || cat /sys/fs/cgroup/pids.events',
          capture: /^max (\d+)$/m,
        },
      ],
      cheat: [
        {
          terminal: 'limited',
          input: 'cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max',
          capture: /^(\d+)$/m,
        },
        // On cgroup v1 hosts the container's /sys/fs/cgroup is a writable tmpfs: a forged
        // counter file is easy to make, and the server never reads it.
        {
          terminal: 'limited',
          input: "echo 'max 99' > /sys/fs/cgroup/pids.events; cat /sys/fs/cgroup/pids.events",
          capture: /^max (\d+)$/m,
        },
      ],
    },
  ],
};
