// Reads one session's containers into an InspectorSnapshot. What rarely changes (the engine's
// inspect, the init process's status, maps and namespaces) is read once and then every
// PROFILE_MS; the cgroup counters are read on every call. The init process is the engine's
// docker-init, so nothing the learner types changes those fields between two readings.
import type { ContainerClient } from '../docker/container-client.ts';
import type { EngineFacts } from '../host/host-facts.ts';
import type {
  CapabilityView,
  ContainerInspection,
  SecurityView,
  HostExposure,
  InspectorSnapshot,
  NamespaceRow,
} from '../protocol/inspector-types.ts';
import { capabilityView } from './capability-view.ts';
import {
  cgroupDirs,
  cgroupLimits,
  cgroupView,
  type CgroupDirs,
  type CgroupLimits,
} from './cgroup-view.ts';
import {
  namespaceLinks,
  processFacts,
  type NamespaceLinks,
  type ProcessFacts,
} from './process-view.ts';
import { riskLines } from './risk-lines.ts';
import { hostExposures, securityView } from './security-view.ts';
import type Dockerode from 'dockerode';

/** How often the profile part is read again while the panel is open. */
export const PROFILE_MS = 10_000;

export interface InspectedContainer {
  name: string;
  title: string;
  id: string;
  client: ContainerClient;
}

interface Profile {
  at: number;
  info: Dockerode.ContainerInspectInfo;
  pid: number;
  facts: ProcessFacts;
  exposures: HostExposure[];
  dirs: CgroupDirs;
  limits: CgroupLimits;
  /** Decoded once per profile: the same fields give the same view until the next reading. */
  capabilities: CapabilityView | null;
  security: SecurityView;
}

export class SessionReader {
  private readonly profiles = new Map<string, Profile>();

  constructor(
    private readonly facts: EngineFacts,
    /** The server's own namespaces, read once per hub. */
    private readonly host: Promise<NamespaceLinks>,
  ) {}

  async read(
    sessionId: string,
    containers: readonly InspectedContainer[],
  ): Promise<InspectorSnapshot> {
    const profiles = await Promise.all(containers.map((c) => this.profile(c)));
    const rows = namespaceRows(
      containers.map((c) => c.name),
      profiles.map((p) => (p instanceof Error ? undefined : p.facts.namespaces)),
      await this.host,
      this.facts.cgroupVersion,
    );
    const inspections = containers.map((c, i) => this.inspection(c, profiles[i], rows[i] ?? []));
    return { sessionId, at: Date.now(), containers: inspections };
  }

  private async profile(container: InspectedContainer): Promise<Profile | Error> {
    const cached = this.profiles.get(container.id);
    if (cached !== undefined && Date.now() - cached.at < PROFILE_MS) return cached;
    try {
      const info = await container.client.inspect(container.id);
      if (!info.State.Running || info.State.Pid <= 0)
        throw new Error('The container is not running.');
      const pid = info.State.Pid;
      const [facts, exposures, dirs] = await Promise.all([
        processFacts(pid),
        hostExposures(info),
        cgroupDirs(pid, this.facts.cgroupVersion),
      ]);
      const limits = cgroupLimits(dirs);
      const profile = {
        at: Date.now(),
        info,
        pid,
        facts,
        exposures,
        dirs,
        limits,
        capabilities: capabilityView(facts.status),
        security: securityView(info, facts, exposures),
      };
      this.profiles.set(container.id, profile);
      return profile;
    } catch (error) {
      this.profiles.delete(container.id);
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  private inspection(
    container: InspectedContainer,
    profile: Profile | Error | undefined,
    namespaces: NamespaceRow[],
  ): ContainerInspection {
    const base = { name: container.name, title: container.title };
    if (profile === undefined || profile instanceof Error) {
      const error = profile?.message ?? 'not read';
      return {
        ...base,
        running: false,
        pid: null,
        namespaces: [],
        capabilities: null,
        security: null,
        cgroup: null,
        risks: [],
        error,
      };
    }
    const { capabilities, security } = profile;
    const cgroup = cgroupView(profile.dirs, profile.limits);
    const sandboxed = profile.info.HostConfig.Runtime === 'runsc';
    const risks = riskLines(
      { namespaces, capabilities, security, cgroup, sandboxed },
      this.facts.apparmor,
    );
    return {
      ...base,
      running: true,
      pid: profile.pid,
      namespaces,
      capabilities,
      security,
      cgroup,
      risks,
    };
  }
}

/** The server's own namespaces: the host's, as nslab runs on the host (PID 1's are unreadable here). */
export function hostNamespaces(): Promise<NamespaceLinks> {
  return namespaceLinks('self');
}

/** Namespaces a plain `docker run` leaves shared with the host. */
function sharedByDefault(kind: NamespaceRow['kind'], cgroupVersion: 1 | 2): boolean {
  return kind === 'user' || kind === 'time' || (kind === 'cgroup' && cgroupVersion === 1);
}

/** Each container's namespaces, marked private, shared with the host or with others of the session. */
export function namespaceRows(
  names: readonly string[],
  links: readonly (NamespaceLinks | undefined)[],
  host: NamespaceLinks,
  cgroupVersion: 1 | 2,
): NamespaceRow[][] {
  return links.map((own, i) => {
    if (own === undefined) return [];
    return Object.entries(own).map(([kind, link]): NamespaceRow => {
      const k = kind as NamespaceRow['kind'];
      const row = {
        kind: k,
        container: link,
        host: host[k] ?? '',
        dockerDefault: sharedByDefault(k, cgroupVersion),
      };
      if (link === row.host) return { ...row, sharing: 'host' };
      const others = names.filter((_name, j) => j !== i && links[j]?.[k] === link);
      if (others.length > 0) return { ...row, sharing: 'container', sharedWith: others };
      return { ...row, sharing: 'private' };
    });
  });
}
