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
import { t } from '../shared/localized.ts';

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
  title: t("Escape: the host's PID namespace", '逃逸：宿主机的 PID 命名空间'),
  topic: 'escapes',
  summary: t(
    'Share the host’s PID namespace, find a process the lab planted, read its files through /proc/<pid>/root with SYS_PTRACE and step into its namespaces with SYS_ADMIN. Then see each step fail without the setting it needs.',
    '共享宿主机的 PID 命名空间，找到本实验放置的一个进程，借助 SYS_PTRACE 通过 /proc/<pid>/root 读取它的文件，再借助 SYS_ADMIN 走进它的命名空间。然后看看缺少所需的设置时，每一步如何失败。',
  ),
  minutes: 15,
  learned: [
    t(
      "--pid=host with SYS_PTRACE reads any process's files through /proc/<pid>/root.",
      '--pid=host 加上 SYS_PTRACE，就能通过 /proc/<pid>/root 读取任何进程的文件。',
    ),
    t(
      "Add SYS_ADMIN and nsenter steps into another process's namespaces; each step fails without its setting.",
      '再加上 SYS_ADMIN，nsenter 就能走进另一个进程的命名空间；缺少相应的设置，每一步都会失败。',
    ),
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
      title: t('vault (planted process)', 'vault（预置的进程）'),
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
      title: t(
        'escape (--pid=host + SYS_PTRACE + SYS_ADMIN)',
        'escape（--pid=host + SYS_PTRACE + SYS_ADMIN）',
      ),
      hostname: 'escape',
      pidMode: 'host',
      capAdd: ['SYS_PTRACE', 'SYS_ADMIN'],
      ...SMALL,
    },
    {
      name: 'watcher',
      title: t('watcher (--pid=host)', 'watcher（--pid=host）'),
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
      title: t('Find the planted process', '找到预置的进程'),
      goal: t(
        'Report the host PID of your vault process, the one named in ~/VAULT.',
        '报告你的 vault 进程（~/VAULT 中写明的那个）在宿主机上的 PID。',
      ),
      answer: { label: t('Host PID', '宿主机 PID'), placeholder: t('12345', '12345') },
      hints: [
        t(
          'A PID namespace decides which processes ps can see. Which of your terminals lives in the host’s?',
          'PID 命名空间决定了 ps 能看到哪些进程。你的哪个终端位于宿主机的 PID 命名空间中？',
        ),
        t(
          'escape and watcher share the host’s PID namespace; hardened sees only itself. List processes with their command lines there.',
          'escape 和 watcher 共享宿主机的 PID 命名空间；hardened 只看得到它自己。在前两者中列出进程及其命令行。',
        ),
        t(
          `In the escape or watcher terminal: ${FIND_STEP}`,
          `在 escape 或 watcher 终端中：${FIND_STEP}`,
        ),
      ],
      check: async (ctx, answer) => {
        const vault = await ctx.container('vault').processes();
        const submitted = Number(answer?.trim());
        const hit = vault.find((p) => p.pid === submitted);
        if (hit !== undefined) {
          return {
            passed: true,
            reason: t(
              `Right: host PID ${hit.pid} is "${hit.cmdline}" in the vault container. Its PID inside the vault is different; you saw the host's numbering because your container shares the host's PID namespace.`,
              `没错：宿主机 PID ${hit.pid} 就是 vault 容器中的 "${hit.cmdline}"。它在 vault 内部的 PID 并不相同；你看到的是宿主机的编号，因为你的容器共享宿主机的 PID 命名空间。`,
            ),
          };
        }
        return {
          passed: false,
          reason: Number.isInteger(submitted)
            ? t(
                `Host PID ${submitted} is not a process of the vault.`,
                `宿主机 PID ${submitted} 不是 vault 的进程。`,
              )
            : t('That is not a process ID.', '这不是一个进程 ID。'),
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
      title: t("Read another process's files", '读取另一个进程的文件'),
      goal: t(
        "Read the flag in the vault's file system (/root/flag, 0600) through the host's /proc, and submit it.",
        '通过宿主机的 /proc 读取 vault 文件系统中的 flag（/root/flag，0600），并提交它。',
      ),
      answer: {
        label: t('The flag', 'flag'),
        placeholder: t('16 hex digits', '16 位十六进制数字'),
      },
      hints: [
        t(
          '/proc/<pid>/root is a door into the root directory that process sees. The kernel opens it only to someone allowed to ptrace that process.',
          '/proc/<pid>/root 是一扇门，通往那个进程所看到的根目录。内核只为获准 ptrace 该进程的人打开它。',
        ),
        t(
          'watcher gets "Permission denied": the vault holds a capability (IPC_LOCK) that watcher lacks, so ptrace needs CAP_SYS_PTRACE. Use the escape terminal.',
          'watcher 会得到 "Permission denied"：vault 持有一个 watcher 没有的能力（IPC_LOCK），所以 ptrace 需要 CAP_SYS_PTRACE。请使用 escape 终端。',
        ),
        t(`In the escape terminal: ${READ_STEP}`, `在 escape 终端中：${READ_STEP}`),
      ],
      check: flagCheck(
        t(
          "Right. The flag was never in your container: you read it from the vault's file system through /proc/<pid>/root, which the kernel opened because --pid=host made the process visible and CAP_SYS_PTRACE made it yours to inspect.",
          '没错。flag 从来不在你的容器里：你是通过 /proc/<pid>/root 从 vault 的文件系统中读到它的。内核之所以为你打开这扇门，是因为 --pid=host 让这个进程可见，而 CAP_SYS_PTRACE 让你有权检视它。',
        ),
      ),
      cheat: [
        { terminal: 'watcher', input: READ_STEP, capture: FLAG_LINE },
        { terminal: 'escape', input: 'cat /root/flag', capture: FLAG_LINE },
      ],
      solution: [{ terminal: 'escape', input: READ_STEP, capture: FLAG_LINE }],
    },
    {
      id: 'enter-vault',
      title: t('Step into its namespaces', '走进它的命名空间'),
      goal: t(
        "Set the vault's hostname (the kernel's, in the vault's own UTS namespace) to the flag.",
        '把 vault 的主机名（内核中位于 vault 自己的 UTS 命名空间里的那个）设为 flag。',
      ),
      hints: [
        t(
          'A hostname lives in a UTS namespace. nsenter joins another process’s namespaces by PID (-u for UTS), if you may: that needs CAP_SYS_ADMIN.',
          '主机名存在于 UTS 命名空间中。nsenter 按 PID 加入另一个进程的命名空间（-u 表示 UTS），前提是你被允许这样做：这需要 CAP_SYS_ADMIN。',
        ),
        t(
          'Changing your own hostname changes your container, not the vault. Join the vault’s UTS namespace first: nsenter -t <pid> -u hostname <flag>.',
          '修改你自己的主机名，改的是你的容器，而不是 vault。先加入 vault 的 UTS 命名空间：nsenter -t <pid> -u hostname <flag>。',
        ),
        t(`In the escape terminal: ${ENTER_STEP}`, `在 escape 终端中：${ENTER_STEP}`),
      ],
      check: async (ctx) => {
        // Asked with the host's own tools in the vault's UTS namespace: the escape terminal can
        // write into the vault's files, programs included, so nothing in there is evidence.
        const name = await kernelHostname(ctx.container('vault'));
        if (name === ctx.sessionToken) {
          return {
            passed: true,
            reason: t(
              `The vault's kernel hostname is now "${name}": you ran a command inside another container's namespace. With -m, -n and -p as well, nsenter gives a shell in its files, network and processes: on a real host, point it at any host process and you are on the host.`,
              `vault 的内核主机名现在是 "${name}"：你在另一个容器的命名空间里运行了一条命令。再加上 -m、-n 和 -p，nsenter 就会给你一个身处它的文件、网络和进程之中的 shell：在真实的宿主机上，把它指向任何一个宿主机进程，你就到了宿主机上。`,
            ),
          };
        }
        return {
          passed: false,
          reason:
            name === VAULT_HOSTNAME
              ? t(
                  `The vault is still called "${VAULT_HOSTNAME}".`,
                  `vault 仍然叫 "${VAULT_HOSTNAME}"。`,
                )
              : t(
                  `The vault is called "${name}", not the flag.`,
                  `vault 现在叫 "${name}"，不是 flag。`,
                ),
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
