// The real evidence behind checks: the engine's inspect data, the host's /proc and cgroup
// files, the container's files through /proc/<pid>/root (container-files.ts) and one
// namespace's tables read by the host's own programs (namespace-view.ts). The server must be
// root on the engine's host to read them; where it is not, a check fails to run rather than
// asking a program in the container. Probes remain only for labs not yet moved off them.
import { readKernelLog } from '../host/kernel-log.ts';
import { readdir, readFile, readlink } from 'node:fs/promises';
import os from 'node:os';
import { ContainerClient } from '../docker/container-client.ts';
import { engineInfo } from '../docker/engine-info.ts';
import type { SessionDockerd } from '../docker/session-dockerd.ts';
import { AppError } from '../errors/app-error.ts';
import { message } from '../errors/server-message.ts';
import type { EngineFacts } from '../host/host-facts.ts';
import type { SessionFiles } from '../host/session-files.ts';
import type {
  CgroupController,
  CheckContext,
  ContainerEvidence,
  HostEvidence,
  HostProcess,
  NamespaceKind,
  NetTable,
  SessionEngineEvidence,
} from './check-context.ts';
import { readInRoot, statInRoot, walkInRoot } from './container-files.ts';
import { netLinks, netSysctl, sysvIpcTable } from './namespace-view.ts';
import { sandboxProcesses } from './sandbox-view.ts';

const STOPPED = message(
  'container_stopped',
  'The container is not running, so there is nothing to check.',
  '容器没有在运行，所以没有东西可检查。',
);

export function hostEvidence(facts: EngineFacts): HostEvidence {
  return {
    hostname: () => Promise.resolve(os.hostname()),
    namespace: (kind) => readlink(`/proc/self/ns/${kind}`),
    processesCarrying,
    facts,
    kernelLog: async () => (await readKernelLog()).map((r) => r.text),
  };
}

/** Parses /proc/<pid>/status into its fields. */
export function parseProcStatus(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).trim();
  }
  return fields;
}

/** The directory of `controller` for a process, from its /proc/<pid>/cgroup lines. */
export function cgroupDir(procCgroup: string, controller: CgroupController): string | undefined {
  for (const line of procCgroup.split('\n')) {
    const [, controllers = '', path = ''] = line.split(':');
    if (controllers === '' && line.startsWith('0::'))
      return `/sys/fs/cgroup${path === '/' ? '' : path}`;
    if (controllers.split(',').includes(controller)) return `/sys/fs/cgroup/${controllers}${path}`;
  }
  return undefined;
}

const NAMESPACE_KINDS: readonly NamespaceKind[] = [
  'uts',
  'pid',
  'net',
  'ipc',
  'mnt',
  'user',
  'cgroup',
];

/** The namespace links of one host process; a link the server may not read is left out. */
async function processNamespaces(pid: number): Promise<Partial<Record<NamespaceKind, string>>> {
  const links = await Promise.all(
    NAMESPACE_KINDS.map((kind) =>
      readlink(`/proc/${pid}/ns/${kind}`).then(
        (link) => [kind, link] as const,
        () => undefined,
      ),
    ),
  );
  return Object.fromEntries(links.filter((entry) => entry !== undefined));
}

/** /proc/<pid>/attr/current; reading it fails (EINVAL) when no LSM labels processes. */
export async function securityLabel(pid: number): Promise<string | undefined> {
  try {
    const label = (await readFile(`/proc/${pid}/attr/current`, 'utf8')).replaceAll('\0', '').trim();
    return label === '' ? undefined : label;
  } catch {
    return undefined;
  }
}

const NET_TABLES: ReadonlySet<NetTable> = new Set<NetTable>([
  'snmp',
  'arp',
  'dev',
  'tcp',
  'tcp6',
  'udp',
  'udp6',
  'netstat',
]);

/** One host process from /proc; undefined when it exited between listing and reading. */
async function hostProcess(pid: number): Promise<HostProcess | undefined> {
  try {
    const [status, cmdline] = await Promise.all([
      readFile(`/proc/${pid}/status`, 'utf8'),
      readFile(`/proc/${pid}/cmdline`, 'utf8'),
    ]);
    return {
      pid,
      cmdline: cmdline.replaceAll('\0', ' ').trim(),
      status: parseProcStatus(status),
      exe: await readlink(`/proc/${pid}/exe`).catch(() => undefined),
      namespaces: await processNamespaces(pid),
      securityLabel: await securityLabel(pid),
    };
  } catch {
    return undefined;
  }
}

/** Host processes whose comm or command line contains `text` (one that exits meanwhile is skipped). */
async function processesCarrying(text: string): Promise<HostProcess[]> {
  if (text === '') throw new Error('processesCarrying needs a non-empty text');
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  const carrying = await Promise.all(
    pids.map(async (pid) => {
      const [comm, cmdline] = await Promise.all([
        readFile(`/proc/${pid}/comm`, 'utf8').catch(() => ''),
        readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''),
      ]);
      return comm.includes(text) || cmdline.includes(text) ? hostProcess(pid) : undefined;
    }),
  );
  return carrying.filter((p): p is HostProcess => p !== undefined);
}

