// The setuid lab's first two exercises: audit the image for the odd setuid-root program, and
// write into /root as nobody with it, even where SETUID and SETGID are dropped.
import type { Exercise } from '../../server/lab-kit.ts';
import { t } from '../shared/localized.ts';
import { HELPER_DIR, NOBODY, helperPath, rootFilesByNobody, setuidRoot } from './setuid-helper.ts';

export const auditExercise: Exercise = {
  id: 'audit',
  title: t('Audit the image', '审计镜像'),
  goal: t(
    'Find the setuid-root program in this image that Debian did not install, and give its full path.',
    '找出这个镜像中不是由 Debian 安装的那个 setuid-root 程序，并给出它的完整路径。',
  ),
  answer: {
    label: t('Path of the odd setuid program', '那个异常 setuid 程序的路径'),
    placeholder: t('/usr/bin/...', '/usr/bin/...'),
  },
  hints: [
    t(
      "A setuid program has the s bit where the owner's x would be (-rwsr-xr-x). The seed's audit lists every one: find / -perm -4000 -exec ls -l {} \\; 2>/dev/null",
      'setuid 程序在属主的 x 位置上是 s 位（-rwsr-xr-x）。参考资料中的审计命令会把它们全部列出：find / -perm -4000 -exec ls -l {} \\; 2>/dev/null',
    ),
    t(
      'That one comes with Debian: `dpkg -S` names its package (on merged /usr, ask for /bin/su rather than /usr/bin/su). Look for one in an unusual place.',
      '那个是 Debian 自带的：`dpkg -S` 会给出它所属的软件包（在合并了 /usr 的布局下，要查询 /bin/su 而不是 /usr/bin/su）。找一个位于不寻常位置的程序。',
    ),
    t(
      'Run: find / -xdev -perm -4000 -type f 2>/dev/null | grep -v ^/usr/bin/',
      '运行：find / -xdev -perm -4000 -type f 2>/dev/null | grep -v ^/usr/bin/',
    ),
  ],
  check: async (ctx, answer) => {
    const path = helperPath(ctx.sessionToken);
    const plain = ctx.container('plain');
    const helper = await plain.stat(path);
    if (!setuidRoot(helper) || helper?.mode !== 0o4755) {
      return {
        passed: false,
        reason: t(
          'The planted helper is gone or no longer setuid root; restart the lab.',
          '预置的助手程序不见了，或者已不再是 setuid root；请重新启动实验。',
        ),
        hint: 0,
      };
    }
    const submitted = (answer ?? '').trim();
    if (submitted === path || submitted === path.slice(HELPER_DIR.length + 1)) {
      return {
        passed: true,
        reason: t(
          `Right: ${path} is setuid root (mode 4755, owner 0, read with the host's lstat) and belongs to no Debian package. Every setuid-root file runs with euid 0 for whoever starts it.`,
          `正确：${path} 是 setuid root（模式 4755，属主 0，用宿主机的 lstat 读取），并且不属于任何 Debian 软件包。每个 setuid-root 文件无论由谁启动，都以 euid 0 运行。`,
        ),
      };
    }
    if (/^\/[^\0]{0,4095}$/.test(submitted) && setuidRoot(await plain.stat(submitted))) {
      return {
        passed: false,
        reason: t(
          `${submitted} is setuid root, but it comes with Debian; something else in this image does not.`,
          `${submitted} 是 setuid root，但它是 Debian 自带的；这个镜像里另有一个不是。`,
        ),
        hint: 1,
      };
    }
    return {
      passed: false,
      reason: t(
        'No setuid-root file in this container has that path.',
        '这个容器中没有位于该路径的 setuid-root 文件。',
      ),
      hint: 0,
    };
  },
  solution: [
    {
      terminal: 'plain',
      input: "find / -xdev -perm -4000 -type f 2>/dev/null | grep -v '^/usr/bin/'",
      capture: /^(\/opt\/\S+)\s*$/m,
    },
  ],
  // A real setuid-root program, just not the odd one.
  cheat: [
    {
      terminal: 'plain',
      input: "find / -xdev -perm -4000 -type f 2>/dev/null | grep '/su$'",
      capture: /^(\/usr\/bin\/su)\s*$/m,
    },
  ],
};

