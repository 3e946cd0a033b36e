// A CheckContext made of plain values: each check reads exactly the evidence a test sets,
// and every read is recorded so a test can tell whether the check ran at all.
import { vi, type Mock } from 'vitest';
import type {
  CheckContext,
  ContainerEvidence,
  NamespaceKind,
  ProbeResult,
} from '../../../server/checks/check-context.ts';
import type { EngineFacts } from '../../../server/host/host-facts.ts';

export interface FakeContainer {
  namespaces?: Partial<Record<NamespaceKind, string>>;
  /** Keyed by the command joined with spaces. */
  probes?: Record<string, ProbeResult>;
  engineFiles?: Partial<Record<'HostnamePath' | 'HostsPath' | 'ResolvConfPath', string>>;
}

export interface FakeEvidence {
  hostname?: string;
  hostNamespaces?: Partial<Record<NamespaceKind, string>>;
  containers?: Record<string, FakeContainer>;
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

/** What the tests' host offers: this machine's kind (cgroup v1, no AppArmor). */
export const TEST_FACTS: EngineFacts = {
  cgroupVersion: 1,
  apparmor: false,
  seccomp: true,
  dockerRootDir: '/var/lib/docker',
  serverVersion: 'test',
  dataDisk: undefined,
};

export function fakeCheckContext(evidence: FakeEvidence): FakeCheckContext {
  const reads: string[] = [];
  const container = vi.fn((name: string): ContainerEvidence => {
    const fake = evidence.containers?.[name];
    return {
      inspect: () => {
        reads.push(`${name}:inspect`);
        return missing(`inspect for ${name}`);
      },
      namespace: (kind) => {
        reads.push(`${name}:namespace:${kind}`);
        const link = fake?.namespaces?.[kind];
        return link === undefined
          ? missing(`${kind} namespace for ${name}`)
          : Promise.resolve(link);
      },
      probe: (cmd) => {
        const key = cmd.join(' ');
        reads.push(`${name}:probe:${key}`);
        const result = fake?.probes?.[key];
        return result === undefined
          ? missing(`probe "${key}" for ${name}`)
          : Promise.resolve(result);
      },
      readEngineFile: (field) => {
        reads.push(`${name}:readEngineFile:${field}`);
        const text = fake?.engineFiles?.[field];
        return text === undefined ? missing(`${field} for ${name}`) : Promise.resolve(text);
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
    };
  });
  const ctx: CheckContext = {
    sessionEngine: (name) => {
      reads.push(`sessionEngine:${name}`);
      throw new Error(`lab has no session engine named ${name}`);
    },
    sessionId: 'AAAAAAAAAAAAAAAAAAAAAA',
    sessionToken: 'feedface',
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
      facts: TEST_FACTS,
      hostname: () => {
        reads.push('host:hostname');
        return evidence.hostname === undefined
          ? missing('host hostname')
          : Promise.resolve(evidence.hostname);
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
