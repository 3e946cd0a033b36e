// Helpers of the seat engine test (seat-engine.test.ts): the lab image, containers run on
// an engine, a docker.sock escape as a learner would do it, and what a seat leaves in
// /proc and the cgroup tree.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { expect } from 'vitest';
import { seatCgroupName, type SeatEngine } from '../../server/docker/seat-engine.ts';
import { ImageClient } from '../../server/docker/image-client.ts';
import { resolveLabImage } from '../../server/images/lab-images.ts';
import { REPO_ROOT } from '../../server/repo-root.ts';

export const CGROUP_ROOT = '/sys/fs/cgroup';
export const cgroupV2 = existsSync(path.join(CGROUP_ROOT, 'cgroup.controllers'));

/** The image every container here runs, set by `labImage`. */
export const seatImage = { name: '' };

/**
 * The lab image the server would use; if labs/images changed since it was built, the newest
 * nslab/lab image there is (any lab image will do for these checks).
 */
export async function labImage(main: Dockerode): Promise<string> {
  seatImage.name = await findLabImage(main);
  return seatImage.name;
}

async function findLabImage(main: Dockerode): Promise<string> {
  try {
    return await resolveLabImage(new ImageClient(main), REPO_ROOT, () => undefined);
  } catch {
    const images = await main.listImages({ filters: { reference: ['nslab/lab'] } });
    const newest = images.sort((x, y) => y.Created - x.Created)[0]?.RepoTags?.[0];
    if (newest === undefined) throw new Error('no nslab/lab image: run `npm run images` first');
    return newest;
  }
}

/** Runs `cmd` in a new container on `docker` and returns what it printed. */
export async function runOn(
  docker: Dockerode,
  cmd: string[],
  hostConfig: Dockerode.HostConfig = {},
  env: string[] = [],
): Promise<string> {
  const container = await docker.createContainer({
    Image: seatImage.name,
    Cmd: cmd,
    Env: env,
    Tty: true,
    HostConfig: hostConfig,
  });
  try {
    await container.start();
    await container.wait();
    const logs = await container.logs({ stdout: true, stderr: true, follow: false });
    return logs.toString('utf8').replaceAll('\r', '');
  } finally {
    await container.remove({ force: true });
  }
}

/** `docker run --rm <image> true`, as the API does it. */
export async function runTrue(docker: Dockerode): Promise<number> {
  const started = performance.now();
  const container = await docker.createContainer({ Image: seatImage.name, Cmd: ['true'] });
  await container.start();
  await container.wait();
  await container.remove({ force: true });
  return performance.now() - started;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return Math.round(sorted[Math.floor(sorted.length / 2)] ?? Number.NaN);
}

/** The seat's cgroup directories (one per limited v1 hierarchy, or the v2 one) that exist. */
export function seatCgroups(n: number): string[] {
  const name = seatCgroupName(n);
  const dirs = cgroupV2
    ? [path.join(CGROUP_ROOT, name)]
    : ['memory', 'pids', 'cpu'].map((c) => path.join(CGROUP_ROOT, c, name));
  return dirs.filter((dir) => existsSync(dir));
}

/** Every process in the seat's cgroup tree. */
export function cgroupPids(dir: string): number[] {
  const here = readFileSync(path.join(dir, 'cgroup.procs'), 'utf8')
    .split('\n')
    .filter((line) => /^\d+$/.test(line))
    .map(Number);
  const below = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => cgroupPids(path.join(dir, entry.name)));
  return [...here, ...below];
}

/** Live (not zombie) processes whose real uid is `uid`. */
export function processesOf(uid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const state = /^State:\s+(\S)/m.exec(status)?.[1];
        const real = /^Uid:\s+(\d+)/m.exec(status)?.[1];
        return state !== 'Z' && real === String(uid);
      } catch {
        return false;
      }
    })
    .map(Number);
}

export function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A docker.sock escape as a learner would do it, from a container that has the seat's own
 * socket: curl asks the engine for a second container that binds the host's `/` and runs
 * `inner`, then prints that container's output.
 */
export async function escapeVia(engine: SeatEngine, inner: string): Promise<string> {
  const body = JSON.stringify({
    Image: seatImage.name,
    Cmd: ['sh', '-c', inner],
    Tty: true,
    HostConfig: { Binds: ['/:/host'] },
  });
  const outer = [
    'set -e',
    'api() { curl -sS --unix-socket /var/run/docker.sock "$@"; }',
    `id=$(api -H 'Content-Type: application/json' -d "$BODY" http://seat/containers/create | sed -n 's/.*"Id":"\\([0-9a-f]*\\)".*/\\1/p')`,
    'test -n "$id"',
    'api -X POST "http://seat/containers/$id/start"',
    'api -X POST "http://seat/containers/$id/wait" >/dev/null',
    'api "http://seat/containers/$id/logs?stdout=1&stderr=1"',
    'api -X DELETE "http://seat/containers/$id?force=1"',
    'echo OUTER-DONE',
  ].join('\n');
  const out = await runOn(
    engine.docker,
    ['sh', '-c', outer],
    { Binds: [`${engine.socketPath}:/var/run/docker.sock`] },
    [`BODY=${body}`],
  );
  expect(out).toContain('OUTER-DONE');
  return out;
}

/** Prints the errno name a Python call raised, or OK. */
export const pyErrno = (code: string): string =>
  `python3 -c '
import errno, sys
try:
${code
  .split('\n')
  .map((line) => `    ${line}`)
  .join('\n')}
    print("OK")
except OSError as e:
    print(errno.errorcode[e.errno])
'`;