/** The escalate check's reason when only one of the two containers has the file yet. */
const HALF_DONE = {
  plain: t(
    'Done in plain; the capdrop container has no such file in /root yet.',
    'plain 中已完成；capdrop 容器的 /root 中还没有这样的文件。',
  ),
  capdrop: t(
    'Done in capdrop; the plain container has no such file in /root yet.',
    'capdrop 中已完成；plain 容器的 /root 中还没有这样的文件。',
  ),
};

export const escalateExercise: Exercise = {
  id: 'escalate',
  title: t('Write as root while being nobody', '身为 nobody，以 root 身份写入'),
  goal: t(
    'As nobody, use the helper to write a file into /root (only root may write there), in the plain container and in the one started with --cap-drop SETUID --cap-drop SETGID.',
    '以 nobody 身份，借助助手程序把一个文件写进 /root（只有 root 可以在那里写入），在 plain 容器和以 --cap-drop SETUID --cap-drop SETGID 启动的容器中都要做到。',
  ),
  hints: [
    t(
      'The helper is a copy of `tee`: it writes its input to the files you name. Which user does it write as?',
      '助手程序是 `tee` 的副本：它把输入写进你指定的文件。它是以哪个用户的身份写入的？',
    ),
    t(
      'Try it in the capdrop container too. The seed says dropping SETUID and SETGID stops setuid programs; does it?',
      '在 capdrop 容器中也试一试。参考资料说丢掉 SETUID 和 SETGID 能阻止 setuid 程序；真的能吗？',
    ),
    t(
      'In both terminals: echo pwned | /opt/acme/bin/logtee-* /root/proof',
      '在两个终端中：echo pwned | /opt/acme/bin/logtee-* /root/proof',
    ),
  ],
  check: async (ctx) => {
    const wrote: string[] = [];
    for (const name of ['plain', 'capdrop']) {
      const evidence = ctx.container(name);
      const info = await evidence.inspect();
      if (info.Config.User !== 'nobody') {
        return {
          passed: false,
          reason: t(
            `The ${name} container does not run as nobody.`,
            `${name} 容器没有以 nobody 身份运行。`,
          ),
          hint: 0,
        };
      }
      if (name === 'capdrop') {
        const dropped = (info.HostConfig.CapDrop ?? []) as string[];
        if (!dropped.includes('SETUID') || !dropped.includes('SETGID')) {
          return {
            passed: false,
            reason: t(
              'The capdrop container kept SETUID/SETGID.',
              'capdrop 容器保留了 SETUID/SETGID。',
            ),
            hint: 1,
          };
        }
      }
      const files = await rootFilesByNobody(evidence);
      if (files[0] !== undefined) wrote.push(`${name}: ${files[0]}`);
    }
    if (wrote.length === 2) {
      return {
        passed: true,
        reason: t(
          `In both containers /root now holds a file owned by uid 0 with group nogroup (${wrote.join('; ')}): written by a process with euid 0 and egid ${NOBODY}, the signature of a setuid-root program run by nobody. Dropping SETUID and SETGID did not stop it.`,
          `两个容器的 /root 中现在都有一个属主为 uid 0、属组为 nogroup 的文件（${wrote.join('; ')}）：它由一个 euid 为 0、egid 为 ${NOBODY} 的进程写入，这正是 nobody 运行 setuid-root 程序留下的特征。丢掉 SETUID 和 SETGID 并没有阻止它。`,
        ),
      };
    }
    if (wrote.length === 0) {
      return {
        passed: false,
        reason: t(
          'No file in /root of the plain container is owned by root with group nogroup.',
          'plain 容器的 /root 中没有属主为 root、属组为 nogroup 的文件。',
        ),
        hint: 0,
      };
    }
    return {
      passed: false,
      reason: wrote[0]?.startsWith('plain') ? HALF_DONE.plain : HALF_DONE.capdrop,
      hint: 1,
    };
  },
  // Writing as nobody: refused in /root, or owned by nobody elsewhere.
  cheat: [
    { terminal: 'plain', input: 'echo pwned > /root/proof; echo pwned > /tmp/proof' },
    { terminal: 'capdrop', input: 'echo pwned | tee /root/proof /tmp/proof' },
  ],
  solution: [
    { terminal: 'plain', input: 'echo pwned | /opt/acme/bin/logtee-* /root/proof' },
    { terminal: 'capdrop', input: 'echo pwned | /opt/acme/bin/logtee-* /root/proof' },
  ],
};
