// The capabilities lab's ping exercise: ping survives --cap-drop NET_RAW through an ICMP
// "ping socket", which net.ipv4.ping_group_range allows, unless that sysctl is narrowed too.
import type { Exercise } from '../../server/lab-kit.ts';
import { hasCap, hex, mainCapEff } from './capability-bits.ts';
import { t } from '../shared/localized.ts';

/** Counters of /proc/net/snmp's IcmpMsg table ("InType0" = echo replies received). */
function icmpMsg(snmp: string, field: string): number {
  const lines = snmp.split('\n').filter((l) => l.startsWith('IcmpMsg:'));
  const names = lines[0]?.split(/\s+/) ?? [];
  const values = lines[1]?.split(/\s+/) ?? [];
  const at = names.indexOf(field);
  return at > 0 ? Number(values[at] ?? 0) : 0;
}

export const pingSocketExercise: Exercise = {
  id: 'ping-socket',
  title: t('Ping without NET_RAW', '没有 NET_RAW 的 ping'),
  goal: t(
    'Get an echo reply from 127.0.0.1 in the no-raw container, which has no CAP_NET_RAW.',
    '在没有 CAP_NET_RAW 的 no-raw 容器中，收到一个来自 127.0.0.1 的回显应答。',
  ),
  hints: [
    t(
      '`ping` is refused before it even runs ("operation not permitted" from exec). `getcap /usr/bin/ping` shows what the file asks for: a capability this container cannot grant.',
      '`ping` 还没运行就被拒绝了（exec 返回 "operation not permitted"）。`getcap /usr/bin/ping` 会显示这个文件要求什么：一项这个容器无法授予的能力。',
    ),
    t(
      'A copy of a file does not keep its file capabilities, and iputils ping can work without them: it uses an ICMP datagram ("ping") socket, which needs no capability if your group is inside net.ipv4.ping_group_range.',
      '文件的副本不会保留文件能力，而 iputils 的 ping 没有它们也能工作：它使用 ICMP 数据报（"ping"）套接字，只要你的组在 net.ipv4.ping_group_range 范围内，就不需要任何能力。',
    ),
    t(
      'In the no-raw terminal: cp /usr/bin/ping /tmp/ping && /tmp/ping -c 1 127.0.0.1',
      '在 no-raw 终端中：cp /usr/bin/ping /tmp/ping && /tmp/ping -c 1 127.0.0.1',
    ),
  ],
  check: async (ctx) => {
    const noRaw = ctx.container('no-raw');
    const caps = await mainCapEff(noRaw);
    if (hasCap(caps, 'cap_net_raw')) {
      return {
        passed: false,
        reason: t(
          `no-raw's processes hold cap_net_raw (${hex(caps)}); restart the lab.`,
          `no-raw 的进程持有 cap_net_raw（${hex(caps)}）；请重新启动实验。`,
        ),
        hint: 0,
      };
    }
    const snmp = await noRaw.netTable('snmp');
    const replies = icmpMsg(snmp, 'InType0');
    if (replies === 0) {
      return {
        passed: false,
        reason: t(
          "No echo reply has arrived in no-raw's network namespace yet (its /proc/net/snmp, read on the host: IcmpMsg InType0 = 0).",
          'no-raw 的网络命名空间还没有收到任何回显应答（在宿主机上读取它的 /proc/net/snmp：IcmpMsg InType0 = 0）。',
        ),
        hint: 0,
      };
    }
    const range = async (name: string): Promise<string> =>
      (await ctx.container(name).netSysctl('ipv4/ping_group_range')).trim().replace(/\s+/g, ' ');
    const rawRange = await range('no-raw');
    const strictRange = await range('no-raw-strict');
    return {
      passed: true,
      reason: t(
        `no-raw's network namespace counted ${replies} echo repl${replies === 1 ? 'y' : 'ies'}, and read from the host its processes hold ${hex(caps)}: no cap_net_raw. The echo went out through an ICMP ping socket, which the kernel allows to groups in net.ipv4.ping_group_range: "${rawRange}" in no-raw (Docker sets it so), "${strictRange}" in no-raw-strict, where nobody may.`,
        `no-raw 的网络命名空间统计到 ${replies} 个回显应答；从宿主机读取，它的进程持有 ${hex(caps)}：没有 cap_net_raw。回显请求是通过 ICMP ping 套接字发出的，内核允许 net.ipv4.ping_group_range 中的组使用它：no-raw 中是 "${rawRange}"（Docker 如此设置），no-raw-strict 中是 "${strictRange}"，在那里谁都不能用。`,
      ),
    };
  },
  // The obvious command, which exec refuses; the right command in the wrong container.
  cheat: [
    {
      terminal: 'no-raw',
      input: "ping -c 1 127.0.0.1; echo '1 packets transmitted, 1 received'",
    },
    { terminal: 'default', input: 'ping -c 1 127.0.0.1' },
    {
      terminal: 'no-raw-strict',
      input: 'cp /usr/bin/ping /tmp/ping && /tmp/ping -c 1 127.0.0.1',
    },
  ],
  solution: [
    { terminal: 'no-raw', input: 'getcap /usr/bin/ping; ping -c 1 127.0.0.1' },
    { terminal: 'no-raw', input: 'cp /usr/bin/ping /tmp/ping && /tmp/ping -c 1 127.0.0.1' },
  ],
};
