// The terms the lessons use, in the seeds' own Chinese and in English, each with one line of
// what it means in both languages: the glossary page's one source. Lessons give the English
// term beside the Chinese the first time; this page is where a reader looks them up again.
// test/unit/glossary.test.ts checks that every cell is filled.

export interface GlossaryEntry {
  zh: string;
  en: string;
  meaning: { en: string; zh: string };
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    zh: '命名空间',
    en: 'namespace',
    meaning: {
      en: 'A kernel feature that gives a group of processes its own view of one resource (process ids, host name, network, mounts, users, IPC).',
      zh: '内核功能，让一组进程对某一种资源（进程号、主机名、网络、挂载、用户、IPC）拥有自己的视图。',
    },
  },
  {
    zh: '控制组',
    en: 'cgroup (control group)',
    meaning: {
      en: 'A kernel feature that counts and limits what a group of processes uses: memory, CPU, processes, block I/O.',
      zh: '内核功能，统计并限制一组进程使用的资源：内存、CPU、进程数、块设备 I/O。',
    },
  },
  {
    zh: '能力',
    en: 'capability',
    meaning: {
      en: "One slice of root's power (CAP_NET_ADMIN, CAP_SYS_ADMIN …) that a process can hold or lack on its own.",
      zh: 'root 权力的一小份（CAP_NET_ADMIN、CAP_SYS_ADMIN …），进程可以单独拥有或缺少它。',
    },
  },
  {
    zh: '特权',
    en: 'privileged',
    meaning: {
      en: 'A container started with --privileged: every capability, every device, no seccomp or LSM confinement.',
      zh: '用 --privileged 启动的容器：拥有全部能力和全部设备，没有 seccomp 或 LSM 限制。',
    },
  },
  {
    zh: '镜像',
    en: 'image',
    meaning: {
      en: 'The read-only file system layers and settings a container is started from.',
      zh: '容器启动时所用的只读文件系统层和配置。',
    },
  },
  {
    zh: '容器',
    en: 'container',
    meaning: {
      en: "Ordinary processes on the host's kernel, fenced in by namespaces, cgroups and the other settings Docker gives them.",
      zh: '运行在宿主机内核上的普通进程，由命名空间、控制组以及 Docker 赋予的其他设置围起来。',
    },
  },
  {
    zh: '宿主机',
    en: 'host',
    meaning: {
      en: 'The machine whose kernel runs the containers; what a container must not reach.',
      zh: '其内核运行着容器的那台机器；容器不应触及的地方。',
    },
  },
  {
    zh: '内核',
    en: 'kernel',
    meaning: {
      en: 'The one Linux kernel every container on the host shares; a flaw in it is a flaw for all of them.',
      zh: '宿主机上所有容器共用的同一个 Linux 内核；它的漏洞就是所有容器的漏洞。',
    },
  },
  {
    zh: '守护进程',
    en: 'daemon',
    meaning: {
      en: 'A long-running background service; here dockerd, which runs as root and creates the containers.',
      zh: '长期运行的后台服务；这里指以 root 运行、负责创建容器的 dockerd。',
    },
  },
  {
    zh: '挂载',
    en: 'mount',
    meaning: {
      en: 'Attaching a file system or a directory at a path; a bind mount shows a host path inside a container.',
      zh: '把文件系统或目录接到某个路径上；绑定挂载会把宿主机的路径显示在容器里。',
    },
  },
  {
    zh: '只读',
    en: 'read-only',
    meaning: {
      en: 'Can be read but not written: a read-only root file system or mount cannot be changed from inside.',
      zh: '只能读不能写：只读的根文件系统或挂载无法从内部修改。',
    },
  },
  {
    zh: '根文件系统',
    en: 'root file system',
    meaning: {
      en: 'The file tree a container sees at /, built from its image plus a writable layer.',
      zh: '容器在 / 处看到的文件树，由镜像加上一个可写层构成。',
    },
  },
  {
    zh: '用户命名空间',
    en: 'user namespace',
    meaning: {
      en: 'Maps user ids: root in the container can be an unprivileged user on the host.',
      zh: '映射用户 ID：容器里的 root 在宿主机上可以只是一个无特权用户。',
    },
  },
  {
    zh: '逃逸',
    en: 'escape',
    meaning: {
      en: "Breaking out of a container's isolation to act on the host.",
      zh: '突破容器的隔离，在宿主机上采取行动。',
    },
  },
  {
    zh: '套接字',
    en: 'socket',
    meaning: {
      en: "An endpoint for talking to a service; Docker's Unix socket gives whoever reaches it control of the engine.",
      zh: '与服务通信的端点；谁能访问 Docker 的 Unix 套接字，谁就控制了引擎。',
    },
  },
  {
    zh: '系统调用',
    en: 'system call',
    meaning: {
      en: 'How a process asks the kernel to act (open, mount, unshare …); seccomp filters which ones are allowed.',
      zh: '进程请求内核做事的方式（open、mount、unshare …）；seccomp 过滤允许哪些调用。',
    },
  },
  {
    zh: '最小权限',
    en: 'least privilege',
    meaning: {
      en: 'Give a process only the rights its job needs: drop capabilities, run as a user, read-only where possible.',
      zh: '只给进程完成工作所需的权限：去掉能力，以普通用户运行，尽可能只读。',
    },
  },
  {
    zh: '资源限制',
    en: 'resource limit',
    meaning: {
      en: 'A ceiling on memory, CPU, processes or I/O (set through cgroups) so one container cannot starve the rest.',
      zh: '对内存、CPU、进程数或 I/O 设置的上限（通过控制组），让一个容器无法饿死其他容器。',
    },
  },
  {
    zh: '审计',
    en: 'audit',
    meaning: {
      en: 'Checking what changed and who did what: docker diff against the image, the engine’s events, the host’s logs.',
      zh: '检查改动了什么、谁做了什么：对照镜像的 docker diff、引擎的事件、宿主机的日志。',
    },
  },
  {
    zh: '强制访问控制',
    en: 'mandatory access control',
    meaning: {
      en: 'Rules the kernel enforces whatever the file permissions say (AppArmor, SELinux), even for root.',
      zh: '无论文件权限如何都由内核强制执行的规则（AppArmor、SELinux），对 root 也有效。',
    },
  },
];
