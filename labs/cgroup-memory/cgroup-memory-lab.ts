// Memory control group lab: `--memory <n>m` puts the container in a memory cgroup whose limit
// the kernel enforces with the OOM killer; each session gets a limit of its own (32 to 62 MiB),
// so the number a learner reports is theirs, not a neighbour's. The learner finds the limit where the kernel keeps
// it (not in `free`, which shows the host), then makes the kernel kill a process for
// exceeding it. Checks read the limit and the OOM counters from the host-side cgroup files.
import os from 'node:os';
import {
  type CheckContext,
  type CheckOutcome,
  type ContainerEvidence,
  type ContainerProfile,
  type LabDefinition,
  sessionMemoryMb,
} from '../../server/lab-kit.ts';
import { MIB, counter, limitValue } from '../shared/cgroup-files.ts';

/** The limits a session may get, in MiB: each learner finds (and exceeds) their own. */
export const MEMORY_CHOICES_MB = [
  32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62,
] as const;

const LIMITED: ContainerProfile = {
  name: 'limited',
  title: 'limited (-m, your own limit)',
  hostname: 'nslab-memory',
  perSession: { memoryMb: MEMORY_CHOICES_MB },
  pidsLimit: 64,
  cpus: 1,
};

/** This session's memory limit in bytes, as the plan chose it for Docker. */
export function sessionLimitBytes(ctx: CheckContext): number {
  return (sessionMemoryMb(LIMITED, ctx.sessionToken) ?? 0) * MIB;
}

/** Bytes a learner typed: "33554432", "33,554,432", "32m", "32 MiB", "32M". */
export function parseBytes(text: string): number | undefined {
  const match = /^(\d[\d,_]*(?:\.\d+)?)\s*([kmg]?)(?:i?b)?$/i.exec(text.trim());
  if (match?.[1] === undefined) return undefined;
  const value = Number(match[1].replace(/[,_]/g, ''));
  const unit = { '': 1, k: 1024, m: MIB, g: 1024 * MIB }[(match[2] ?? '').toLowerCase()] ?? 1;
  return Number.isFinite(value) ? Math.round(value * unit) : undefined;
}

/** The kernel's limit for the container's memory cgroup (v1 limit_in_bytes, v2 memory.max). */
async function kernelLimit(
  box: ContainerEvidence,
  cgroupVersion: 1 | 2,
): Promise<number | undefined> {
  const file = cgroupVersion === 2 ? 'memory.max' : 'memory.limit_in_bytes';
  return limitValue(await box.cgroupFile('memory', file));
}

const mib = (bytes: number): string => `${(bytes / MIB).toFixed(1)} MiB`;

/** Whether a number of bytes is the whole machine's memory, as `free` shows it (MemTotal). */
function isHostMemory(bytes: number): boolean {
  const total = os.totalmem();
  return Math.abs(bytes - total) <= total * 0.02;
}

async function judgeLimit(ctx: CheckContext, answer: string | undefined): Promise<CheckOutcome> {
  const submitted = parseBytes(answer ?? '');
  if (submitted === undefined) {
    return {
      passed: false,
      reason: 'That is not a number of bytes (for example 123456789, or 64m).',
      hint: 0,
    };
  }
  const box = ctx.container('limited');
  const configured = (await box.inspect()).HostConfig.Memory ?? 0;
  const kernel = await kernelLimit(box, ctx.host.facts.cgroupVersion);
  if (kernel === undefined || kernel !== configured || configured !== sessionLimitBytes(ctx)) {
    return {
      passed: false,
      reason: `The container's memory cgroup has no limit matching its configuration (HostConfig.Memory = ${configured}); restart the lab.`,
      hint: 0,
    };
  }
  if (submitted === kernel) {
    return {
      passed: true,
      reason: `Right: ${kernel} bytes (${mib(kernel)}). The server read the same number from the container's memory cgroup on the host; Docker wrote it there for --memory ${kernel / MIB}m (HostConfig.Memory = ${configured}).`,
    };
  }
  // Named only when it is the one well-known wrong source; any other number gets the same words.
  if (isHostMemory(submitted)) {
    return {
      passed: false,
      reason: `${submitted} bytes is the whole machine's memory, which \`free\` reads from /proc/meminfo: that describes the host, not your cgroup.`,
      hint: 1,
    };
  }
  return {
    passed: false,
    reason: `${submitted} bytes is not the limit the kernel enforces on this container. (What the container uses now, usage_in_bytes or memory.current, is not what it may use.)`,
    hint: 2,
  };
}

/** The cgroup's highest usage, or undefined where the kernel keeps none (memory.peak is newer than some v2 kernels). */
async function peakUsage(box: ContainerEvidence, v2: boolean): Promise<number | undefined> {
  try {
    return limitValue(
      await box.cgroupFile('memory', v2 ? 'memory.peak' : 'memory.max_usage_in_bytes'),
    );
  } catch {
    return undefined;
  }
}

