// User namespace lab: root in a container on a remapping engine is an unprivileged user on
// the host (uid_map "0 100000 65536"): its files are owned by 100000 and a host root-only
// file is closed to it. The same bind mount in a container without remapping is open to
// its root, because that root is the host's root.
import { FLAG_LINE } from '../shared/flag-check.ts';
import type { LabDefinition } from '../../server/lab-kit.ts';

const SHARED = { source: 'shared', target: '/shared' };

/** The host uid that container uid 0 maps to, from a uid_map's lines ("0 100000 65536"). */
export function hostUidOfRoot(uidMap: string): number | undefined {
  for (const line of uidMap.trim().split('\n')) {
    const [inside, outside] = line.trim().split(/\s+/).map(Number);
    if (inside === 0 && outside !== undefined && Number.isInteger(outside)) return outside;
  }
  return undefined;
}

export const userLab: LabDefinition = {
  id: 'user',
  title: 'User namespace: whose root is it?',
  topic: 'namespaces',
  summary:
    'Compare root in a container on a user-namespace-remapping engine with root in an ordinary container: who owns their files on the host, and which one can read a host root-only file.',
  minutes: 12,
  lesson: 'user.md',
  hostFiles: [
    { path: 'shared', mode: 0o755 },
    { path: 'shared/drop', mode: 0o1777 },
    { path: 'shared/host-secret', content: '{{token}}\n', mode: 0o600 },
  ],
  containers: [
    {
      name: 'remapped',
      title: 'remapped (userns-remap engine)',
      engine: 'userns',
      hostname: 'remapped',
      sessionDirMounts: [SHARED],
      memoryMb: 128,
      pidsLimit: 128,
      cpus: 0.5,
    },
    {
      name: 'plain',
      title: 'plain (no remapping)',
      hostname: 'plain',
      sessionDirMounts: [SHARED],
      memoryMb: 128,
      pidsLimit: 128,
      cpus: 0.5,
    },
  ],
  exercises: [
    {
      id: 'host-uid',
      title: 'Who is root, really?',
      goal: 'Report the host user id that root in the remapped container really is.',
      answer: { label: 'Host uid of the remapped root', placeholder: '12345' },
      hints: [
        'A user namespace maps ids inside to ids outside; the kernel shows the map in /proc/<pid>/uid_map.',
        '`id` answers from inside the namespace, where you are 0. Ask for the map instead.',
        'In the remapped terminal: cat /proc/self/uid_map (columns: inside, outside, count)',
      ],
      check: async (ctx, answer) => {
        const map = (await ctx.container('remapped').probe(['cat', '/proc/1/uid_map'])).stdout;
        const truth = hostUidOfRoot(map);
        if (truth === undefined || truth === 0) {
          return {
            passed: false,
            reason:
              'The remapped container is not remapped: is the user-namespace engine configured?',
            hint: 0,
          };
        }
        const submitted = Number(answer?.trim());
        if (submitted === truth) {
          return {
            passed: true,
            reason: `Right: the remapped root is host uid ${truth} (uid_map "${map.trim().replace(/\s+/g, ' ')}"). The kernel checks every file access against ${truth}, not 0.`,
          };
        }
        if (submitted === 0) {
          return {
            passed: false,
            reason: 'Inside the namespace root is 0; the question is who it is on the host.',
            hint: 1,
          };
        }
        return { passed: false, reason: 'That is not the host uid of the remapped root.', hint: 0 };
      },
      solution: [
        {
          terminal: 'remapped',
          input: 'cat /proc/self/uid_map',
          capture: /^\s*0\s+(\d+)\s+\d+\s*$/m,
        },
      ],
      cheat: [{ terminal: 'remapped', input: 'id -u', capture: /^(\d+)$/m }],
    },
    {
      id: 'leave-a-file',
      title: 'Files remember the real owner',
      goal: 'As root in the remapped container, create a file in /shared/drop, a directory both containers share with the host.',
      hints: [
        'Make any file in /shared/drop from the remapped terminal, then look at its owner from both containers with `ls -ln`.',
        'That file belongs to host root: it was made in the plain container. Make one from the remapped terminal.',
        'In the remapped terminal: touch /shared/drop/hello; ls -ln /shared/drop',
      ],
      check: async (ctx) => {
        const map = (await ctx.container('remapped').probe(['cat', '/proc/1/uid_map'])).stdout;
        const remappedRoot = hostUidOfRoot(map);
        const files = await ctx.sessionFiles.list('shared/drop');
        const mine = files.filter((f) => f.uid === remappedRoot);
        if (remappedRoot !== undefined && remappedRoot !== 0 && mine.length > 0) {
          const name = mine[0]?.name ?? '';
          return {
            passed: true,
            reason: `On the host, "${name}" is owned by uid ${remappedRoot}, not 0: the remapped root is an ordinary user out here, and a file it leaves behind says so.`,
          };
        }
        if (files.some((f) => f.uid === 0)) {
          return {
            passed: false,
            reason: 'The only files there are owned by host root (uid 0).',
            hint: 1,
          };
        }
        return { passed: false, reason: '/shared/drop is still empty on the host.', hint: 0 };
      },
      cheat: [{ terminal: 'plain', input: 'touch /shared/drop/made-by-plain-root' }],
      solution: [
        { terminal: 'remapped', input: 'touch /shared/drop/hello' },
        { terminal: 'remapped', input: 'ls -ln /shared/drop' },
      ],
    },
    {
      id: 'host-secret',
      title: 'A host root-only file',
      goal: "Read /shared/host-secret, a file only the host's root may read (mode 0600), and submit what it says.",
      answer: { label: 'The secret', placeholder: "the file's contents" },
      hints: [
        "Try it in both terminals. Which root is the host's root?",
        'The remapped root is uid 100000 on the host, so the kernel refuses it. The plain container has no user namespace.',
        'In the plain terminal: cat /shared/host-secret',
      ],
      check: async (ctx, answer) => {
        // The lesson's contrast only holds if the plain container really is not remapped.
        const plainMap = (await ctx.container('plain').probe(['cat', '/proc/1/uid_map'])).stdout;
        if (hostUidOfRoot(plainMap) !== 0) {
          return {
            passed: false,
            reason:
              'The plain container is remapped too; this host is not set up as the lab expects.',
            hint: 0,
          };
        }
        if (answer === ctx.sessionToken) {
          return {
            passed: true,
            reason:
              'Right. Root in the plain container is the host\'s root (uid_map "0 0 4294967295"), so the host\'s 0600 root file is open to it; the remapped root got "Permission denied". That is what user-namespace remapping buys when a container escapes.',
          };
        }
        return { passed: false, reason: 'That is not what the file says.', hint: 0 };
      },
      cheat: [{ terminal: 'remapped', input: 'cat /shared/host-secret', capture: FLAG_LINE }],
      solution: [{ terminal: 'plain', input: 'cat /shared/host-secret', capture: FLAG_LINE }],
    },
  ],
};
