// User namespace lab: root in a container on a remapping engine is an unprivileged user on
// the host (uid_map "0 100000 65536"): its files are owned by 100000 and a host root-only
// file is closed to it. The same bind mount in a container without remapping is open to
// its root, because that root is the host's root. Every check reads the host's /proc and the
// session directory on the host; none runs a program in a container.
import { FLAG_LINE } from '../shared/flag-check.ts';
import { daemonProgram, runWithPlantedValue } from '../shared/planted-value.ts';
import { t } from '../shared/localized.ts';
import type { LabDefinition } from '../../server/lab-kit.ts';
import { DROP_READ_ONLY, judgeDrop, judgeTenant } from './user-checks.ts';
import { TENANT, hostUidOfRoot, tenantUid, uidMap } from './user-evidence.ts';

const BECOME_TENANT = `os.setgroups([])
os.setgid(int(planted))
os.setuid(int(planted))
`;

export { hostUidOfRoot } from './user-evidence.ts';

const SHARED = { source: 'shared', target: '/shared' };

/**
 * The tenant's host uid, from the remapped container: its own uid (chosen for this session)
 * through the uid_map. ps pads the uid to its column, so it is trimmed and quoted: a short
 * uid would otherwise split into two words for awk.
 */
export const FIND_TENANT_HOST_UID = `u=$(ps -o uid= -p $(pgrep -f '^${TENANT}') | tr -d ' '); awk -v u="$u" '$1 <= u && u < $1 + $3 { print $2 + u - $1 }' /proc/self/uid_map`;

