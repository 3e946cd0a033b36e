// A CheckContext made of plain values: each check reads exactly the evidence a test sets,
// and every read is recorded so a test can tell whether the check ran at all.
import { vi, type Mock } from 'vitest';
import type {
  CheckContext,
  ContainerEvidence,
  ContainerFile,
  NamespaceKind,
  NetTable,
} from '../../../server/checks/check-context.ts';
import type { EngineFacts } from '../../../server/host/host-facts.ts';

export interface FakeContainer {
  namespaces?: Partial<Record<NamespaceKind, string>>;
  /** Keyed by the command joined with spaces. */
  engineFiles?: Partial<Record<'HostnamePath' | 'HostsPath' | 'ResolvConfPath', string>>;
  /** The container's files by path, as the host's lstat sees them (stat, walk). */
  files?: ContainerFile[];
  /** Text of the container's regular files by path (readFile). */
  texts?: Record<string, string>;
  mountinfo?: string;
  /** What `docker inspect` answers (only the fields a test needs). */
  inspect?: unknown;
  netTables?: Partial<Record<NetTable, string>>;
  netLinks?: string;
  netSysctls?: Record<string, string>;
  sysvIpc?: Partial<Record<'shm' | 'msg' | 'sem', string>>;
  /** What the engine's log driver kept of PID 1's output (logs). */
  log?: string;
}

export interface FakeEvidence {
  hostname?: string;
  hostNamespaces?: Partial<Record<NamespaceKind, string>>;
  containers?: Record<string, FakeContainer>;
  /** The kernel log's records (host.kernelLog). */
  kernelLog?: string[];
  facts?: Partial<EngineFacts>;
  sessionToken?: string;
}

export interface FakeCheckContext {
  ctx: CheckContext;
  /** Every evidence read, as "container:method:arg" or "host:method:arg". */
  reads: string[];
  /** The spy behind ctx.container, to tell whether a check asked for any container. */
  container: Mock<(name: string) => ContainerEvidence>;
}

function missing(what: string): Promise<never> {
  return Promise.reject(new Error(`fake evidence has no ${what}`));
}

function known<T>(value: T | undefined, what: string): Promise<T> {
  return value === undefined ? missing(what) : Promise.resolve(value);
}

/** The host-side file and namespace readers of one fake container. */
function hostSide(
  name: string,
  fake: FakeContainer | undefined,
  reads: string[],
): Omit<
  ContainerEvidence,
  | 'inspect'
  | 'namespace'
  | 'readEngineFile'
  | 'cgroupFile'
  | 'processes'
  | 'changes'
  | 'sandboxProcesses'
> {
  const files = fake?.files ?? [];
  return {
    stat: (path) => {
      reads.push(`${name}:stat:${path}`);
      return Promise.resolve(files.find((f) => f.path === path));
    },
    readFile: (path) => {
      reads.push(`${name}:readFile:${path}`);
      return Promise.resolve(fake?.texts?.[path]);
    },
    walk: (path, options) => {
      reads.push(`${name}:walk:${path}`);
      const below = files.filter((f) => f.path.startsWith(`${path === '/' ? '' : path}/`));
      return Promise.resolve(
        below.filter((f) => options?.types === undefined || options.types.includes(f.type)),
      );
    },
    mountinfo: () => {
      reads.push(`${name}:mountinfo`);
      return known(fake?.mountinfo, `mountinfo for ${name}`);
    },
    netTable: (table) => {
      reads.push(`${name}:netTable:${table}`);
      return known(fake?.netTables?.[table], `net table ${table} for ${name}`);
    },
    netLinks: () => {
      reads.push(`${name}:netLinks`);
      return known(fake?.netLinks, `links for ${name}`);
    },
    netSysctl: (sysctl) => {
      reads.push(`${name}:netSysctl:${sysctl}`);
      return known(fake?.netSysctls?.[sysctl], `sysctl ${sysctl} for ${name}`);
    },
    sysvIpc: (kind) => {
      reads.push(`${name}:sysvIpc:${kind}`);
      return known(fake?.sysvIpc?.[kind], `sysvipc ${kind} for ${name}`);
    },
    logs: () => {
      reads.push(`${name}:logs`);
      return known(fake?.log, `log for ${name}`);
    },
  };
}

/** What the tests' host offers: this machine's kind (cgroup v1, no AppArmor). */
export const TEST_FACTS: EngineFacts = {
  cgroupVersion: 1,
  apparmor: false,
  seccomp: true,
  dockerRootDir: '/var/lib/docker',
  serverVersion: 'test',
  dataDisk: undefined,
};

/** The engine-side readers of one fake container, and its host-side ones (hostSide). */
function fakeContainer(
  name: string,
  fake: FakeContainer | undefined,
  reads: string[],
): ContainerEvidence {
  return {
    inspect: () => {
      reads.push(`${name}:inspect`);
      return known(
        fake?.inspect as Awaited<ReturnType<ContainerEvidence['inspect']>> | undefined,
        `inspect for ${name}`,
      );
    },
    namespace: (kind) => {
      reads.push(`${name}:namespace:${kind}`);
      return known(fake?.namespaces?.[kind], `${kind} namespace for ${name}`);
    },
    readEngineFile: (field) => {
      reads.push(`${name}:readEngineFile:${field}`);
      return known(fake?.engineFiles?.[field], `${field} for ${name}`);
    },
    cgroupFile: (controller, file) => {
      reads.push(`${name}:cgroupFile:${controller}/${file}`);
      return missing(`cgroup file ${controller}/${file} for ${name}`);
    },
    processes: () => {
      reads.push(`${name}:processes`);
      return missing(`processes for ${name}`);
    },
    changes: () => {
      reads.push(`${name}:changes`);
      return missing(`rootfs changes for ${name}`);
    },
    sandboxProcesses: () => {
      reads.push(`${name}:sandboxProcesses`);
      return missing(`sandbox processes for ${name}`);
    },
    ...hostSide(name, fake, reads),
  };
}

export function fakeCheckContext(evidence: FakeEvidence): FakeCheckContext {
  const reads: string[] = [];
  const container = vi.fn((name: string): ContainerEvidence =>
    fakeContainer(name, evidence.containers?.[name], reads),
  );
  const ctx: CheckContext = {
    sessionEngine: (name) => {
      reads.push(`sessionEngine:${name}`);
      throw new Error(`lab has no session engine named ${name}`);
    },
    sessionId: 'AAAAAAAAAAAAAAAAAAAAAA',
    sessionToken: evidence.sessionToken ?? 'feedface',
    sessionFiles: {
      list: (relative) => {
        reads.push(`sessionFiles:list:${relative}`);
        return missing(`session files under ${relative}`);
      },
      read: (relative) => {
        reads.push(`sessionFiles:read:${relative}`);
        return missing(`session file ${relative}`);
      },
    },
    container,
    host: {
      facts: { ...TEST_FACTS, ...evidence.facts },
      kernelLog: () => {
        reads.push('host:kernelLog');
        return known(evidence.kernelLog, 'kernel log');
      },
      hostname: () => {
        reads.push('host:hostname');
        return evidence.hostname === undefined
          ? missing('host hostname')
          : Promise.resolve(evidence.hostname);
      },
      processesCarrying: (text) => {
        reads.push(`host:processesCarrying:${text}`);
        return missing('host processes');
      },
      namespace: (kind) => {
        reads.push(`host:namespace:${kind}`);
        const link = evidence.hostNamespaces?.[kind];
        return link === undefined ? missing(`host ${kind} namespace`) : Promise.resolve(link);
      },
    },
  };
  return { ctx, reads, container };
}
