// Every learner-facing string of the playground lab, in English and Chinese; playground-lab.ts
// passes them whole, and the server resolves each in the reader's language (#16).
import { t, type Localized } from '../shared/localized.ts';

export const TEXT = {
  title: t('Profile playground: compose your own isolation', '隔离配置练习场：自己组合隔离设置'),
  summary: t(
    'Build a container profile from vetted options (shared namespaces, capabilities, read-only root, no-new-privileges, seccomp, user, limits), start it, watch the inspector, score it against docker-bench-security section 5 and probe what it stops.',
    '从经过审核的选项（共享的命名空间、能力、只读根文件系统、no-new-privileges、seccomp、用户、资源限制）组合一个容器配置，启动它，查看检查器，用 docker-bench-security 第 5 节为它打分，并用探测看它能挡住什么。',
  ),
  learned: [
    t(
      'A profile is a handful of flags, and docker-bench-security section 5 reads each from docker inspect.',
      '一个隔离配置就是几个参数，docker-bench-security 第 5 节从 docker inspect 逐一读取它们。',
    ),
    t(
      'Root in a container without CAP_CHOWN cannot give a file away: capabilities, not the uid, decide.',
      '容器里的 root 没有 CAP_CHOWN 就无法把文件交给别人：决定权在能力（capability），不在 uid。',
    ),
    t(
      'A server that creates containers must check every parameter against an allowlist and refuse the rest.',
      '创建容器的服务器必须按允许列表检查每个参数，并拒绝其余的一切。',
    ),
  ],
  containerTitle: t('playground (your profile)', 'playground（你的配置）'),
  hardened: {
    title: t('A profile docker-bench passes', 'docker-bench 全部通过的配置'),
    goal: t(
      'Start a profile that passes every applicable check of docker-bench-security section 5.',
      '启动一个能通过 docker-bench-security 第 5 节所有适用检查的配置。',
    ),
    hints: [
      t(
        'Start the profile as it is and read the score: which checks warn, and what does each one say about the flag behind it?',
        '先按原样启动并查看评分：哪些检查给出警告？每条警告说明了它背后的哪个参数？',
      ),
      t(
        'Docker’s defaults warn on 5.13 (the root file system is writable) and 5.26 (no no-new-privileges). Escape-prone options warn too.',
        'Docker 的默认设置会在 5.13（根文件系统可写）和 5.26（没有 no-new-privileges）上警告。容易逃逸的选项同样会警告。',
      ),
      t(
        'Tick “Read-only root file system” and “no-new-privileges”, share no namespace with the host, add no capability, keep Docker’s seccomp profile, then Start.',
        '勾选“只读根文件系统”和“no-new-privileges”，不与宿主机共享任何命名空间，不添加能力，保留 Docker 的 seccomp 配置，然后点击启动。',
      ),
    ],
  },
  rootNoChown: {
    title: t('Root that cannot chown', '不能 chown 的 root'),
    goal: t(
      'Start a profile whose processes run as root yet cannot give a file to another user.',
      '启动一个配置：其中的进程以 root 运行，却无法把文件交给其他用户。',
    ),
    hints: [
      t(
        'Which capability lets root change a file’s owner? Root holds only the capabilities its bounding set keeps.',
        '哪个能力让 root 可以修改文件的属主？root 只拥有其边界集（bounding set）保留的能力。',
      ),
      t(
        'Keep the user root and drop CAP_CHOWN (by name, or with ALL) without adding it back. Then run the chown probe.',
        '用户保持为 root，丢弃 CAP_CHOWN（按名字或用 ALL），并且不要再加回来。然后运行 chown 探测。',
      ),
      t(
        'User root, capabilities to drop: ALL (or CHOWN), nothing added; Start, then try the chown probe.',
        '用户选 root，要丢弃的能力选 ALL（或 CHOWN），不添加任何能力；点击启动，再试 chown 探测。',
      ),
    ],
  },
} as const;

export const REASONS = {
  notStarted: t(
    'The playground still runs the lab’s starting profile: compose yours and press Start.',
    '练习场仍在运行实验自带的初始配置：组合你自己的配置并点击启动。',
  ),
  notRunning: t(
    'The playground container is not running; start a profile again.',
    'playground 容器没有在运行；请重新启动一个配置。',
  ),
  warns: (ids: string): Localized =>
    t(
      `Read from the engine’s docker inspect, docker-bench section 5 still warns on ${ids}.`,
      `从引擎的 docker inspect 读取，docker-bench 第 5 节仍在 ${ids} 上警告。`,
    ),
  noNnpEffect: t(
    'The engine says no-new-privileges, but the container’s processes on the host do not show NoNewPrivs: 1; start the profile again.',
    '引擎显示设置了 no-new-privileges，但宿主机上该容器的进程没有 NoNewPrivs: 1；请重新启动配置。',
  ),
  hardened: (passed: number): Localized =>
    t(
      `Every one of the ${passed} applicable section-5 checks passes on the engine’s own inspect, and on the host the container’s processes show NoNewPrivs: 1.`,
      `在引擎自己的 inspect 上，全部 ${passed} 项适用的第 5 节检查都通过了；宿主机上该容器的进程显示 NoNewPrivs: 1。`,
    ),
  notRoot: (user: string): Localized =>
    t(
      `The container runs as ${user}, not root: a non-root user cannot chown anyway. The point is root without the capability.`,
      `容器以 ${user} 运行而不是 root：非 root 用户本来就不能 chown。这里要的是没有该能力的 root。`,
    ),
  keepsChown: t(
    'Read from the host, a process of the container still holds CAP_CHOWN in its bounding set: root there can chown.',
    '从宿主机读取，容器中仍有进程的边界集包含 CAP_CHOWN：那里的 root 可以 chown。',
  ),
  rootNoChown: (pids: string): Localized =>
    t(
      `Read from the host: the container’s processes run as uid 0 (host PIDs ${pids}), and none of them holds CAP_CHOWN in its bounding set, so no exec in there can get it back. Root, and still no chown.`,
      `从宿主机读取：该容器的进程以 uid 0 运行（宿主机 PID ${pids}），且其中没有一个进程的边界集包含 CAP_CHOWN，所以任何 exec 都拿不回它。是 root，却仍不能 chown。`,
    ),
} as const;