export const userLab: LabDefinition = {
  id: 'user',
  title: t('User namespace: whose root is it?', '用户命名空间：这是谁的 root？'),
  topic: 'namespaces',
  summary: t(
    'Compare root in a container on a user-namespace-remapping engine with root in an ordinary container: who they are on the host, who owns their files, and which one can read a host root-only file.',
    '比较运行在用户命名空间重映射引擎上的容器中的 root 与普通容器中的 root：它们在宿主机上是谁，它们的文件属于谁，以及哪一个能读取宿主机上只有 root 能读的文件。',
  ),
  minutes: 12,
  learned: [
    t(
      'With user-namespace remapping, root in a container is an unprivileged user id on the host.',
      '启用用户命名空间重映射后，容器中的 root 在宿主机上是一个非特权的用户 id。',
    ),
    t(
      'Files a remapped root creates belong to that high uid on the host, and host root-only files stay closed to it.',
      '重映射后的 root 创建的文件在宿主机上属于那个较大的 uid，而宿主机上只有 root 能读的文件对它保持关闭。',
    ),
  ],
  lesson: 'user.md',
  hostFiles: [
    { path: 'shared', mode: 0o755 },
    { path: 'shared/drop', mode: 0o1777 },
    { path: 'shared/host-secret', content: '{{token}}\n', mode: 0o600 },
  ],
  containers: [
    {
      name: 'remapped',
      title: t('remapped (userns-remap engine)', 'remapped（userns-remap 引擎）'),
      engine: 'userns',
      hostname: 'remapped',
      sessionDirMounts: [SHARED],
      memoryMb: 128,
      pidsLimit: 128,
      cpus: 0.5,
    },
    {
      name: 'plain',
      title: t('plain (no remapping)', 'plain（无重映射）'),
      hostname: 'plain',
      sessionDirMounts: [SHARED, DROP_READ_ONLY],
      memoryMb: 128,
      pidsLimit: 128,
      cpus: 0.5,
    },
  ],
  // A tenant with a uid of its own in the remapped container: its host uid is this session's alone.
  setup: async (ctx) => {
    // The tenant's uid is this session's: planted from the host, taken on in-process (what
    // setpriv --reuid --regid --clear-groups does), so it is on no command line.
    await runWithPlantedValue(
      ctx,
      'remapped',
      String(tenantUid(ctx.sessionToken)),
      daemonProgram(BECOME_TENANT, 'sleep', [TENANT, 'infinity']),
    );
  },
  exercises: [
    {
      id: 'host-uid',
      title: t('Who is it, really?', '它到底是谁？'),
      goal: t(
        `A process named ${TENANT} runs in the remapped container as a user of its own. Report the host user id it really runs as.`,
        `一个名为 ${TENANT} 的进程以它自己的用户身份运行在 remapped 容器中。报告它在宿主机上实际运行时的用户 id。`,
      ),
      answer: {
        label: t(`Host uid of ${TENANT}`, `${TENANT} 的宿主机 uid`),
        placeholder: t('12345', '12345'),
      },
      hints: [
        t(
          `A user namespace maps ids inside to ids outside; the kernel shows the map in /proc/<pid>/uid_map (columns: first id inside, first id outside, how many). First find the uid ${TENANT} has inside: ps -o uid,args.`,
          `用户命名空间把内部的 id 映射为外部的 id；内核在 /proc/<pid>/uid_map 中显示这个映射（各列依次为：内部的起始 id、外部的起始 id、数量）。先找出 ${TENANT} 在内部的 uid：ps -o uid,args。`,
        ),
        t(
          'Inside the namespace the map has not been applied. Find the line of the uid_map whose range holds that uid, and move it by the same offset: outside + (uid - inside).',
          '在命名空间内部，映射并没有被应用。找到 uid_map 中范围包含这个 uid 的那一行，并按相同的偏移量换算：outside + (uid - inside)。',
        ),
        t(
          `In the remapped terminal: ${FIND_TENANT_HOST_UID}`,
          `在 remapped 终端中：${FIND_TENANT_HOST_UID}`,
        ),
      ],
      check: judgeTenant,
      solution: [{ terminal: 'remapped', input: FIND_TENANT_HOST_UID, capture: /^(\d+)$/m }],
      // The tenant's uid as the container sees it, not as the host does.
      cheat: [
        {
          terminal: 'remapped',
          input: `ps -o uid= -p $(pgrep -f '^${TENANT}') | tr -d ' '`,
          capture: /^(\d+)$/m,
        },
      ],
    },
    {
      id: 'leave-a-file',
      title: t('Files remember the real owner', '文件记得真正的属主'),
      goal: t(
        'As root in the remapped container, create a file in /shared/drop, a directory both containers see from the host.',
        '以 remapped 容器中 root 的身份，在 /shared/drop 中创建一个文件；这是两个容器都能看到的一个来自宿主机的目录。',
      ),
      hints: [
        t(
          'Make any file in /shared/drop from the remapped terminal, then look at its owner from both containers with `ls -ln`.',
          '在 remapped 终端里往 /shared/drop 中随便创建一个文件，然后在两个容器里用 `ls -ln` 查看它的属主。',
        ),
        t(
          'The file must come from the remapped root: the plain container sees /shared/drop read-only, and a file given some other owner does not count.',
          '文件必须来自重映射后的 root：plain 容器看到的 /shared/drop 是只读的，而被指定为其他属主的文件不算数。',
        ),
        t(
          'In the remapped terminal: touch /shared/drop/hello; ls -ln /shared/drop',
          '在 remapped 终端中：touch /shared/drop/hello; ls -ln /shared/drop',
        ),
      ],
      check: judgeDrop,
      // Plain root is host root: it could make a file and chown it to the remapped root's uid,
      // or become that uid. The drop box is read-only there, so neither gets a file in.
      cheat: [
        { terminal: 'plain', input: 'touch /shared/drop/made-by-plain-root' },
        {
          terminal: 'plain',
          input:
            'touch /shared/drop/f && chown 100000:100000 /shared/drop/f; setpriv --reuid=100000 --regid=100000 --clear-groups touch /shared/drop/g',
        },
        {
          terminal: 'plain',
          input: 'touch /shared/f && chown 100000:100000 /shared/f && mv /shared/f /shared/drop/',
        },
      ],
      solution: [
        { terminal: 'remapped', input: 'touch /shared/drop/hello' },
        { terminal: 'remapped', input: 'ls -ln /shared/drop' },
      ],
    },
    {
      id: 'host-secret',
      title: t('A host root-only file', '宿主机上只有 root 能读的文件'),
      goal: t(
        "Read /shared/host-secret, a file only the host's root may read (mode 0600), and submit what it says.",
        '读取 /shared/host-secret（一个只有宿主机的 root 能读的文件，权限 0600），并提交它的内容。',
      ),
      answer: {
        label: t('The secret', '秘密'),
        placeholder: t("the file's contents", '文件的内容'),
      },
      hints: [
        t(
          "Try it in both terminals. Which root is the host's root?",
          '在两个终端里都试一试。哪一个 root 是宿主机的 root？',
        ),
        t(
          'The remapped root is an ordinary uid on the host (its uid_map says which), so the kernel refuses it. The plain container has no user namespace.',
          '重映射后的 root 在宿主机上是一个普通的 uid（它的 uid_map 会告诉你是哪一个），所以内核拒绝了它。plain 容器没有用户命名空间。',
        ),
        t(
          'In the plain terminal: cat /shared/host-secret',
          '在 plain 终端中：cat /shared/host-secret',
        ),
      ],
      check: async (ctx, answer) => {
        // The lesson's contrast only holds if the plain container really is not remapped.
        if (hostUidOfRoot(await uidMap(ctx.container('plain'))) !== 0) {
          return {
            passed: false,
            reason: t(
              'The plain container is remapped too; this host is not set up as the lab expects.',
              'plain 容器也被重映射了；这台宿主机的设置与实验的预期不符。',
            ),
            hint: 0,
          };
        }
        if (answer === ctx.sessionToken) {
          return {
            passed: true,
            reason: t(
              'Right. Root in the plain container is the host\'s root (uid_map "0 0 4294967295"), so the host\'s 0600 root file is open to it; the remapped root got "Permission denied". That is what user-namespace remapping buys when a container escapes.',
              '正确。plain 容器中的 root 就是宿主机的 root（uid_map“0 0 4294967295”），所以宿主机上这个 0600 的 root 文件对它是开放的；而重映射后的 root 得到的是“Permission denied”。这就是容器逃逸时用户命名空间重映射所换来的保护。',
            ),
          };
        }
        return {
          passed: false,
          reason: t('That is not what the file says.', '文件里写的不是这个。'),
          hint: 0,
        };
      },
      cheat: [{ terminal: 'remapped', input: 'cat /shared/host-secret', capture: FLAG_LINE }],
      solution: [{ terminal: 'plain', input: 'cat /shared/host-secret', capture: FLAG_LINE }],
    },
  ],
};