/** Every host process in the cgroup of `pid` (its pids controller; v2's one hierarchy). */
async function cgroupPids(pid: number, facts: EngineFacts): Promise<number[]> {
  const controller = facts.cgroupVersion === 2 ? 'memory' : 'pids';
  const dir = cgroupDir(await readFile(`/proc/${pid}/cgroup`, 'utf8'), controller);
  if (dir === undefined) throw new Error(`no cgroup for host process ${pid}`);
  const procs = await readFile(`${dir}/cgroup.procs`, 'utf8');
  return procs
    .split('\n')
    .filter((line) => /^\d+$/.test(line))
    .map(Number);
}

export function containerEvidence(
  client: ContainerClient,
  containerId: string,
  facts: EngineFacts,
): ContainerEvidence {
  const runningPid = async (): Promise<number> => {
    const info = await client.inspect(containerId);
    if (!info.State.Running || info.State.Pid <= 0) {
      throw new AppError('conflict', STOPPED());
    }
    return info.State.Pid;
  };
  /** The container's root as the host sees it: its main process's /proc/<pid>/root. */
  const root = async (): Promise<string> => `/proc/${await runningPid()}/root`;
  return {
    inspect: () => client.inspect(containerId),
    namespace: async (kind: NamespaceKind) => readlink(`/proc/${await runningPid()}/ns/${kind}`),
    readEngineFile: async (field) => readFile((await client.inspect(containerId))[field], 'utf8'),
    stat: async (path) => statInRoot(await root(), path),
    readFile: async (path) => readInRoot(await root(), path),
    walk: async (path, options) => walkInRoot(await root(), path, options),
    mountinfo: async () => readFile(`/proc/${await runningPid()}/mountinfo`, 'utf8'),
    netTable: async (table) => {
      if (!NET_TABLES.has(table)) throw new Error(`not a network table: ${table}`);
      return readFile(`/proc/${await runningPid()}/net/${table}`, 'utf8');
    },
    netLinks: async () => netLinks(await runningPid()),
    netSysctl: async (name) => netSysctl(await runningPid(), name),
    sysvIpc: async (kind) => sysvIpcTable(await runningPid(), kind),
    cgroupFile: async (controller, file) => {
      const pid = await runningPid();
      const dir = cgroupDir(
        await readFile(`/proc/${pid}/cgroup`, 'utf8'),
        facts.cgroupVersion === 2 ? 'memory' : controller,
      );
      if (dir === undefined)
        throw new Error(`no ${controller} cgroup for container ${containerId}`);
      if (file.includes('/') || file.startsWith('.'))
        throw new Error(`not a cgroup file name: ${file}`);
      return readFile(`${dir}/${file}`, 'utf8');
    },
    processes: async () => {
      // Under gVisor the engine's `top` asks runsc for the sandbox's own PIDs and looks them up
      // in the host's ps (measured: PID 1 of the sandbox came back as the host's PID 1), so
      // the host's processes of such a container are read from its cgroup instead.
      const info = await client.inspect(containerId);
      const pids =
        info.HostConfig.Runtime === 'runsc'
          ? await cgroupPids(await runningPid(), facts)
          : await client.hostPids(containerId);
      const found = await Promise.all(pids.map(hostProcess));
      return found.filter((p): p is HostProcess => p !== undefined);
    },
    changes: () => client.changes(containerId),
    logs: () => client.logs(containerId),
    sandboxProcesses: async () => {
      const info = await client.inspect(containerId);
      if (info.HostConfig.Runtime !== 'runsc' || facts.runsc === undefined) {
        throw new Error(`container ${containerId} does not run under runsc`);
      }
      return sandboxProcesses(facts.runsc.path, await runningPid(), info.Id);
    },
  };
}

export interface CheckedSession {
  id: string;
  token: string;
  dir: string;
  containers: ReadonlyMap<string, { id: string; client: ContainerClient }>;
  /** The session's own dockerds, by name, for labs that start some. */
  dockerds: ReadonlyMap<string, SessionDockerd>;
}

export function dockerCheckContext(
  session: CheckedSession,
  files: SessionFiles,
  facts: EngineFacts,
): CheckContext {
  return {
    sessionId: session.id,
    sessionToken: session.token,
    host: hostEvidence(facts),
    container: (name) => {
      const container = session.containers.get(name);
      if (container === undefined) throw new Error(`lab has no container named ${name}`);
      return containerEvidence(container.client, container.id, facts);
    },
    sessionFiles: {
      list: (relative) => files.list(session.dir, relative),
      read: (relative) => files.read(session.dir, relative),
    },
    sessionEngine: (name) => {
      const engine = session.dockerds.get(name);
      if (engine === undefined) throw new Error(`lab has no session engine named ${name}`);
      return sessionEngineEvidence(engine);
    },
  };
}

function sessionEngineEvidence(engine: SessionDockerd): SessionEngineEvidence {
  const client = new ContainerClient(engine.docker);
  return {
    containers: () => client.inspectAll(),
    info: async () => {
      const info = await engineInfo(engine.docker);
      return { ID: info.ID ?? '', DockerRootDir: info.DockerRootDir ?? '' };
    },
    log: () => readFile(engine.logPath, 'utf8'),
  };
}
