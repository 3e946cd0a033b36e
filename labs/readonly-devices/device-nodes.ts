// Device nodes in a container, as the device cgroup sees them: the nodes the host's lstat
// finds in the container's file systems, and the rules (cgroup v1 devices.list, or Docker's
// defaults where cgroup v2 keeps them in an eBPF program) that decide which ones open.
// Pure functions, so they can be tested.
import type { ContainerFile } from '../../server/lab-kit.ts';

/** Device nodes Docker itself creates in a container's /dev. */
export const ENGINE_NODES = new Set([
  '/dev/null',
  '/dev/zero',
  '/dev/full',
  '/dev/random',
  '/dev/urandom',
  '/dev/tty',
  '/dev/console',
]);

export interface DeviceNode {
  path: string;
  type: 'c' | 'b';
  major: number;
  minor: number;
}

/** A device node the host's lstat found in the container, in the terms devices.list uses. */
export function deviceNode(file: ContainerFile): DeviceNode | undefined {
  if ((file.type !== 'char' && file.type !== 'block') || file.device === undefined)
    return undefined;
  return {
    path: file.path,
    type: file.type === 'char' ? 'c' : 'b',
    major: file.device.major,
    minor: file.device.minor,
  };
}

/**
 * What Docker's default device rules allow (moby's oci/defaults.go), in devices.list's form:
 * mknod of anything, and reading and writing null, zero, full, random, urandom, tty,
 * console, ptmx, tun and the pseudo-terminals. On cgroup v2 they become an eBPF program
 * attached to the container's cgroup, with no file to read them back from.
 */
export const DOCKER_DEFAULT_RULES = [
  'b *:* m',
  'c *:* m',
  'c 1:3 rwm',
  'c 1:5 rwm',
  'c 1:7 rwm',
  'c 1:8 rwm',
  'c 1:9 rwm',
  'c 5:0 rwm',
  'c 5:1 rwm',
  'c 5:2 rwm',
  'c 10:200 rwm',
  'c 136:* rwm',
].join('\n');

/**
 * Whether a cgroup v1 devices.list lets a process read a device: lines such as
 * "c 1:5 rwm", "c 136:* rwm", "b *:* m", or "a *:* rwm" when everything is allowed.
 */
export function deviceListAllowsRead(list: string, node: Omit<DeviceNode, 'path'>): boolean {
  return list.split('\n').some((line) => {
    const match = /^([abc]) (\*|\d+):(\*|\d+) ([rwm]+)$/.exec(line.trim());
    if (match === null) return false;
    const [, type, major, minor, access] = match;
    return (
      (type === 'a' || type === node.type) &&
      (major === '*' || Number(major) === node.major) &&
      (minor === '*' || Number(minor) === node.minor) &&
      (access ?? '').includes('r')
    );
  });
}

export function nodeName(node: DeviceNode): string {
  return `${node.path} (${node.type} ${node.major}:${node.minor})`;
}
