// The two checks, both read on the host. Under runc the learner's process is one of the host
// kernel's own: it is in the host's /proc, in the container's cgroup. Under gVisor it exists
// only in the Sentry's task list, which the server reads with `runsc ps` from the host, while
// no process in the host's /proc carries its name: the host kernel runs only the sandbox.
import type { CheckContext, CheckOutcome, HostProcess } from '../../server/lab-kit.ts';
import { t } from '../shared/localized.ts';
import { markerOf } from './markers.ts';

function carries(p: HostProcess, marker: string): boolean {
  return (p.status.Name ?? '').includes(marker) || p.cmdline.includes(marker);
}

/** "runsc-sandbox (PID 123, Seccomp 2)" for each of the host's processes of the sandbox. */
function describeHostSide(processes: HostProcess[]): string {
  const named = processes.map((p) => {
    const name = p.cmdline.split(' ')[0] || p.status.Name || '?';
    return `${name} (PID ${p.pid}, Seccomp ${p.status.Seccomp ?? '?'})`;
  });
  return named.join(', ');
}

export async function checkRuncProcess(ctx: CheckContext): Promise<CheckOutcome> {
  const marker = markerOf('runc', ctx.sessionToken);
  const mine = (await ctx.container('runc').processes()).find((p) => carries(p, marker));
  if (mine === undefined) {
    return {
      passed: false,
      reason: t(
        `No process in the runc container carries your marker (${marker}...) in its name.`,
        `runc 容器中没有哪个进程的名字带有你的标记（${marker}...）。`,
      ),
      hint: 0,
    };
  }
  const status = mine.status;
  return {
    passed: true,
    reason: t(
      `The host kernel runs it: host PID ${mine.pid}, "${status.Name ?? ''}", in the host's own /proc, with Seccomp ${status.Seccomp ?? '?'} and NoNewPrivs ${status.NoNewPrivs ?? '?'} as the host sets them. Each of its system calls goes to the kernel every other process on this machine uses.`,
      `宿主机内核在运行它：宿主机 PID ${mine.pid}，"${status.Name ?? ''}"，就在宿主机自己的 /proc 中，宿主机为它设置的 Seccomp 为 ${status.Seccomp ?? '?'}、NoNewPrivs 为 ${status.NoNewPrivs ?? '?'}。它的每个系统调用都进入这台机器上所有其他进程共用的那个内核。`,
    ),
  };
}

export async function checkSandboxProcess(ctx: CheckContext): Promise<CheckOutcome> {
  const marker = markerOf('gvisor', ctx.sessionToken);
  const gvisor = ctx.container('gvisor');
  const info = await gvisor.inspect();
  if (info.HostConfig.Runtime !== 'runsc') {
    return {
      passed: false,
      reason: t(
        'The gvisor container does not run under runsc.',
        'gvisor 容器没有在 runsc 下运行。',
      ),
      hint: 0,
    };
  }
  const onHost = await ctx.host.processesCarrying(marker);
  if (onHost.length > 0) {
    return {
      passed: false,
      reason: t(
        `The host kernel runs a process named after your gvisor marker (host PID ${onHost.map((p) => p.pid).join(', ')}): that one is not in the sandbox. Start it in the gvisor terminal.`,
        `宿主机内核在运行一个以你的 gvisor 标记命名的进程（宿主机 PID ${onHost.map((p) => p.pid).join(', ')}）：它不在沙箱里。请在 gvisor 终端中启动它。`,
      ),
      hint: 1,
    };
  }
  const inside = (await gvisor.sandboxProcesses()).find((p) => p.cmd.includes(marker));
  if (inside === undefined) {
    return {
      passed: false,
      reason: t(
        `gVisor's kernel, asked from the host with runsc ps, runs no process named ${marker}.`,
        `从宿主机用 runsc ps 询问 gVisor 的内核：它没有运行名为 ${marker} 的进程。`,
      ),
      hint: 0,
    };
  }
  const hostSide = await gvisor.processes();
  return {
    passed: true,
    reason: t(
      `gVisor's kernel runs it as PID ${inside.pid} of the sandbox (runsc ps, asked from the host), and no process in the host's /proc carries its name. For this container the host kernel runs ${hostSide.length} process(es), all gVisor's own: ${describeHostSide(hostSide)}. Your process's system calls are answered by the Sentry, in user space.`,
      `gVisor 的内核把它作为沙箱里的 PID ${inside.pid} 运行（从宿主机用 runsc ps 询问），而宿主机 /proc 中没有任何进程带着这个名字。对这个容器，宿主机内核只运行 ${hostSide.length} 个进程，全是 gVisor 自己的：${describeHostSide(hostSide)}。你的进程的系统调用由用户态的 Sentry 来回答。`,
    ),
  };
}
