// docker-bench-security's section 5 checks of what a container shares with the host: its
// namespaces, one rule each, read from the same inspect fields docker-bench's script reads.
import type Dockerode from 'dockerode';
import { both, type Localized } from '../catalogue/lab-text.ts';
import { verdict, type Verdict } from './docker-bench-verdict.ts';

type Inspect = Dockerode.ContainerInspectInfo;

function sharedNamespace(mode: string | undefined, what: string, risk: Localized): Verdict {
  // The kernel's own names (PID, IPC, UTS) read the same in Chinese; "network" does not.
  const zh = what === 'network' ? '网络' : ` ${what} `;
  return verdict(
    mode !== 'host',
    both(`The container has its own ${what} namespace.`, `容器有自己的${zh}命名空间。`),
    both(
      `The container shares the host's ${what} namespace: ${risk.en}.`,
      `容器共享宿主机的${zh}命名空间：${risk.zh}。`,
    ),
  );
}

/** [id, the rule] for 5.10, 5.16, 5.17, 5.21 and 5.31. */
export const NAMESPACE_RULES: readonly (readonly [string, (inspect: Inspect) => Verdict])[] = [
  [
    '5.10',
    (i) =>
      sharedNamespace(
        i.HostConfig.NetworkMode,
        'network',
        both(
          "its sockets are the host's, it can reach every host service on 127.0.0.1 and sniff with NET_RAW",
          '它的套接字就是宿主机的，它能访问宿主机 127.0.0.1 上的每个服务，并能用 NET_RAW 嗅探',
        ),
      ),
  ],
  [
    '5.16',
    (i) =>
      sharedNamespace(
        i.HostConfig.PidMode,
        'PID',
        both(
          'every host process is visible, and with SYS_PTRACE reachable (the escape-host-pid lab)',
          '宿主机的每个进程都可见，有了 SYS_PTRACE 还能触及它们（escape-host-pid 实验）',
        ),
      ),
  ],
  [
    '5.17',
    (i) =>
      sharedNamespace(
        i.HostConfig.IpcMode,
        'IPC',
        both(
          "the host's shared memory segments and message queues are open to it",
          '宿主机的共享内存段和消息队列对它敞开',
        ),
      ),
  ],
  [
    '5.21',
    (i) =>
      sharedNamespace(
        i.HostConfig.UTSMode,
        'UTS',
        both(
          "its hostname is the host's, and with SYS_ADMIN it could rename the host",
          '它的主机名就是宿主机的，有了 SYS_ADMIN 还能给宿主机改名',
        ),
      ),
  ],
  [
    '5.31',
    (i) =>
      verdict(
        i.HostConfig.UsernsMode !== 'host',
        both(
          'Not --userns=host. User-namespace remapping is an engine-wide setting (recommendation 12; the user lab), not a profile option.',
          '不是 --userns=host。用户命名空间重映射是引擎级的设置（建议 12；user 实验），不是配置里的选项。',
        ),
        both(
          '--userns=host: the container opts out of the engine’s user-namespace remapping.',
          '--userns=host：容器退出了引擎的用户命名空间重映射。',
        ),
      ),
  ],
];