/** The memory cgroup's OOM kill counter and peak usage, for a running container. */
async function judgeOomKill(ctx: CheckContext): Promise<CheckOutcome> {
  const box = ctx.container('limited');
  const info = await box.inspect();
  const limit = sessionLimitBytes(ctx);
  const configured = info.HostConfig.Memory ?? 0;
  if (configured !== limit) {
    return {
      passed: false,
      reason: `The container's memory limit is ${configured} bytes, not the ${limit} this lab gave it; restart the lab.`,
      hint: 0,
    };
  }
  if (!info.State.Running) {
    // The whole container died (its main process was killed): only the engine's record is left.
    return info.State.OOMKilled
      ? {
          passed: true,
          reason: `The kernel's OOM killer ended the container's main process, and the engine recorded State.OOMKilled = true with a ${mib(limit)} limit. (The container is gone now; restart the lab to keep exploring.)`,
        }
      : {
          passed: false,
          reason: `The container stopped with exit code ${info.State.ExitCode}, but the engine did not record an OOM kill.`,
          hint: 1,
        };
  }
  const v2 = ctx.host.facts.cgroupVersion === 2;
  const kernel = await kernelLimit(box, ctx.host.facts.cgroupVersion);
  if (kernel !== limit) {
    return {
      passed: false,
      reason: `The container's memory cgroup limit is ${kernel ?? 'unlimited'}, not ${limit}; restart the lab.`,
      hint: 0,
    };
  }
  const counterName = v2 ? 'memory.events oom_kill' : 'memory.oom_control oom_kill';
  const kills = await counter(
    box,
    'memory',
    v2 ? 'memory.events' : 'memory.oom_control',
    'oom_kill',
  );
  if (kills > 0 || info.State.OOMKilled) {
    return {
      passed: true,
      reason: `The kernel's OOM killer acted in this container's memory cgroup: ${counterName} = ${kills}, with the limit at ${limit} bytes (${mib(limit)}). The container itself is still running: the killer chose the biggest process in the cgroup, not PID 1.`,
    };
  }
  const peak = await peakUsage(box, v2);
  const near = peak !== undefined && peak >= limit * 0.9;
  return {
    passed: false,
    reason: near
      ? `The cgroup's peak usage reached ${mib(peak)} of ${mib(limit)}, but ${counterName} is still 0: the kernel reclaimed memory (page cache) instead of killing. Something must hold memory it cannot give back.`
      : `${counterName} is 0: the kernel has not killed anything in this container's memory cgroup${peak === undefined ? '' : ` (peak usage ${mib(peak)} of ${mib(limit)})`}.`,
    hint: near ? 2 : 0,
  };
}

export const cgroupMemoryLab: LabDefinition = {
  id: 'cgroup-memory',
  title: 'Memory cgroup: the limit and the OOM killer',
  topic: 'control groups',
  summary:
    'Your container gets a memory limit of its own. Find where the kernel keeps that limit, then exceed it and watch the kernel kill a process, from the host side.',
  minutes: 10,
  learned: [
    "/proc/meminfo shows the host's memory; the container's limit lives in its memory cgroup.",
    "Past the limit the kernel's OOM killer kills a process in the cgroup, and the host records it.",
  ],
  lesson: 'cgroup-memory.md',
  containers: [LIMITED],
  exercises: [
    {
      id: 'find-limit',
      title: 'Find the limit the kernel enforces',
      goal: "Report, in bytes, the memory limit the kernel enforces on the limited container's processes.",
      answer: { label: 'Limit in bytes', placeholder: '123456789' },
      hints: [
        "A container's limits live in its control groups (控制组). The kernel shows each cgroup as a directory of files under /sys/fs/cgroup.",
        '`free` and /proc/meminfo describe the whole machine: they are not namespaced and know nothing of your limit. Ask the memory cgroup instead.',
        'cgroup v1: cat /sys/fs/cgroup/memory/memory.limit_in_bytes   cgroup v2: cat /sys/fs/cgroup/memory.max',
      ],
      check: judgeLimit,
      solution: [
        {
          terminal: 'limited',
          input:
            'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max',
          capture: /^(\d+)$/m,
        },
      ],
      // `free` answers with the host's memory: the right kind of number from the wrong place.
      cheat: [
        {
          terminal: 'limited',
          input: "free -b | awk '/^Mem/ {print $2}'",
          capture: /^(\d+)$/m,
        },
      ],
    },
    {
      id: 'oom-kill',
      title: 'Make the kernel kill for memory',
      goal: 'Make the kernel kill a process in the limited container for exceeding its memory limit.',
      hints: [
        'When a cgroup reaches its limit and nothing can be reclaimed, the kernel runs the OOM killer inside that cgroup. What could you run that keeps asking for more memory?',
        'A process ended by `kill -9` also exits with 137, `echo Killed` only prints a word, and `ulimit -v` makes malloc fail before the cgroup is full: none of these is the memory cgroup at work. Keep allocating until the limit is reached.',
        'In the limited terminal: tail /dev/zero   (tail keeps the last "line" in memory, and /dev/zero never sends a newline). Or: python3 -c "b = bytearray(128 * 1024 * 1024)"',
      ],
      check: judgeOomKill,
      solution: [{ terminal: 'limited', input: 'tail /dev/zero; echo "tail exited with $?"' }],
      cheat: [
        { terminal: 'limited', input: 'echo Killed' },
        // Exit status 137 without the memory cgroup: a plain SIGKILL.
        { terminal: 'limited', input: 'sleep 60 & kill -9 $!; wait $!; echo "exit $?"' },
        // An allocation that fails in the process (address-space rlimit), not in the cgroup.
        { terminal: 'limited', input: '(ulimit -v 20000; tail /dev/zero); echo "exit $?"' },
        // A forged counter on the container's side (/sys/fs/cgroup is a writable tmpfs on v1).
        { terminal: 'limited', input: "echo 'oom_kill 1' > /sys/fs/cgroup/memory.events" },
      ],
    },
  ],
};
