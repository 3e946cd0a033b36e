// docker-bench-security's section 5 (container runtime), computed by nslab from the engine's
// own view of one container (`docker inspect`), each finding explained in the seeds' terms.
// The ids and titles are docker-bench's (tests/5_container_runtime.sh, numbering of 2024);
// each rule reads the same inspect field the script reads. Checks about what the playground
// cannot set (ports, restart policy, AppArmor, the engine's own settings) are listed as not
// applicable, with why, rather than scored. Pure: the inspect is a value.
import type Dockerode from 'dockerode';
import type { BenchFinding, BenchScore } from '../protocol/playground-types.ts';
import { DEFAULT_CAPABILITIES } from '../protocol/playground-types.ts';
import { NOT_APPLICABLE } from './docker-bench-na.ts';

type Inspect = Dockerode.ContainerInspectInfo;
type Verdict = Pick<BenchFinding, 'result' | 'explanation'>;

/** docker-bench 5.6's list of host directories that must not be mounted. */
const SENSITIVE_DIRS = ['/', '/boot', '/dev', '/etc', '/lib', '/proc', '/sys', '/usr'];

function verdict(ok: boolean, pass: string, warn: string): Verdict {
  return ok ? { result: 'pass', explanation: pass } : { result: 'warn', explanation: warn };
}

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
    `No capability beyond Docker's default set is added${dropped.length > 0 ? `, and ${dropped.join(', ')} dropped` : ''} (recommendation 14: keep only the capabilities the job needs).`,
    `CapAdd holds ${extra.join(', ')}: root in the container gets powers beyond Docker's default set, the ones the escape labs use (recommendation 14).`,
  );
}

function sharedNamespace(mode: string | undefined, what: string, risk: string): Verdict {
  return verdict(
    mode !== 'host',
    `The container has its own ${what} namespace.`,
    `The container shares the host's ${what} namespace: ${risk}.`,
  );
}

