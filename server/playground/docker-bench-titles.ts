// docker-bench-security's section 5 titles, as its script names each check
// (tests/5_container_runtime.sh, numbering of 2024), with ours in Chinese; the ids are its own.
import { both, inLang, type Localized } from '../catalogue/lab-text.ts';
import type { Lang } from '../protocol/lang.ts';

const TITLES: Readonly<Record<string, Localized>> = {
  '5.1': both(
    'Ensure swarm mode is not Enabled, if not needed',
    '确保在不需要时没有启用 swarm 模式',
  ),
  '5.2': both(
    'Ensure that, if applicable, an AppArmor Profile is enabled',
    '确保在适用时启用了 AppArmor 配置',
  ),
  '5.3': both(
    'Ensure that, if applicable, SELinux security options are set',
    '确保在适用时设置了 SELinux 安全选项',
  ),
  '5.4': both(
    'Ensure that Linux kernel capabilities are restricted within containers',
    '确保容器内的 Linux 内核能力受到限制',
  ),
  '5.5': both('Ensure that privileged containers are not used', '确保不使用特权容器'),
  '5.6': both(
    'Ensure sensitive host system directories are not mounted on containers',
    '确保宿主机的敏感系统目录没有挂载到容器中',
  ),
  '5.7': both('Ensure sshd is not run within containers', '确保容器内不运行 sshd'),
  '5.8': both(
    'Ensure privileged ports are not mapped within containers',
    '确保容器内没有映射特权端口',
  ),
  '5.9': both(
    'Ensure that only needed ports are open on the container',
    '确保容器只开放需要的端口',
  ),
  '5.10': both(
    "Ensure that the host's network namespace is not shared",
    '确保不共享宿主机的网络命名空间',
  ),
  '5.11': both(
    'Ensure that the memory usage for containers is limited',
    '确保容器的内存使用受到限制',
  ),
  '5.12': both(
    'Ensure that CPU priority is set appropriately on containers',
    '确保为容器设置了合适的 CPU 优先级',
  ),
  '5.13': both(
    "Ensure that the container's root filesystem is mounted as read only",
    '确保容器的根文件系统以只读方式挂载',
  ),
  '5.14': both(
    'Ensure that incoming container traffic is bound to a specific host interface',
    '确保容器的入站流量绑定到宿主机的特定网络接口',
  ),
  '5.15': both(
    "Ensure that the 'on-failure' container restart policy is set to '5'",
    "确保容器的 'on-failure' 重启策略设置为 '5'",
  ),
  '5.16': both(
    "Ensure that the host's process namespace is not shared",
    '确保不共享宿主机的进程命名空间',
  ),
  '5.17': both(
    "Ensure that the host's IPC namespace is not shared",
    '确保不共享宿主机的 IPC 命名空间',
  ),
  '5.18': both(
    'Ensure that host devices are not directly exposed to containers',
    '确保宿主机设备没有直接暴露给容器',
  ),
  '5.19': both(
    'Ensure that the default ulimit is overwritten at runtime if needed',
    '确保在需要时于运行时覆盖默认的 ulimit',
  ),
  '5.20': both(
    'Ensure mount propagation mode is not set to shared',
    '确保挂载传播模式没有设置为 shared',
  ),
  '5.21': both(
    "Ensure that the host's UTS namespace is not shared",
    '确保不共享宿主机的 UTS 命名空间',
  ),
  '5.22': both(
    'Ensure the default seccomp profile is not Disabled',
    '确保没有禁用默认的 seccomp 配置',
  ),
  '5.23': both(
    'Ensure that docker exec commands are not used with the privileged option',
    '确保 docker exec 命令不使用 privileged 选项',
  ),
  '5.24': both(
    'Ensure that docker exec commands are not used with the user=root option',
    '确保 docker exec 命令不使用 user=root 选项',
  ),
  '5.25': both('Ensure that cgroup usage is confirmed', '确保确认了 cgroup 的使用'),
  '5.26': both(
    'Ensure that the container is restricted from acquiring additional privileges',
    '确保限制容器获取额外的权限',
  ),
  '5.27': both(
    'Ensure that container health is checked at runtime',
    '确保在运行时检查容器的健康状况',
  ),
  '5.28': both(
    'Ensure that Docker commands always make use of the latest version of their image',
    '确保 Docker 命令总是使用镜像的最新版本',
  ),
  '5.29': both('Ensure that the PIDs cgroup limit is used', '确保使用了 PIDs cgroup 限制'),
  '5.30': both(
    "Ensure that Docker's default bridge 'docker0' is not used",
    "确保不使用 Docker 的默认网桥 'docker0'",
  ),
  '5.31': both(
    "Ensure that the host's user namespaces are not shared",
    '确保不共享宿主机的用户命名空间',
  ),
  '5.32': both(
    'Ensure that the Docker socket is not mounted inside any containers',
    '确保 Docker 套接字没有挂载到任何容器中',
  ),
};

/** docker-bench's title of a check in `lang`; an id it does not list reads as itself. */
export function titleOf(id: string, lang: Lang): string {
  const title = TITLES[id];
  return title === undefined ? id : inLang(title, lang);
}
