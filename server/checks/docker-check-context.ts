// The real evidence behind checks: the engine's inspect data, the host's /proc, and probes
// run by the server. Namespace links are read from the host's /proc first; when the server
// may not read another process's /proc (not root), a probe reads the container's PID 1.
import { readFile, readlink } from 'node:fs/promises';
import os from 'node:os';
import type { ContainerClient } from '../docker/container-client.ts';
import { AppError } from '../errors/app-error.ts';
import type {
  CheckContext,
  ContainerEvidence,
  HostEvidence,
  NamespaceKind,
} from './check-context.ts';

export const hostEvidence: HostEvidence = {
  hostname: () => Promise.resolve(os.hostname()),
  namespace: (kind) => readlink(`/proc/self/ns/${kind}`),
};

export function containerEvidence(client: ContainerClient, containerId: string): ContainerEvidence {
  const evidence: ContainerEvidence = {
    inspect: () => client.inspect(containerId),
    probe: async (cmd) => {
      const result = await client.probe(containerId, cmd);
      return { exitCode: result.exitCode, stdout: result.stdout };
    },
    namespace: async (kind: NamespaceKind) => {
      const info = await client.inspect(containerId);
      if (!info.State.Running || info.State.Pid <= 0) {
        throw new AppError(
          'conflict',
          'The container is not running, so there is nothing to check.',
        );
      }
      try {
        return await readlink(`/proc/${info.State.Pid}/ns/${kind}`);
      } catch {
        const result = await client.probe(containerId, ['readlink', `/proc/1/ns/${kind}`]);
        return result.stdout.trim();
      }
    },
    readEngineFile: async (field) => {
      const info = await client.inspect(containerId);
      const hostPath = info[field];
      try {
        return await readFile(hostPath, 'utf8');
      } catch {
        // Not root, or the engine runs elsewhere: the same file is bind-mounted in the container.
        const inside = {
          HostnamePath: '/etc/hostname',
          HostsPath: '/etc/hosts',
          ResolvConfPath: '/etc/resolv.conf',
        }[field];
        return (await client.probe(containerId, ['cat', inside])).stdout;
      }
    },
  };
  return evidence;
}

export function dockerCheckContext(
  sessionId: string,
  client: ContainerClient,
  containerIds: ReadonlyMap<string, string>,
): CheckContext {
  return {
    sessionId,
    host: hostEvidence,
    container: (name) => {
      const id = containerIds.get(name);
      if (id === undefined) throw new Error(`lab has no container named ${name}`);
      return containerEvidence(client, id);
    },
  };
}
