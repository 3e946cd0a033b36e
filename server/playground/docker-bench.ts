// docker-bench-security's section 5 (container runtime), computed by nslab from the engine's
// own view of one container (`docker inspect`), each finding explained in the seeds' terms.
// The ids and titles are docker-bench's (tests/5_container_runtime.sh, numbering of 2024);
// each rule reads the same inspect field the script reads. Checks about what the playground
// cannot set (ports, restart policy, AppArmor, the engine's own settings) are listed as not
// applicable, with why, rather than scored. Pure: the inspect is a value.
import type Dockerode from 'dockerode';
import { both, inLang } from '../catalogue/lab-text.ts';
import { DEFAULT_LANG, type Lang } from '../protocol/lang.ts';
import type { BenchFinding, BenchScore } from '../protocol/playground-types.ts';
import { DEFAULT_CAPABILITIES } from '../protocol/playground-types.ts';
import { NOT_APPLICABLE } from './docker-bench-na.ts';
import { NAMESPACE_RULES } from './docker-bench-namespaces.ts';
import { titleOf } from './docker-bench-titles.ts';
import { verdict, type Verdict } from './docker-bench-verdict.ts';

type Inspect = Dockerode.ContainerInspectInfo;

/** docker-bench 5.6's list of host directories that must not be mounted. */
const SENSITIVE_DIRS = ['/', '/boot', '/dev', '/etc', '/lib', '/proc', '/sys', '/usr'];

function securityOpt(inspect: Inspect): string[] {
  return (inspect.HostConfig.SecurityOpt ?? []) as string[];
}

/** 5.4 warns on a capability added beyond Docker's default set, as docker-bench's sed does. */
function capabilities(inspect: Inspect): Verdict {
  const added = ((inspect.HostConfig.CapAdd ?? []) as string[]).map((c) =>
    c.toUpperCase().replace(/^CAP_/, ''),
  );
  const extra = added.filter((c) => !(DEFAULT_CAPABILITIES as readonly string[]).includes(c));
  const dropped = (inspect.HostConfig.CapDrop ?? []) as string[];
  return verdict(
    extra.length === 0,
    both(
      `No capability beyond Docker's default set is added${dropped.length > 0 ? `, and ${dropped.join(', ')} dropped` : ''} (recommendation 14: keep only the capabilities the job needs).`,
      `没有添加 Docker 默认集合之外的能力${dropped.length > 0 ? `，并丢弃了 ${dropped.join(', ')}` : ''}（建议 14：只保留工作需要的能力）。`,
    ),
    both(
      `CapAdd holds ${extra.join(', ')}: root in the container gets powers beyond Docker's default set, the ones the escape labs use (recommendation 14).`,
      `CapAdd 包含 ${extra.join(', ')}：容器里的 root 得到了 Docker 默认集合之外的权力，正是逃逸实验所利用的那些（建议 14）。`,
    ),
  );
}

