// PIDs control group lab: `--pids-limit 64` caps how many tasks the container may hold, so
// a fork bomb fills the container and stops there instead of taking the host's process
// table. The learner sets off a bounded bomb, recovers, and reads the kernel's count of
// refused forks. Checks read pids.max and pids.events from the host-side cgroup files.
import type { CheckOutcome, LabDefinition } from '../../server/lab-kit.ts';
import { counter, limitValue, parseCount } from '../shared/cgroup-files.ts';

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
  title: 'PIDs cgroup: containing a fork bomb',
  topic: 'control groups',
  summary:
    'Your container may hold 64 processes. Set off a (bounded) fork bomb, see the kernel refuse the 65th, and read its count of refusals from the cgroup.',
  minutes: 10,
  learned: [
    '--pids-limit caps the processes a container may hold: a fork bomb stops at the limit, and the host stays up.',
    'The pids cgroup counts every refused fork, so the host can see the attempt.',
  ],
  lesson: 'cgroup-pids.md',
  containers: [
    {
      name: 'limited',
      title: 'limited (--pids-limit 64)',
      hostname: 'nslab-pids',
      pidsLimit: PIDS_LIMIT,
      memoryMb: 128,
      cpus: 1,
    },
  ],
  exercises: [
    {
      id: 'contain-bomb',
      title: 'Set off a bomb the cgroup contains',
      goal: 'Make the kernel refuse to create a process in the limited container because it reached its pids limit, and leave the container usable again afterwards.',
      hints: [
        "A fork bomb creates processes until something says no. Here that something is the container's pids cgroup: spawn more processes at once than the limit allows.",
        'Only a fork the pids cgroup refuses counts: printing "Resource temporarily unavailable", a handful of background jobs under the limit, or writing to pids.max (it is read-only in the container) do not.',
        `A bomb that stops by itself: ${BOUNDED_BOMB}   (each sleep ends after five seconds; bash retries the refused forks, then the loop finishes).`,
        `Your bomb's processes are still there, and commands like pkill need a process of their own. They end by themselves within five seconds; bash's built-ins need no new process to watch them go: ${WAIT_FOR_CALM}`,
      ],
      check: async (ctx): Promise<CheckOutcome> => {
        const box = ctx.container('limited');
        const info = await box.inspect();
        const configured = info.HostConfig.PidsLimit ?? 0;
        const max = limitValue(await box.cgroupFile('pids', 'pids.max'));
        if (configured !== PIDS_LIMIT || max !== PIDS_LIMIT) {
          return {
            passed: false,
            reason: `The container's pids limit is ${max ?? 'unlimited'} (HostConfig.PidsLimit = ${configured}), not the lab's ${PIDS_LIMIT}; restart the lab.`,
            hint: 0,
          };
        }
        const refused = await counter(box, 'pids', 'pids.events', 'max');
        const current = limitValue(await box.cgroupFile('pids', 'pids.current')) ?? 0;
        if (refused === 0) {
          return {
            passed: false,
            reason: `pids.events says "max 0": the kernel has not refused a single fork in this container (it holds ${current} of ${PIDS_LIMIT} tasks now).`,
            hint: current > PIDS_LIMIT / 2 ? 2 : 0,
          };
        }
        if (current > PIDS_LIMIT / 2) {
          return {
            passed: false,
            reason: `The limit held: the kernel refused ${refused} forks. But the container still holds ${current} of its ${PIDS_LIMIT} tasks, so your shell can barely start a command. Clean up.`,
            hint: 3,
          };
        }
        return {
          passed: true,
          reason: `The pids cgroup held: pids.max = ${max}, and pids.events counts ${refused} forks the kernel refused at that limit. Now ${current} tasks remain. The rest of the machine never noticed: the limit applies to this cgroup only.`,
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
      title: 'Read the accounting',
      goal: 'Report how many times the kernel has refused a new process in the limited container because of its pids limit.',
      answer: { label: 'Refused forks', placeholder: 'a number' },
      hints: [
        'Control groups account as well as limit: the pids cgroup keeps a count of the times its limit was hit, in a file next to pids.max.',
        'That number is the limit itself (pids.max), not the number of refusals. Look at pids.events.',
        'cgroup v1: cat /sys/fs/cgroup/pids/pids.events   cgroup v2: cat /sys/fs/cgroup/pids.events   (the number after "max")',
      ],
      check: async (ctx, answer): Promise<CheckOutcome> => {
        const submitted = parseCount(answer ?? '');
        if (submitted === undefined)
          return { passed: false, reason: 'That is not a whole number.', hint: 0 };
        const box = ctx.container('limited');
        const refused = await counter(box, 'pids', 'pids.events', 'max');
        if (refused === 0) {
          return {
            passed: false,
            reason:
              'The kernel has not refused any fork in this container yet: do the previous exercise first.',
            hint: 0,
          };
        }
        if (submitted === refused) {
          return {
            passed: true,
            reason: `Right: ${refused}. The server read pids.events in the container's pids cgroup on the host; it is the same file you read inside, because the container's /sys/fs/cgroup shows its own cgroup.`,
          };
        }
        return submitted === PIDS_LIMIT
          ? { passed: false, reason: `${PIDS_LIMIT} is the limit, not a count.`, hint: 1 }
          : {
              passed: false,
              reason: `The kernel's count is not ${submitted}. (It grows each time a fork is refused: read it again after your last bomb.)`,
              hint: 2,
            };
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
