// Escape lab: --pid=host shows a container every process on the host; CAP_SYS_PTRACE then
// opens another process's files through /proc/<pid>/root, and CAP_SYS_ADMIN joins its
// namespaces with nsenter. The target is a process the lab plants, never PID 1 or the
// engine: a helper container ("vault", no terminal) whose file system holds the session's
// flag and whose process carries a per-session name. It holds one capability the learner's
// containers lack (IPC_LOCK), so the kernel protects it from root without SYS_PTRACE.
// Three terminals: escape (--pid=host, SYS_PTRACE, SYS_ADMIN), watcher (--pid=host only)
// and hardened (Docker's defaults), so each setting's part is seen on its own.
import { FLAG_LINE, flagCheck } from '../shared/flag-check.ts';
import { kernelHostname } from '../shared/kernel-hostname.ts';
import { createHash } from 'node:crypto';
import type { LabDefinition } from '../../server/lab-kit.ts';
import { HARDENED, HARDENED_TITLE } from '../shared/hardened-profile.ts';

const SMALL = { memoryMb: 128, pidsLimit: 128, cpus: 0.5 } as const;
export const VAULT_HOSTNAME = 'vault';

/** The vault process's name for a session: public, per session, and says nothing of the token. */
export function vaultName(token: string): string {
  return `nslab-vault-${createHash('sha256').update(`vault:${token}`).digest('hex').slice(0, 8)}`;
}

/** Each step finds the vault again from ~/VAULT: the page's "Skip" runs steps in fresh shells. */
const PID = 'p=$(pgrep -f "^$(awk \'{print $NF}\' ~/VAULT)")';
export const FIND_STEP = `${PID}; echo $p`;
export const READ_STEP = `${PID}; cat /proc/$p/root/root/flag`;
export const ENTER_STEP = `${PID}; nsenter -t $p -u hostname "$(cat /proc/$p/root/root/flag)" && nsenter -t $p -u hostname`;

