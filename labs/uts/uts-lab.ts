// UTS namespace lab: a hostname is kernel state held per namespace, not a file, and root
// in a container cannot change it without CAP_SYS_ADMIN; sharing the host's UTS namespace
// (--uts=host) shows the host's own name.
import type { LabDefinition } from '../../server/lab-kit.ts';
import { judgeAnswer } from '../shared/answer-check.ts';
import { kernelHostname } from '../shared/kernel-hostname.ts';
import { ownNamespaceCheck } from '../shared/own-namespace-check.ts';
import { t } from '../shared/localized.ts';

export const UTS_HOSTNAME = 'nslab-uts';

export const utsLab: LabDefinition = {
  id: 'uts',
  title: t('UTS namespace: whose hostname is it?', 'UTS 命名空间：这是谁的主机名？'),
  topic: 'namespaces',
  summary: t(
    "Your container has its own hostname. Find the namespace that holds it, fail to change it, and see the host's name through a shared namespace.",
    '你的容器有自己的主机名。找到保存它的命名空间，尝试修改它却失败，再通过共享的命名空间看到宿主机的名字。',
  ),
  minutes: 10,
  learned: [
    t(
      'A hostname is kernel state kept per UTS namespace; /etc/hostname is only a file Docker bind-mounts.',
      '主机名是按 UTS 命名空间保存的内核状态；/etc/hostname 只是 Docker 绑定挂载进来的一个文件。',
    ),
    t(
      "Root in a container cannot rename even its own namespace: sethostname needs CAP_SYS_ADMIN, and Docker's seccomp profile refuses it without that capability.",
      '容器里的 root 连自己命名空间的主机名都改不了：sethostname 需要 CAP_SYS_ADMIN，而没有这个能力时，Docker 的 seccomp 配置文件会拒绝它。',
    ),
    t(
      "--uts=host puts a container in the host's namespace, so it reads (and with the capability could change) the host's name.",
      '--uts=host 把容器放进宿主机的命名空间，于是它能读到（有了该能力还能修改）宿主机的名字。',
    ),
  ],
  lesson: 'uts.md',
  // Side by side, with the inspector, shows what the differing flags change.
  sideBySide: ['isolated', 'host-uts'],
  containers: [
    {
      name: 'isolated',
      title: t('isolated', 'isolated'),
      hostname: UTS_HOSTNAME,
      memoryMb: 128,
      pidsLimit: 128,
      cpus: 0.5,
    },
    {
      name: 'host-uts',
      title: t('host-uts (--uts=host)', 'host-uts（--uts=host）'),
      utsMode: 'host',
      memoryMb: 128,
      pidsLimit: 128,
      cpus: 0.5,
    },
  ],
  exercises: [
    {
      id: 'own-namespace',
      title: t('Find the namespace that holds the name', '找到保存这个名字的命名空间'),
      goal: t(
        'Report the number of the UTS namespace that your shell in the isolated terminal lives in.',
        '报告你在 isolated 终端中的 shell 所在 UTS 命名空间的编号。',
      ),
      answer: {
        label: t('UTS namespace', 'UTS 命名空间'),
        placeholder: t('uts:[4026531838]', 'uts:[4026531838]'),
      },
      hints: [
        t(
          'Every namespace a process belongs to is a link under /proc/<pid>/ns/; "self" is the process reading it.',
          '进程所属的每个命名空间都是 /proc/<pid>/ns/ 下的一个链接；“self”指正在读取它的那个进程。',
        ),
        t(
          "That number belongs to the host: the host-uts container shares the host's UTS namespace. Ask from the isolated terminal.",
          '这个编号属于宿主机：host-uts 容器共享宿主机的 UTS 命名空间。请在 isolated 终端里查询。',
        ),
        t(
          'In the isolated terminal: readlink /proc/self/ns/uts',
          '在 isolated 终端中：readlink /proc/self/ns/uts',
        ),
      ],
      check: ownNamespaceCheck({ kind: 'uts', container: 'isolated' }),
      solution: [
        { terminal: 'isolated', input: 'readlink /proc/self/ns/uts', capture: /uts:\[(\d+)\]/ },
      ],
      // The right kind of number from the wrong place: the host's namespace.
      cheat: [
        { terminal: 'host-uts', input: 'readlink /proc/self/ns/uts', capture: /uts:\[(\d+)\]/ },
      ],
    },
    {
      id: 'file-is-not-the-name',
      title: t('The file is not the hostname', '文件不是主机名'),
      goal: t(
        'Make /etc/hostname in the isolated container disagree with the hostname the kernel reports.',
        '让 isolated 容器中的 /etc/hostname 与内核报告的主机名不一致。',
      ),
      hints: [
        t(
          "Root in this container cannot change the kernel's hostname (try `hostname something`). But is /etc/hostname the hostname?",
          '这个容器里的 root 无法修改内核的主机名（试试 `hostname something`）。可 /etc/hostname 就是主机名吗？',
        ),
        t(
          'Root may still write files. Put a different name into /etc/hostname, then ask the kernel with `uname -n`.',
          'root 仍然可以写文件。往 /etc/hostname 里写一个不同的名字，再用 `uname -n` 询问内核。',
        ),
        t(
          'In the isolated terminal: echo not-my-name > /etc/hostname; uname -n',
          '在 isolated 终端中：echo not-my-name > /etc/hostname; uname -n',
        ),
      ],
      check: async (ctx) => {
        const isolated = ctx.container('isolated');
        const file = (await isolated.readEngineFile('HostnamePath')).trim();
        const kernel = await kernelHostname(isolated);
        if (kernel !== UTS_HOSTNAME) {
          return {
            passed: false,
            reason: t(
              `The kernel now says "${kernel}": something changed the namespace's hostname, which this lab does not expect.`,
              `内核现在说的是“${kernel}”：有什么改动了这个命名空间的主机名，这不在本实验的预期之内。`,
            ),
            hint: 0,
          };
        }
        if (file === kernel) {
          return {
            passed: false,
            reason: t(
              `/etc/hostname still says "${file}", the same as the kernel.`,
              `/etc/hostname 仍然是“${file}”，与内核的一样。`,
            ),
            hint: 1,
          };
        }
        return {
          passed: true,
          reason: t(
            `/etc/hostname says "${file}" but the kernel's UTS namespace still says "${kernel}". The name lives in the namespace; the file is only a copy Docker wrote (on the host, at the container's HostnamePath).`,
            `/etc/hostname 写的是“${file}”，而内核的 UTS 命名空间仍然是“${kernel}”。名字保存在命名空间里；这个文件只是 Docker 写下的一份副本（在宿主机上，位于容器的 HostnamePath）。`,
          ),
        };
      },
      // Editing the hosts file is not editing the hostname.
      cheat: [{ terminal: 'isolated', input: 'echo 127.0.0.1 not-my-name >> /etc/hosts' }],
      solution: [
        { terminal: 'isolated', input: 'hostname renamed-by-root' },
        {
          terminal: 'isolated',
          input: 'echo not-my-name > /etc/hostname; uname -n; cat /etc/hostname',
        },
      ],
    },
    {
      id: 'host-name',
      title: t("Share the host's namespace", '共享宿主机的命名空间'),
      goal: t(
        'Name the machine this lab runs on, using only the container started with --uts=host.',
        '只用以 --uts=host 启动的容器，说出运行本实验的机器的名字。',
      ),
      answer: {
        label: t("The host's hostname", '宿主机的主机名'),
        placeholder: t('hostname', '主机名'),
      },
      hints: [
        t(
          "One of your terminals shares the host's UTS namespace. Which one?",
          '你的终端中有一个共享宿主机的 UTS 命名空间。是哪一个？',
        ),
        t(
          "That is the isolated container's own name. Ask in the host-uts terminal instead.",
          '这是 isolated 容器自己的名字。请改在 host-uts 终端里查询。',
        ),
        t('In the host-uts terminal: hostname', '在 host-uts 终端中：hostname'),
      ],
      check: async (ctx, answer) => {
        const shared = await ctx.container('host-uts').namespace('uts');
        const host = await ctx.host.namespace('uts');
        if (shared !== host) {
          return {
            passed: false,
            reason: t(
              "The host-uts container does not share this server's UTS namespace; is nslab running on the Docker host?",
              'host-uts 容器没有共享本服务器的 UTS 命名空间；nslab 是运行在 Docker 宿主机上吗？',
            ),
            hint: 0,
          };
        }
        const hostname = await ctx.host.hostname();
        // Host names are not case-sensitive; a trailing dot is the same name.
        const said = (answer ?? '').trim().toLowerCase().replace(/\.$/, '');
        return judgeAnswer({
          right: said === hostname.toLowerCase(),
          pass: t(
            `Right: "${hostname}". The host-uts container is in ${host}, the host's own UTS namespace, so it sees (but, without CAP_SYS_ADMIN, cannot change) the host's name.`,
            `正确：“${hostname}”。host-uts 容器处在 ${host}，即宿主机自己的 UTS 命名空间里，所以它能看到宿主机的名字（但没有 CAP_SYS_ADMIN 就无法修改）。`,
          ),
          known: [
            {
              when: said === UTS_HOSTNAME,
              reason: t(
                `"${UTS_HOSTNAME}" is the name the lab gave the isolated container.`,
                `“${UTS_HOSTNAME}”是实验给 isolated 容器起的名字。`,
              ),
              hint: 1,
            },
          ],
          otherwise: {
            reason: t("That is not the host's hostname.", '这不是宿主机的主机名。'),
            hint: 0,
          },
        });
      },
      solution: [
        { terminal: 'host-uts', input: 'hostname', capture: /^([A-Za-z0-9][A-Za-z0-9.-]*)$/m },
      ],
      // The isolated container's name is a hostname too, just not the host's.
      cheat: [
        { terminal: 'isolated', input: 'hostname', capture: /^([A-Za-z0-9][A-Za-z0-9.-]*)$/m },
      ],
    },
  ],
};
