// Memory control group lab: `-m 32m` puts the container in a memory cgroup whose limit the
// kernel enforces with the OOM killer. The learner finds the limit where the kernel keeps
// it (not in `free`, which shows the host), then makes the kernel kill a process for
// exceeding it. Checks read the limit and the OOM counters from the host-side cgroup files.
import type { CheckOutcome, ContainerEvidence, LabDefinition } from '../../server/lab-kit.ts';
import { MIB, counter, limitValue } from '../shared/cgroup-files.ts';

export const MEMORY_MB = 32;
const LIMIT_BYTES = MEMORY_MB * MIB;

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

export const cgroupMemoryLab: LabDefinition = {
  id: 'cgroup-memory',
  title: 'Memory cgroup: the limit and the OOM killer',
  topic: 'control groups',
  summary:
    'Your container may use 32 MiB. Find where the kernel keeps that limit, then exceed it and watch the kernel kill a process, from the host side.',
  minutes: 10,
  lesson: 'cgroup-memory.md',
  containers: [
    {
      name: 'limited',
      title: 'limited (-m 32m)',
      hostname: 'nslab-memory',
      memoryMb: MEMORY_MB,
      pidsLimit: 64,
      cpus: 1,
    },
  ],
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
      check: async (ctx, answer): Promise<CheckOutcome> => {
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
        if (kernel === undefined || kernel !== configured) {
          return {
            passed: false,
            reason: `The container's memory cgroup has no limit matching its configuration (HostConfig.Memory = ${configured}); restart the lab.`,
            hint: 0,
          };
        }
        if (submitted === kernel) {
          return {
            passed: true,
            reason: `Right: ${kernel} bytes (${mib(kernel)}). The server read the same number from the container's memory cgroup on the host; Docker wrote it there for -m ${MEMORY_MB}m (HostConfig.Memory = ${configured}).`,
          };
        }
        if (submitted > kernel * 2) {
          return {
            passed: false,
            reason: `${submitted} bytes (${mib(submitted)}) is far more than this container may use. Whatever printed it was describing the host, not your cgroup.`,
            hint: 1,
          };
        }
        if (submitted < MIB) {
          return { passed: false, reason: `${submitted} bytes is not the limit.`, hint: 0 };
        }
        return {
          passed: false,
          reason: `${submitted} bytes is not the limit. If it came from usage_in_bytes or memory.current, that is what the container uses now, not what it may use.`,
          hint: 2,
        };
      },
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
      goal: 'Make the kernel kill a process in the limited container for exceeding its 32 MiB limit.',
      hints: [
        'When a cgroup reaches its limit and nothing can be reclaimed, the kernel runs the OOM killer inside that cgroup. What could you run that keeps asking for more memory?',
        'A process ended by `kill -9` also exits with 137, `echo Killed` only prints a word, and `ulimit -v` makes malloc fail before the cgroup is full: none of these is the memory cgroup at work. Keep allocating until the limit is reached.',
        'In the limited terminal: tail /dev/zero   (tail keeps the last "line" in memory, and /dev/zero never sends a newline). Or: python3 -c "b = bytearray(64 * 1024 * 1024)"',
      ],
      check: async (ctx): Promise<CheckOutcome> => {
        const box = ctx.container('limited');
        const info = await box.inspect();
        const configured = info.HostConfig.Memory ?? 0;
        if (configured !== LIMIT_BYTES) {
          return {
            passed: false,
            reason: `The container's memory limit is ${configured} bytes, not the lab's ${LIMIT_BYTES}; restart the lab.`,
            hint: 0,
          };
        }
        if (!info.State.Running) {
          // The whole container died (its main process was killed): only the engine's record is left.
          return info.State.OOMKilled
            ? {
                passed: true,
                reason: `The kernel's OOM killer ended the container's main process, and the engine recorded State.OOMKilled = true with a ${MEMORY_MB} MiB limit. (The container is gone now; restart the lab to keep exploring.)`,
              }
            : {
                passed: false,
                reason: `The container stopped with exit code ${info.State.ExitCode}, but the engine did not record an OOM kill.`,
                hint: 1,
              };
        }
        const v2 = ctx.host.facts.cgroupVersion === 2;
        const kernel = await kernelLimit(box, ctx.host.facts.cgroupVersion);
        if (kernel !== LIMIT_BYTES) {
          return {
            passed: false,
            reason: `The container's memory cgroup limit is ${kernel ?? 'unlimited'}, not ${LIMIT_BYTES}; restart the lab.`,
            hint: 0,
          };
        }
        const kills = v2
          ? await counter(box, 'memory', 'memory.events', 'oom_kill')
          : await counter(box, 'memory', 'memory.oom_control', 'oom_kill');
        const counterName = v2 ? 'memory.events oom_kill' : 'memory.oom_control oom_kill';
        if (kills > 0 || info.State.OOMKilled) {
          return {
            passed: true,
            reason: `The kernel's OOM killer acted in this container's memory cgroup: ${counterName} = ${kills}, with the limit at ${LIMIT_BYTES} bytes (${MEMORY_MB} MiB). The container itself is still running: the killer chose the biggest process in the cgroup, not PID 1.`,
          };
        }
        let peak: number | undefined;
        try {
          peak = limitValue(
            await box.cgroupFile('memory', v2 ? 'memory.peak' : 'memory.max_usage_in_bytes'),
          );
        } catch {
          peak = undefined; // memory.peak is newer than some v2 kernels
        }
        const near = peak !== undefined && peak >= LIMIT_BYTES * 0.9;
        return {
          passed: false,
          reason: near
            ? `The cgroup's peak usage reached ${mib(peak ?? 0)} of ${MEMORY_MB} MiB, but ${counterName} is still 0: the kernel reclaimed memory (page cache) instead of killing. Something must hold memory it cannot give back.`
            : `${counterName} is 0: the kernel has not killed anything in this container's memory cgroup${peak === undefined ? '' : ` (peak usage ${mib(peak)} of ${MEMORY_MB} MiB)`}.`,
          hint: near ? 2 : 0,
        };
      },
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
