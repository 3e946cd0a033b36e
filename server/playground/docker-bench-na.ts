// docker-bench-security's section 5 checks that do not apply to the profile playground, each
// with why: they look at what no playground profile can set (ports, restart policy, the
// engine's own settings, the audit log), or docker-bench asks a person to judge them.
import { both, type Localized } from '../catalogue/lab-text.ts';

/** [id, why it does not apply here]; the titles are docker-bench-titles.ts's. */
export const NOT_APPLICABLE: readonly (readonly [string, Localized])[] = [
  [
    '5.1',
    both(
      'An engine setting, not a container one: nothing a profile chooses.',
      '这是引擎的设置，不是容器的：配置里选不了它。',
    ),
  ],
  [
    '5.2',
    both(
      'The playground offers no AppArmor choice, and this kind of host may have no AppArmor at all: the lsm lab detects it.',
      '练习场不提供 AppArmor 选项，而且这类宿主机可能根本没有 AppArmor：lsm 实验会检测它。',
    ),
  ],
  [
    '5.3',
    both(
      'The playground offers no SELinux option; the lsm lab shows what this host enforces.',
      '练习场不提供 SELinux 选项；lsm 实验展示了这台宿主机实际强制执行的是什么。',
    ),
  ],
  [
    '5.7',
    both(
      'The container runs nslab’s fixed command (an init and sleep), never sshd.',
      '容器运行的是 nslab 固定的命令（一个 init 和 sleep），从不运行 sshd。',
    ),
  ],
  ['5.8', both('The playground publishes no port.', '练习场不发布任何端口。')],
  [
    '5.9',
    both(
      'The playground publishes no port (docker-bench asks a person to judge this one).',
      '练习场不发布任何端口（这一项 docker-bench 要求由人来判断）。',
    ),
  ],
  [
    '5.14',
    both(
      'The playground publishes no port, so nothing listens on a host interface.',
      '练习场不发布任何端口，所以没有东西在宿主机的网络接口上监听。',
    ),
  ],
  [
    '5.15',
    both(
      'nslab never restarts a learner’s container: the session removes it.',
      'nslab 从不重启学员的容器：会话会删除它。',
    ),
  ],
  [
    '5.19',
    both(
      'The playground sets no ulimit; its pids limit bounds processes instead (docker-bench asks a person).',
      '练习场不设置 ulimit；改由它的 pids 限制约束进程数（docker-bench 要求由人来判断）。',
    ),
  ],
  [
    '5.20',
    both(
      'The playground mounts nothing from the host, so there is no propagation to choose.',
      '练习场不从宿主机挂载任何东西，所以没有传播模式可选。',
    ),
  ],
  [
    '5.23',
    both(
      'About exec calls in the engine’s audit log: nslab’s terminal and probes never exec with --privileged.',
      '这一项看的是引擎审计日志里的 exec 调用：nslab 的终端和探测从不用 --privileged 执行 exec。',
    ),
  ],
  [
    '5.24',
    both(
      'About exec calls in the audit log (docker-bench asks a person): nslab’s terminal runs as the profile’s user.',
      '这一项看的是审计日志里的 exec 调用（docker-bench 要求由人来判断）：nslab 的终端以配置中的用户运行。',
    ),
  ],
  [
    '5.27',
    both(
      'The playground’s container runs a shell for you, not a service with a health check.',
      '练习场的容器为你运行一个 shell，而不是一个带健康检查的服务。',
    ),
  ],
  [
    '5.28',
    both(
      'The image is nslab’s own, built on this machine (docker-bench asks a person).',
      '镜像是 nslab 自己的，在这台机器上构建（docker-bench 要求由人来判断）。',
    ),
  ],
  [
    '5.30',
    both(
      'The playground’s container has no network or the host’s, never docker0 (docker-bench asks a person).',
      '练习场的容器要么没有网络，要么用宿主机的网络，从不使用 docker0（docker-bench 要求由人来判断）。',
    ),
  ],
];