/** [id, the rule]; the titles are docker-bench-titles.ts's. */
const RULES: readonly (readonly [string, (inspect: Inspect) => Verdict])[] = [
  ['5.4', capabilities],
  [
    '5.5',
    (i) =>
      verdict(
        i.HostConfig.Privileged !== true,
        both(
          'Not privileged: the playground never offers --privileged (recommendation 5).',
          '非特权：练习场从不提供 --privileged（建议 5）。',
        ),
        both(
          'Privileged: every capability, every device, no seccomp (recommendation 5 says never).',
          '特权：拥有全部能力、全部设备，没有 seccomp（建议 5：永远不要这样做）。',
        ),
      ),
  ],
  [
    '5.6',
    (i) => {
      const mounted = i.Mounts.filter((m) => SENSITIVE_DIRS.includes(m.Source)).map(
        (m) => m.Source,
      );
      return verdict(
        mounted.length === 0,
        both(
          'No host directory is mounted: the playground mounts nothing from the host.',
          '没有挂载宿主机目录：练习场不从宿主机挂载任何东西。',
        ),
        both(
          `The host's ${mounted.join(', ')} is mounted in the container.`,
          `宿主机的 ${mounted.join(', ')} 被挂载到了容器中。`,
        ),
      );
    },
  ],
  [
    '5.11',
    (i) => {
      const mib = Math.round((i.HostConfig.Memory ?? 0) / 1048576);
      return verdict(
        (i.HostConfig.Memory ?? 0) > 0,
        both(
          `Memory is limited to ${mib} MiB (recommendation 6: control groups).`,
          `内存被限制为 ${mib} MiB（建议 6：控制组）。`,
        ),
        both(
          'No memory limit: one container can take the whole host’s memory (recommendation 6).',
          '没有内存限制：一个容器就能占满宿主机的全部内存（建议 6）。',
        ),
      );
    },
  ],
  [
    '5.12',
    (i) => {
      const cpus = (i.HostConfig.NanoCpus ?? 0) / 1e9;
      return verdict(
        (i.HostConfig.CpuShares ?? 0) !== 0 || (i.HostConfig.NanoCpus ?? 0) !== 0,
        both(
          `CPU is limited to ${cpus} CPUs (NanoCpus; recommendation 6).`,
          `CPU 被限制为 ${cpus} 个 CPU（NanoCpus；建议 6）。`,
        ),
        both(
          'Neither CPU shares nor a CPU limit: the container competes for the CPU unbounded.',
          '既没有 CPU 份额也没有 CPU 限制：容器无上限地争抢 CPU。',
        ),
      );
    },
  ],
  [
    '5.13',
    (i) =>
      verdict(
        i.HostConfig.ReadonlyRootfs === true,
        both(
          'The root file system is read-only: a program dropped into it cannot be written (recommendation 10).',
          '根文件系统是只读的：无法往里面写入植入的程序（建议 10）。',
        ),
        both(
          'The root file system is writable: whoever gets in can replace its programs (recommendation 10; the audit lab shows the drift).',
          '根文件系统可写：进入容器的人可以替换其中的程序（建议 10；审计实验展示了这种偏移）。',
        ),
      ),
  ],
  [
    '5.18',
    (i) =>
      ((i.HostConfig.Devices ?? []) as unknown[]).length === 0
        ? {
            result: 'pass',
            explanation: both(
              'No host device is passed in (recommendation 8): the playground offers none.',
              '没有传入宿主机设备（建议 8）：练习场不提供任何设备。',
            ),
          }
        : {
            result: 'info',
            explanation: both(
              'Host devices are passed in: docker-bench asks a person to judge them.',
              '传入了宿主机设备：docker-bench 要求由人来判断。',
            ),
          },
  ],
  [
    '5.22',
    (i) =>
      verdict(
        !securityOpt(i).some((o) => /^seccomp[=:]unconfined$/.test(o)),
        securityOpt(i).some((o) => o.startsWith('seccomp='))
          ? both(
              'A seccomp profile of the labs’ own replaces Docker’s default (recommendation 13): it filters too, but only what it names.',
              '实验自带的 seccomp 配置取代了 Docker 的默认配置（建议 13）：它同样过滤，但只过滤它列出的调用。',
            )
          : both(
              "Docker's default seccomp profile filters the container’s system calls (recommendation 13).",
              'Docker 默认的 seccomp 配置过滤容器的系统调用（建议 13）。',
            ),
        both(
          'seccomp=unconfined: no filter stands between root in the container and every system call of the kernel (recommendation 13).',
          'seccomp=unconfined：容器里的 root 与内核的每个系统调用之间没有任何过滤（建议 13）。',
        ),
      ),
  ],
  [
    '5.25',
    (i) => {
      const parent = i.HostConfig.CgroupParent ?? '';
      return verdict(
        parent === '',
        both(
          "The container is under the engine's own cgroup parent, where its limits apply.",
          '容器位于引擎自己的 cgroup 父组下，它的资源限制在那里生效。',
        ),
        both(
          `The container’s cgroup parent is ${parent}: its limits sit elsewhere.`,
          `容器的 cgroup 父组是 ${parent}：它的资源限制落在别处。`,
        ),
      );
    },
  ],
  [
    '5.26',
    (i) =>
      verdict(
        securityOpt(i).includes('no-new-privileges'),
        both(
          'no-new-privileges: a setuid program cannot raise privileges (recommendation 7; the setuid lab).',
          'no-new-privileges：setuid 程序无法提升权限（建议 7；setuid 实验）。',
        ),
        both(
          'Without no-new-privileges a setuid program can still make a user root (recommendation 7; the setuid lab).',
          '没有 no-new-privileges，setuid 程序仍能让用户变成 root（建议 7；setuid 实验）。',
        ),
      ),
  ],
  [
    '5.29',
    (i) => {
      const pids = i.HostConfig.PidsLimit ?? 0;
      return verdict(
        pids > 0,
        both(
          `At most ${pids} processes: a fork bomb stops there (recommendation 6; the cgroup-pids lab).`,
          `最多 ${pids} 个进程：fork 炸弹到此为止（建议 6；cgroup-pids 实验）。`,
        ),
        both(
          'No PIDs limit: a fork bomb can exhaust the host’s process table (recommendation 6).',
          '没有 PIDs 限制：fork 炸弹能耗尽宿主机的进程表（建议 6）。',
        ),
      );
    },
  ],
  [
    '5.32',
    (i) =>
      verdict(
        !i.Mounts.some((m) => m.Source.includes('docker.sock')),
        both(
          'The Docker socket is not mounted: the playground never mounts it (recommendation 2; the escape-docker-sock lab).',
          'Docker 套接字没有被挂载：练习场从不挂载它（建议 2；escape-docker-sock 实验）。',
        ),
        both(
          'The Docker socket is mounted: whoever reaches it is root on the host (recommendation 2).',
          'Docker 套接字被挂载了：谁能访问它，谁就是宿主机上的 root（建议 2）。',
        ),
      ),
  ],
];

/** "5.13" -> 13, so the two lists merge in docker-bench's order. */
function order(id: string): number {
  return Number(id.split('.')[1]);
}

/** The score of one container, its titles and explanations in `lang` (English by default). */
export function dockerBenchScore(inspect: Inspect, lang: Lang = DEFAULT_LANG): BenchScore {
  const findings: BenchFinding[] = [
    ...[...RULES, ...NAMESPACE_RULES].map(([id, rule]) => {
      const { result, explanation } = rule(inspect);
      return { id, title: titleOf(id, lang), result, explanation: inLang(explanation, lang) };
    }),
    ...NOT_APPLICABLE.map(([id, explanation]) => ({
      id,
      title: titleOf(id, lang),
      result: 'na' as const,
      explanation: inLang(explanation, lang),
    })),
  ].sort((a, b) => order(a.id) - order(b.id));
  const applicable = findings.filter((f) => f.result === 'pass' || f.result === 'warn');
  return {
    passed: applicable.filter((f) => f.result === 'pass').length,
    applicable: applicable.length,
    findings,
  };
}
