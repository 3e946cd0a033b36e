// Device nodes in a container, as the device cgroup sees them: the probe that lists every
// node and what open(2) answers for it, its parser, and the cgroup v1 devices.list rules.
// Pure parsers, so they can be tested.

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

/**
 * Run by the server in the writable container: every character or block device node on
 * the root file system and directly in /dev (not crossing into other mounts), and what
 * open(2) answers for it. Opening and closing at once, non-blocking and without taking a
 * controlling terminal, has no effect on any device the device cgroup lets through.
 */
export const LIST_NODES = `
import errno, json, os, stat
def walk(top):
    for root, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if not os.path.ismount(os.path.join(root, d))]
        for name in files:
            yield os.path.join(root, name)
seen = 0
for path in list(walk('/')) + list(walk('/dev')):
    try:
        st = os.lstat(path)
    except OSError:
        continue
    if not (stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)):
        continue
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY))
        opened = 'ok'
    except OSError as e:
        opened = errno.errorcode.get(e.errno, str(e.errno))
    kind = 'c' if stat.S_ISCHR(st.st_mode) else 'b'
    print(json.dumps({'path': path, 'type': kind, 'major': os.major(st.st_rdev), 'minor': os.minor(st.st_rdev), 'open': opened}))
    seen += 1
    if seen >= 50:
        break
`;

export interface DeviceNode {
  path: string;
  type: 'c' | 'b';
  major: number;
  minor: number;
  open: string;
}

export function parseNodes(stdout: string): DeviceNode[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as DeviceNode);
}

/**
 * Whether a cgroup v1 devices.list lets a process read a device: lines such as
 * "c 1:5 rwm", "c 136:* rwm", "b *:* m", or "a *:* rwm" when everything is allowed.
 */
export function deviceListAllowsRead(
  list: string,
  node: Omit<DeviceNode, 'path' | 'open'>,
): boolean {
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
