// The readonly-devices lab's device exercise: root with CAP_MKNOD may create any device node,
// but the device cgroup decides, by major:minor, which ones it may open. The check finds the
// learner's nodes with the host's lstat and reads the rules, not what programs print.
import type { CheckContext, ContainerEvidence, Exercise } from '../../server/lab-kit.ts';
import {
  DOCKER_DEFAULT_RULES,
  ENGINE_NODES,
  deviceListAllowsRead,
  deviceNode,
  nodeName,
  type DeviceNode,
} from './device-nodes.ts';
import { t, type Localized } from '../shared/localized.ts';

/** Device nodes of the learner's on the root file system and in /dev (each on its own). */
async function learnerNodes(box: ContainerEvidence): Promise<DeviceNode[]> {
  const found = await Promise.all(
    ['/', '/dev'].map((dir) => box.walk(dir, { types: ['char', 'block'], limit: 50_000 })),
  );
  return found
    .flat()
    .map(deviceNode)
    .filter((n): n is DeviceNode => n !== undefined && !ENGINE_NODES.has(n.path));
}

/** The rules the device cgroup applies: devices.list on cgroup v1, Docker's defaults on v2. */
async function deviceRules(
  ctx: CheckContext,
  box: ContainerEvidence,
): Promise<{ list: string; where: Localized }> {
  if (ctx.host.facts.cgroupVersion === 1) {
    return {
      list: await box.cgroupFile('devices', 'devices.list'),
      where: t("the container's devices.list on the host", '宿主机上该容器的 devices.list'),
    };
  }
  const extra = (await box.inspect()).HostConfig.DeviceCgroupRules ?? [];
  return {
    list: [DOCKER_DEFAULT_RULES, ...extra].join('\n'),
    where: t(
      "Docker's device rules for the container (on cgroup v2 the kernel holds them as an eBPF program, with no file to read)",
      'Docker 为该容器设定的设备规则（在 cgroup v2 上，内核以 eBPF 程序的形式持有它们，没有可读的文件）',
    ),
  };
}

export const deviceCgroupExercise: Exercise = {
  id: 'device-cgroup',
  title: t('Who decides about devices?', '谁来决定设备？'),
  goal: t(
    'In the writable container, make two device nodes of your own: one the device cgroup lets you open, and one it refuses.',
    '在 writable 容器中，自己创建两个设备节点：一个设备控制组允许你打开，另一个它拒绝。',
  ),
  hints: [
    t(
      'A device node is a name for a (type, major, minor) triple; `mknod NAME c MAJOR MINOR` makes one, and `ls -l /dev` shows the numbers of the nodes Docker made (1,5 is zero).',
      '设备节点是（类型，主设备号，次设备号）三元组的名字；`mknod NAME c MAJOR MINOR` 可以创建一个，`ls -l /dev` 会显示 Docker 所建节点的设备号（1,5 是 zero）。',
    ),
    t(
      'Docker allows only a short list of devices to be opened. Pick the numbers of a device that is not in /dev, such as the kernel memory device /dev/mem (c 1 1), and of one that is.',
      'Docker 只允许打开一份很短的设备列表。选一个不在 /dev 中的设备的设备号，例如内核内存设备 /dev/mem（c 1 1），再选一个在 /dev 中的。',
    ),
    t(
      'In the writable terminal: mknod /root/mem c 1 1; mknod /root/zero c 1 5; head -c 1 /root/mem; head -c 4 /root/zero | od -c',
      '在 writable 终端中：mknod /root/mem c 1 1; mknod /root/zero c 1 5; head -c 1 /root/mem; head -c 4 /root/zero | od -c',
    ),
  ],
  check: async (ctx) => {
    const box = ctx.container('writable');
    const nodes = await learnerNodes(box);
    const { list, where } = await deviceRules(ctx, box);
    const opens = nodes.find((n) => deviceListAllowsRead(list, n));
    const refused = nodes.find((n) => !deviceListAllowsRead(list, n));
    if (opens === undefined || refused === undefined) {
      return {
        passed: false,
        reason:
          nodes.length === 0
            ? t(
                'There is no device node of yours in the writable container.',
                'writable 容器中没有你创建的设备节点。',
              )
            : t(
                `Your device nodes: ${nodes.map((n) => `${nodeName(n)}, ${deviceListAllowsRead(list, n) ? 'allowed' : 'refused'}`).join('; ')}. One must be one the device cgroup lets you open, and one it refuses.`,
                `你的设备节点：${nodes.map((n) => `${nodeName(n)}，${deviceListAllowsRead(list, n) ? '允许' : '拒绝'}`).join('; ')}。其中一个必须是设备控制组允许你打开的，另一个必须是它拒绝的。`,
              ),
        hint: nodes.length === 0 ? 0 : 1,
      };
    }
    return {
      passed: true,
      reason: t(
        `${nodeName(opens)} opens; ${nodeName(refused)} exists, but open(2) gets EPERM. The server found both nodes with the host's lstat in your container's file system, and read the rules in ${where.en}: they allow ${opens.type} ${opens.major}:${opens.minor} to be read and have no rule for ${refused.type} ${refused.major}:${refused.minor} beyond "${refused.type} *:* m" (mknod only).`,
        `${nodeName(opens)} 可以打开；${nodeName(refused)} 存在，但 open(2) 得到 EPERM。服务器用宿主机的 lstat 在你容器的文件系统中找到了这两个节点，并读取了${where.zh}中的规则：它们允许读取 ${opens.type} ${opens.major}:${opens.minor}，而对于 ${refused.type} ${refused.major}:${refused.minor}，除了 "${refused.type} *:* m"（仅限 mknod）之外没有任何规则。`,
      ),
    };
  },
  // Not device nodes: a regular file and a symlink; and a node Docker allows, without its refused twin.
  cheat: [
    {
      terminal: 'writable',
      input: 'touch /root/mem; ln -sf /dev/zero /root/zero-link; cp -a /dev/null /root/null',
    },
  ],
  solution: [
    {
      terminal: 'writable',
      input: 'rm -f /root/mem /root/zero; mknod /root/mem c 1 1; mknod /root/zero c 1 5',
    },
    { terminal: 'writable', input: 'head -c 1 /root/mem; head -c 4 /root/zero | od -c' },
  ],
};
