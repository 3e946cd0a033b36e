// The memory lab's container and checks: the limit the kernel enforces, read from the
// host-side cgroup files, and the OOM killer's counters.
import os from 'node:os';
import {
  type CheckContext,
  type CheckOutcome,
  type ContainerEvidence,
  type ContainerProfile,
  sessionMemoryMb,
} from '../../server/lab-kit.ts';
import { MIB, counter, limitValue } from '../shared/cgroup-files.ts';
import { judgeAnswer } from '../shared/answer-check.ts';
import { t } from '../shared/localized.ts';

/** The limits a session may get, in MiB: each learner finds (and exceeds) their own. */
export const MEMORY_CHOICES_MB = [
  32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62,
] as const;

export const LIMITED: ContainerProfile = {
  name: 'limited',
  title: t('limited (-m, your own limit)', 'limited（-m，你自己的限制）'),
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

export async function judgeLimit(
  ctx: CheckContext,
  answer: string | undefined,
): Promise<CheckOutcome> {
  const submitted = parseBytes(answer ?? '');
  if (submitted === undefined) {
    return {
      passed: false,
      reason: t(
        'That is not a number of bytes (for example 123456789, or 64m).',
        '这不是一个字节数（例如 123456789，或 64m）。',
      ),
      hint: 0,
    };
  }
  const box = ctx.container('limited');
  const configured = (await box.inspect()).HostConfig.Memory ?? 0;
  const kernel = await kernelLimit(box, ctx.host.facts.cgroupVersion);
  if (kernel === undefined || kernel !== configured || configured !== sessionLimitBytes(ctx)) {
    return {
      passed: false,
      reason: t(
        `The container's memory cgroup has no limit matching its configuration (HostConfig.Memory = ${configured}); restart the lab.`,
        `容器的内存控制组中没有与其配置相符的限制（HostConfig.Memory = ${configured}）；请重启实验。`,
      ),
      hint: 0,
    };
  }
  return judgeAnswer({
    right: submitted === kernel,
    pass: t(
      `Right: ${kernel} bytes (${mib(kernel)}). The server read the same number from the container's memory cgroup on the host; Docker wrote it there for --memory ${kernel / MIB}m (HostConfig.Memory = ${configured}).`,
      `正确：${kernel} 字节（${mib(kernel)}）。服务器在宿主机上从该容器的内存控制组读到了同一个数字；那是 Docker 为 --memory ${kernel / MIB}m 写进去的（HostConfig.Memory = ${configured}）。`,
    ),
    // Named only when it is the one well-known wrong source; any other number gets the same words.
    known: [
      {
        when: isHostMemory(submitted),
        reason: t(
          `${submitted} bytes is the whole machine's memory, which \`free\` reads from /proc/meminfo: that describes the host, not your cgroup.`,
          `${submitted} 字节是整台机器的内存，是 \`free\` 从 /proc/meminfo 读出的：它描述的是宿主机，而不是你的控制组。`,
        ),
        hint: 1,
      },
    ],
    otherwise: {
      reason: t(
        `${submitted} bytes is not the limit the kernel enforces on this container. (What the container uses now, usage_in_bytes or memory.current, is not what it may use.)`,
        `${submitted} 字节不是内核对这个容器执行的限制。（容器当前的用量，即 usage_in_bytes 或 memory.current，并不是它被允许的用量。）`,
      ),
      hint: 2,
    },
  });
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

/** A stopped container: only the engine's record tells whether the OOM killer ended it. */
function stoppedOutcome(oomKilled: boolean, exitCode: number, limit: number): CheckOutcome {
  return oomKilled
    ? {
        passed: true,
        reason: t(
          `The kernel's OOM killer ended the container's main process, and the engine recorded State.OOMKilled = true with a ${mib(limit)} limit. (The container is gone now; restart the lab to keep exploring.)`,
          `内核的 OOM killer 结束了容器的主进程，引擎在 ${mib(limit)} 的限制下记录了 State.OOMKilled = true。（容器现在已经没了；要继续探索，请重启实验。）`,
        ),
      }
    : {
        passed: false,
        reason: t(
          `The container stopped with exit code ${exitCode}, but the engine did not record an OOM kill.`,
          `容器以退出码 ${exitCode} 停止了，但引擎没有记录到 OOM kill。`,
        ),
        hint: 1,
      };
}

/** No kill counted yet: near the limit (the kernel reclaimed instead) or far from it. */
function notKilled(counterName: string, peak: number | undefined, limit: number): CheckOutcome {
  const near = peak !== undefined && peak >= limit * 0.9;
  return {
    passed: false,
    reason: near
      ? t(
          `The cgroup's peak usage reached ${mib(peak)} of ${mib(limit)}, but ${counterName} is still 0: the kernel reclaimed memory (page cache) instead of killing. Something must hold memory it cannot give back.`,
          `控制组的峰值用量达到了 ${mib(peak)}（限制为 ${mib(limit)}），但 ${counterName} 仍是 0：内核回收了内存（页缓存），而没有杀进程。必须有某个程序占住无法归还的内存才行。`,
        )
      : t(
          `${counterName} is 0: the kernel has not killed anything in this container's memory cgroup${peak === undefined ? '' : ` (peak usage ${mib(peak)} of ${mib(limit)})`}.`,
          `${counterName} 是 0：内核还没有在这个容器的内存控制组里杀掉任何进程${peak === undefined ? '' : `（峰值用量 ${mib(peak)}，限制为 ${mib(limit)}）`}。`,
        ),
    hint: near ? 2 : 0,
  };
}

/** The memory cgroup's OOM kill counter and peak usage, for a running container. */
export async function judgeOomKill(ctx: CheckContext): Promise<CheckOutcome> {
  const box = ctx.container('limited');
  const info = await box.inspect();
  const limit = sessionLimitBytes(ctx);
  const configured = info.HostConfig.Memory ?? 0;
  if (configured !== limit) {
    return {
      passed: false,
      reason: t(
        `The container's memory limit is ${configured} bytes, not the ${limit} this lab gave it; restart the lab.`,
        `容器的内存限制是 ${configured} 字节，而不是本实验给它的 ${limit}；请重启实验。`,
      ),
      hint: 0,
    };
  }
  if (!info.State.Running) {
    // The whole container died (its main process was killed): only the engine's record is left.
    return stoppedOutcome(info.State.OOMKilled, info.State.ExitCode, limit);
  }
  const v2 = ctx.host.facts.cgroupVersion === 2;
  const kernel = await kernelLimit(box, ctx.host.facts.cgroupVersion);
  if (kernel !== limit) {
    return {
      passed: false,
      reason: t(
        `The container's memory cgroup limit is ${kernel ?? 'unlimited'}, not ${limit}; restart the lab.`,
        `容器的内存控制组限制是 ${kernel ?? '无限制'}，而不是 ${limit}；请重启实验。`,
      ),
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
      reason: t(
        `The kernel's OOM killer acted in this container's memory cgroup: ${counterName} = ${kills}, with the limit at ${limit} bytes (${mib(limit)}). The container itself is still running: the killer chose the biggest process in the cgroup, not PID 1.`,
        `内核的 OOM killer 在这个容器的内存控制组中动手了：${counterName} = ${kills}，限制为 ${limit} 字节（${mib(limit)}）。容器本身仍在运行：OOM killer 选中的是控制组里最大的进程，而不是 PID 1。`,
      ),
    };
  }
  return notKilled(counterName, await peakUsage(box, v2), limit);
}