const RULES: readonly (readonly [string, string, (inspect: Inspect) => Verdict])[] = [
  ['5.4', 'Ensure that Linux kernel capabilities are restricted within containers', capabilities],
  [
    '5.5',
    'Ensure that privileged containers are not used',
    (i) =>
      verdict(
        i.HostConfig.Privileged !== true,
        'Not privileged: the playground never offers --privileged (recommendation 5).',
        'Privileged: every capability, every device, no seccomp (recommendation 5 says never).',
      ),
  ],
  [
    '5.6',
    'Ensure sensitive host system directories are not mounted on containers',
    (i) => {
      const mounted = i.Mounts.filter((m) => SENSITIVE_DIRS.includes(m.Source));
      return verdict(
        mounted.length === 0,
        'No host directory is mounted: the playground mounts nothing from the host.',
        `The host's ${mounted.map((m) => m.Source).join(', ')} is mounted in the container.`,
      );
    },
  ],
  [
    '5.10',
    "Ensure that the host's network namespace is not shared",
    (i) =>
      sharedNamespace(
        i.HostConfig.NetworkMode,
        'network',
        "its sockets are the host's, it can reach every host service on 127.0.0.1 and sniff with NET_RAW",
      ),
  ],
  [
    '5.11',
    'Ensure that the memory usage for containers is limited',
    (i) =>
      verdict(
        (i.HostConfig.Memory ?? 0) > 0,
        `Memory is limited to ${Math.round((i.HostConfig.Memory ?? 0) / 1048576)} MiB (recommendation 6: control groups).`,
        'No memory limit: one container can take the whole host’s memory (recommendation 6).',
      ),
  ],
  [
    '5.12',
    'Ensure that CPU priority is set appropriately on containers',
    (i) =>
      verdict(
        (i.HostConfig.CpuShares ?? 0) !== 0 || (i.HostConfig.NanoCpus ?? 0) !== 0,
        `CPU is limited to ${(i.HostConfig.NanoCpus ?? 0) / 1e9} CPUs (NanoCpus; recommendation 6).`,
        'Neither CPU shares nor a CPU limit: the container competes for the CPU unbounded.',
      ),
  ],
  [
    '5.13',
    "Ensure that the container's root filesystem is mounted as read only",
    (i) =>
      verdict(
        i.HostConfig.ReadonlyRootfs === true,
        'The root file system is read-only: a program dropped into it cannot be written (recommendation 10).',
        'The root file system is writable: whoever gets in can replace its programs (recommendation 10; the audit lab shows the drift).',
      ),
  ],
  [
    '5.16',
    "Ensure that the host's process namespace is not shared",
    (i) =>
      sharedNamespace(
        i.HostConfig.PidMode,
        'PID',
        'every host process is visible, and with SYS_PTRACE reachable (the escape-host-pid lab)',
      ),
  ],
  [
    '5.17',
    "Ensure that the host's IPC namespace is not shared",
    (i) =>
      sharedNamespace(
        i.HostConfig.IpcMode,
        'IPC',
        "the host's shared memory segments and message queues are open to it",
      ),
  ],
  [
    '5.18',
    'Ensure that host devices are not directly exposed to containers',
    (i) =>
      ((i.HostConfig.Devices ?? []) as unknown[]).length === 0
        ? {
            result: 'pass',
            explanation:
              'No host device is passed in (recommendation 8): the playground offers none.',
          }
        : {
            result: 'info',
            explanation: 'Host devices are passed in: docker-bench asks a person to judge them.',
          },
  ],
  [
    '5.21',
    "Ensure that the host's UTS namespace is not shared",
    (i) =>
      sharedNamespace(
        i.HostConfig.UTSMode,
        'UTS',
        "its hostname is the host's, and with SYS_ADMIN it could rename the host",
      ),
  ],
  [
    '5.22',
    'Ensure the default seccomp profile is not Disabled',
    (i) =>
      verdict(
        !securityOpt(i).some((o) => /^seccomp[=:]unconfined$/.test(o)),
        securityOpt(i).some((o) => o.startsWith('seccomp='))
          ? 'A seccomp profile of the labs’ own replaces Docker’s default (recommendation 13): it filters too, but only what it names.'
          : "Docker's default seccomp profile filters the container’s system calls (recommendation 13).",
        'seccomp=unconfined: no filter stands between root in the container and every system call of the kernel (recommendation 13).',
      ),
  ],
  [
    '5.25',
    'Ensure that cgroup usage is confirmed',
    (i) =>
      verdict(
        (i.HostConfig.CgroupParent ?? '') === '',
        "The container is under the engine's own cgroup parent, where its limits apply.",
        `The container’s cgroup parent is ${i.HostConfig.CgroupParent ?? ''}: its limits sit elsewhere.`,
      ),
  ],
  [
    '5.26',
    'Ensure that the container is restricted from acquiring additional privileges',
    (i) =>
      verdict(
        securityOpt(i).includes('no-new-privileges'),
        'no-new-privileges: a setuid program cannot raise privileges (recommendation 7; the setuid lab).',
        'Without no-new-privileges a setuid program can still make a user root (recommendation 7; the setuid lab).',
      ),
  ],
  [
    '5.29',
    'Ensure that the PIDs cgroup limit is used',
    (i) =>
      verdict(
        (i.HostConfig.PidsLimit ?? 0) > 0,
        `At most ${i.HostConfig.PidsLimit ?? 0} processes: a fork bomb stops there (recommendation 6; the cgroup-pids lab).`,
        'No PIDs limit: a fork bomb can exhaust the host’s process table (recommendation 6).',
      ),
  ],
  [
    '5.31',
    "Ensure that the host's user namespaces are not shared",
    (i) =>
      verdict(
        i.HostConfig.UsernsMode !== 'host',
        'Not --userns=host. User-namespace remapping is an engine-wide setting (recommendation 12; the user lab), not a profile option.',
        '--userns=host: the container opts out of the engine’s user-namespace remapping.',
      ),
  ],
  [
    '5.32',
    'Ensure that the Docker socket is not mounted inside any containers',
    (i) =>
      verdict(
        !i.Mounts.some((m) => m.Source.includes('docker.sock')),
        'The Docker socket is not mounted: the playground never mounts it (recommendation 2; the escape-docker-sock lab).',
        'The Docker socket is mounted: whoever reaches it is root on the host (recommendation 2).',
      ),
  ],
];

/** "5.13" -> 13, so the two lists merge in docker-bench's order. */
function order(id: string): number {
  return Number(id.split('.')[1]);
}

export function dockerBenchScore(inspect: Inspect): BenchScore {
  const findings: BenchFinding[] = [
    ...RULES.map(([id, title, rule]) => ({ id, title, ...rule(inspect) })),
    ...NOT_APPLICABLE.map(([id, title, explanation]) => ({
      id,
      title,
      result: 'na' as const,
      explanation,
    })),
  ].sort((a, b) => order(a.id) - order(b.id));
  const applicable = findings.filter((f) => f.result === 'pass' || f.result === 'warn');
  return {
    passed: applicable.filter((f) => f.result === 'pass').length,
    applicable: applicable.length,
    findings,
  };
}
