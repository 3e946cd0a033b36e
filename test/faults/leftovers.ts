// What a server instance left on the machine: containers on both engines, networks and
// volumes carrying its label, and session directories on the host. "Nothing left behind"
// means every list here is empty.
import { existsSync } from 'node:fs';
import { readdir, rmdir } from 'node:fs/promises';
import path from 'node:path';
import Dockerode from 'dockerode';

const USERNS_SOCKET = process.env.NSLAB_USERNS_SOCKET ?? '/run/nslab/userns-engine/docker.sock';
const STATE_DIR = process.env.NSLAB_STATE_DIR ?? '/var/lib/nslab';

export interface Leftovers {
  /** `docker ps -a --filter label=nslab.instance=<instance>`, both engines: "name (state)". */
  containers: string[];
  networks: string[];
  volumes: string[];
  /** /var/lib/nslab/<instance>/sessions/<id> directories still on the host. */
  sessionDirs: string[];
}

export function leftoverCount(left: Leftovers): number {
  return (
    left.containers.length + left.networks.length + left.volumes.length + left.sessionDirs.length
  );
}

export function describeLeftovers(left: Leftovers): string {
  if (leftoverCount(left) === 0) return 'nothing left behind';
  return [
    `${left.containers.length} container(s) ${left.containers.join(', ')}`,
    `${left.networks.length} network(s)`,
    `${left.volumes.length} volume(s)`,
    `${left.sessionDirs.length} session dir(s)`,
  ].join('; ');
}

async function engineLeftovers(
  docker: Dockerode,
  label: string[],
): Promise<Omit<Leftovers, 'sessionDirs'>> {
  const filters = { label };
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return {
    containers: containers.map((c) => `${c.Names[0] ?? c.Id.slice(0, 12)} (${c.State})`),
    networks: networks.map((n) => n.Name),
    volumes: volumes.Volumes.map((v) => v.Name),
  };
}

export async function leftovers(instance: string, sessionId?: string): Promise<Leftovers> {
  const label = [`nslab.instance=${instance}`];
  if (sessionId !== undefined) label.push(`nslab.session=${sessionId}`);
  const lists = await Promise.all([
    engineLeftovers(new Dockerode(), label),
    // The user-namespace engine is optional; when it does not answer it holds nothing of ours.
    existsSync(USERNS_SOCKET)
      ? engineLeftovers(new Dockerode({ socketPath: USERNS_SOCKET }), label).catch(() => ({
          containers: [],
          networks: [],
          volumes: [],
        }))
      : { containers: [], networks: [], volumes: [] },
  ]);
  const sessionsDir = path.join(STATE_DIR, instance, 'sessions');
  const dirs = await readdir(sessionsDir).catch(() => [] as string[]);
  return {
    containers: lists.flatMap((l) => l.containers),
    networks: lists.flatMap((l) => l.networks),
    volumes: lists.flatMap((l) => l.volumes),
    sessionDirs: sessionId === undefined ? dirs : dirs.filter((d) => d === sessionId),
  };
}

/** The server's sweep leaves /var/lib/nslab/<instance> empty; scripts with one-off instance names tidy it. */
export async function removeEmptyInstanceDir(instance: string): Promise<void> {
  await rmdir(path.join(STATE_DIR, instance)).catch(() => undefined);
}