export const escapeHostPidLab: LabDefinition = {
  id: 'escape-host-pid',
  title: "Escape: the host's PID namespace",
  topic: 'escapes',
  summary:
    'Share the host’s PID namespace, find a process the lab planted, read its files through /proc/<pid>/root with SYS_PTRACE and step into its namespaces with SYS_ADMIN. Then see each step fail without the setting it needs.',
  minutes: 15,
  learned: [
    "--pid=host with SYS_PTRACE reads any process's files through /proc/<pid>/root.",
    "Add SYS_ADMIN and nsenter steps into another process's namespaces; each step fails without its setting.",
  ],
  lesson: 'escape-host-pid.md',
  escape: true,
  // The flag is written by the server on the host, never passed on a command line or in an
  // environment (both are open to any --pid=host container while the set-up runs), and the
  // vault alone mounts it, at /root/flag.
  hostFiles: [
    { path: 'vault', mode: 0o700 },
    { path: 'vault/flag', content: '{{token}}\n', mode: 0o600 },
  ],
  containers: [
    {
      name: 'vault',
      title: 'vault (planted process)',
      terminal: false,
      hostname: VAULT_HOSTNAME,
      sessionDirMounts: [{ source: 'vault/flag', target: '/root/flag', readOnly: true }],
      capAdd: ['IPC_LOCK'],
      memoryMb: 32,
      pidsLimit: 16,
      cpus: 0.1,
    },
    {
      name: 'escape',
      title: 'escape (--pid=host + SYS_PTRACE + SYS_ADMIN)',
      hostname: 'escape',
      pidMode: 'host',
      capAdd: ['SYS_PTRACE', 'SYS_ADMIN'],
      ...SMALL,
    },
    {
      name: 'watcher',
      title: 'watcher (--pid=host)',
      hostname: 'watcher',
      pidMode: 'host',
      ...SMALL,
    },
    {
      name: 'hardened',
      title: HARDENED_TITLE,
      hostname: 'hardened',
      ...HARDENED,
      // Set-up leaves the VAULT note in /root, which the read-only root cannot take.
      tmpfs: { ...HARDENED.tmpfs, '/root': 'rw,nosuid,nodev,noexec,size=1m' },
      ...SMALL,
    },
  ],
  setup: async (ctx) => {
    // The vault's name is public (it is in ~/VAULT); it says nothing of the token.
    const name = vaultName(ctx.sessionToken);
    await ctx.exec('vault', [
      'bash',
      '-c',
      'setsid -f bash -c "exec -a $1 sleep infinity" </dev/null >/dev/null 2>&1',
      'bash',
      name,
    ]);
    for (const terminal of ['escape', 'watcher', 'hardened']) {
      await ctx.exec(terminal, [
        'sh',
        '-c',
        'printf "Your vault is the process named %s\\n" "$1" > /root/VAULT',
        'sh',
        name,
      ]);
    }
  },
  exercises: [
    {
      id: 'find-vault',
      title: 'Find the planted process',
      goal: 'Report the host PID of your vault process, the one named in ~/VAULT.',
      answer: { label: 'Host PID', placeholder: '12345' },
      hints: [
        'A PID namespace decides which processes ps can see. Which of your terminals lives in the host’s?',
        'escape and watcher share the host’s PID namespace; hardened sees only itself. List processes with their command lines there.',
        `In the escape or watcher terminal: ${FIND_STEP}`,
      ],
      check: async (ctx, answer) => {
        const vault = await ctx.container('vault').processes();
        const submitted = Number(answer?.trim());
        const hit = vault.find((p) => p.pid === submitted);
        if (hit !== undefined) {
          return {
            passed: true,
            reason: `Right: host PID ${hit.pid} is "${hit.cmdline}" in the vault container. Its PID inside the vault is different; you saw the host's numbering because your container shares the host's PID namespace.`,
          };
        }
        return {
          passed: false,
          reason: Number.isInteger(submitted)
            ? `Host PID ${submitted} is not a process of the vault.`
            : 'That is not a process ID.',
          hint: 0,
        };
      },
      // hardened sees only itself; its own shell's PID is not the vault's.
      cheat: [
        { terminal: 'hardened', input: FIND_STEP, capture: /^(\d+)$/m },
        { terminal: 'hardened', input: 'echo $$', capture: /^(\d+)$/m },
      ],
      solution: [{ terminal: 'escape', input: FIND_STEP, capture: /^(\d+)$/m }],
    },
    {
      id: 'read-root',
      title: "Read another process's files",
      goal: "Read the flag in the vault's file system (/root/flag, 0600) through the host's /proc, and submit it.",
      answer: { label: 'The flag', placeholder: '16 hex digits' },
      hints: [
        '/proc/<pid>/root is a door into the root directory that process sees. The kernel opens it only to someone allowed to ptrace that process.',
        'watcher gets "Permission denied": the vault holds a capability (IPC_LOCK) that watcher lacks, so ptrace needs CAP_SYS_PTRACE. Use the escape terminal.',
        `In the escape terminal: ${READ_STEP}`,
      ],
      check: flagCheck(
        "Right. The flag was never in your container: you read it from the vault's file system through /proc/<pid>/root, which the kernel opened because --pid=host made the process visible and CAP_SYS_PTRACE made it yours to inspect.",
      ),
      cheat: [
        { terminal: 'watcher', input: READ_STEP, capture: FLAG_LINE },
        { terminal: 'escape', input: 'cat /root/flag', capture: FLAG_LINE },
      ],
      solution: [{ terminal: 'escape', input: READ_STEP, capture: FLAG_LINE }],
    },
    {
      id: 'enter-vault',
      title: 'Step into its namespaces',
      goal: "Set the vault's hostname (the kernel's, in the vault's own UTS namespace) to the flag.",
      hints: [
        'A hostname lives in a UTS namespace. nsenter joins another process’s namespaces by PID (-u for UTS), if you may: that needs CAP_SYS_ADMIN.',
        'Changing your own hostname changes your container, not the vault. Join the vault’s UTS namespace first: nsenter -t <pid> -u hostname <flag>.',
        `In the escape terminal: ${ENTER_STEP}`,
      ],
      check: async (ctx) => {
        // Asked with the host's own tools in the vault's UTS namespace: the escape terminal can
        // write into the vault's files, programs included, so nothing in there is evidence.
        const name = await kernelHostname(ctx.container('vault'));
        if (name === ctx.sessionToken) {
          return {
            passed: true,
            reason: `The vault's kernel hostname is now "${name}": you ran a command inside another container's namespace. With -m, -n and -p as well, nsenter gives a shell in its files, network and processes: on a real host, point it at any host process and you are on the host.`,
          };
        }
        return {
          passed: false,
          reason:
            name === VAULT_HOSTNAME
              ? `The vault is still called "${VAULT_HOSTNAME}".`
              : `The vault is called "${name}", not the flag.`,
          hint: name === VAULT_HOSTNAME ? 0 : 1,
        };
      },
      cheat: [
        // watcher may see the vault but not join it.
        { terminal: 'watcher', input: ENTER_STEP },
        // escape may rename itself: that is its own UTS namespace, not the vault's.
        {
          terminal: 'escape',
          input: `${PID}; hostname "$(cat /proc/$p/root/root/flag)"; hostname escape`,
        },
      ],
      solution: [{ terminal: 'escape', input: ENTER_STEP }],
    },
  ],
};
