// The machine the figures were measured on: they mean little without it.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type Dockerode from 'dockerode';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryMib: number;
  kernel: string;
  os: string;
  docker: string;
  storageDriver: string;
  cgroup: string;
  node: string;
  loadAverage: number[];
  /** The commit measured, and tracked files others had changed in the tree meanwhile. */
  code: string;
}

function codeState(): string {
  try {
    const git = (args: string[]): string =>
      execFileSync('git', args, {
        cwd: import.meta.dirname,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    const commit = git(['rev-parse', '--short', 'HEAD']);
    const changed = git(['status', '--porcelain', '--untracked-files=no'])
      .split('\n')
      .filter(
        (line) => line !== '' && !line.includes('test/bench/') && !line.endsWith('package.json'),
      );
    return changed.length === 0
      ? `commit ${commit}`
      : `commit ${commit}, with ${changed.length} tracked files changed in the working tree`;
  } catch {
    return 'not a git checkout';
  }
}

export async function describeMachine(docker: Dockerode): Promise<Machine> {
  const [version, info] = await Promise.all([
    docker.version(),
    docker.info() as Promise<{ Driver?: string; CgroupVersion?: string; OperatingSystem?: string }>,
  ]);
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryMib: Math.round(os.totalmem() / 1024 / 1024),
    kernel: os.release(),
    os: info.OperatingSystem ?? os.type(),
    docker: version.Version,
    storageDriver: info.Driver ?? 'unknown',
    cgroup: `v${info.CgroupVersion ?? '?'}`,
    node: process.version,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    code: codeState(),
  };
}
