// The net lab's two longest checks, read from the host side: which host interface is the
// other end of a container's veth cable (the host's `ip -o link`, entered into each network
// namespace alone), and whether tenant-b on the no-icc network heard anything from tenant-a
// (its /proc/<pid>/net tables and its server's log). What they read is parsed in net-evidence.ts.
import type { CheckContext, CheckOutcome } from '../../server/lab-kit.ts';
import {
  WEB_LOG,
  arpNeighbours,
  attachment,
  eth0,
  isIpv4,
  type Link,
  parseLinks,
  readInside,
  requestsFrom,
  snmpCounter,
} from './net-evidence.ts';
import { t } from '../shared/localized.ts';

/** The host's interfaces: host-view runs in the engine host's network namespace. */
async function hostLinks(ctx: CheckContext): Promise<string> {
  return ctx.container('host-view').netLinks();
}

/** What followTheCable tells the learner. */
const CABLE = {
  notNumber: t('Type the index as a number, like 42.', '请以数字形式输入索引，例如 42。'),
  noCable: t(
    'The bridged container has no eth0 cable; restart the lab.',
    'bridged 容器没有 eth0 网线；请重新启动实验。',
  ),
  ownEnd: (submitted: string) =>
    t(
      `${submitted} is eth0's own index, inside the container. The cable has two ends.`,
      `${submitted} 是 eth0 自己在容器内的索引。网线有两端。`,
    ),
  clientEnd: (submitted: string, master: string) =>
    t(
      `${submitted} is the host end of the client container's cable, plugged into ${master} (lab-net), not the bridged container's.`,
      `${submitted} 是 client 容器那根网线在宿主机上的一端，插在 ${master}（lab-net）上，而不是 bridged 容器的。`,
    ),
  notPeer: (submitted: string) =>
    t(
      `Interface ${submitted} is not the other end of the bridged container's eth0.`,
      `接口 ${submitted} 不是 bridged 容器 eth0 的另一端。`,
    ),
  unseen: (peerIndex: string) =>
    t(
      `The host-view container sees no interface ${peerIndex}; is it really in the host's network namespace?`,
      `host-view 容器看不到接口 ${peerIndex}；它真的处在宿主机的网络命名空间里吗？`,
    ),
  right: (hostNs: string, peerIndex: string, hostEnd: Link, all: number, onBridge: number) => {
    const { name, master } = hostEnd;
    return t(
      `Right. Seen from the host (${hostNs}, through a --network host container), interface ${peerIndex} is ${name}, a veth plugged into ${master ?? 'no bridge'}. The host has ${all} interfaces in all; ${onBridge} cable(s) plug into ${master ?? 'that bridge'} right now, one per container on the default bridge on this machine, and with the daemon's default --icc=true they can all reach each other.`,
      `正确。从宿主机（${hostNs}，通过一个 --network host 容器）看，接口 ${peerIndex} 是 ${name}，${master === undefined ? '一个没有插在任何网桥上的 veth' : `一个插在 ${master} 上的 veth`}。宿主机共有 ${all} 个接口；此刻有 ${onBridge} 根网线插在${master === undefined ? '那个网桥' : ` ${master} `}上，这台机器上默认网桥中的每个容器各一根；在守护进程默认的 --icc=true 下，它们彼此全都可达。`,
    );
  },
};

/** follow-the-cable: the answer must be the host-side index of the bridged container's eth0 peer. */
export async function followTheCable(
  ctx: CheckContext,
  answer: string | undefined,
): Promise<CheckOutcome> {
  const submitted = /^(?:@?if)?(\d{1,9})$/.exec(answer?.trim() ?? '')?.[1];
  if (submitted === undefined) {
    return {
      passed: false,
      reason: CABLE.notNumber,
      hint: 0,
    };
  }
  const cable = await eth0(ctx.container('bridged'));
  if (cable?.peerIndex === undefined) {
    return {
      passed: false,
      reason: CABLE.noCable,
      hint: 0,
    };
  }
  const [ownIndex, peerIndex] = [String(cable.index), String(cable.peerIndex)];
  const links = parseLinks(await hostLinks(ctx));
  const clientPeer = String((await eth0(ctx.container('client')))?.peerIndex ?? '');
  if (submitted === ownIndex && submitted !== peerIndex) {
    return {
      passed: false,
      reason: CABLE.ownEnd(submitted),
      hint: 1,
    };
  }
  if (submitted === clientPeer && submitted !== peerIndex) {
    const master = links.find((l) => String(l.index) === submitted)?.master ?? '?';
    return {
      passed: false,
      reason: CABLE.clientEnd(submitted, master),
      hint: 0,
    };
  }
  if (submitted !== peerIndex) {
    return {
      passed: false,
      reason: CABLE.notPeer(submitted),
      hint: 0,
    };
  }
  const hostEnd = links.find((l) => String(l.index) === peerIndex);
  if (hostEnd === undefined) {
    return {
      passed: false,
      reason: CABLE.unseen(peerIndex),
      hint: 0,
    };
  }
  const sameBridge = links.filter((l) => l.master !== undefined && l.master === hostEnd.master);
  const hostNs = await ctx.host.namespace('net');
  return {
    passed: true,
    reason: CABLE.right(hostNs, peerIndex, hostEnd, links.length, sameBridge.length),
  };
}

/** What iccOff tells the learner. */
const ICC = {
  notTogether: t(
    'tenant-a and tenant-b are not on the same lab network; restart the lab.',
    'tenant-a 和 tenant-b 不在同一个实验网络上；请重新启动实验。',
  ),
  notIpv4: t('That is not an IPv4 address.', '这不是一个 IPv4 地址。'),
  ownAddress: (submitted: string) =>
    t(`${submitted} is tenant-a's own address.`, `${submitted} 是 tenant-a 自己的地址。`),
  notResolved: (submitted: string) =>
    t(
      `tenant-b's name does not resolve to ${submitted} on no-icc.`,
      `在 no-icc 上，tenant-b 这个名字解析出的不是 ${submitted}。`,
    ),
  neverTried: (ip: string) =>
    t(
      `Right address, but tenant-b has never heard from tenant-a (${ip} is not in tenant-b's neighbour table): resolve the name and then really try to reach it.`,
      `地址正确，但 tenant-b 从未收到过 tenant-a 的任何消息（${ip} 不在 tenant-b 的邻居表中）：先解析这个名字，然后真正尝试去访问它。`,
    ),
  gotThrough: (icmpIn: number, tcpIn: number, logged: number) =>
    t(
      `Traffic got through: tenant-b's stack received ${icmpIn} ICMP message(s) and ${tcpIn} TCP segment(s), and its server logged ${logged} request(s) from tenant-a. Inter-container communication is not blocked on this network.`,
      `流量通过了：tenant-b 的协议栈收到了 ${icmpIn} 条 ICMP 消息和 ${tcpIn} 个 TCP 报文段，它的服务器记录了 ${logged} 个来自 tenant-a 的请求。这个网络上的容器间通信没有被阻断。`,
    ),
  right: (bIp: string, aIp: string) =>
    t(
      `Right: tenant-b is ${bIp}. Your ARP request reached it (tenant-b now lists ${aIp} in its neighbour table: layer 2 still works), yet its IP stack received not one ICMP message or TCP segment (/proc/<pid>/net/snmp of tenant-b, read on the host) and its server logged nothing. The host's bridge dropped every IPv4 packet between the two, because the network was created with com.docker.network.bridge.enable_icc=false. DNS answered because the resolver sits in your own container's namespace, not in tenant-b.`,
      `正确：tenant-b 是 ${bIp}。你的 ARP 请求到达了它（tenant-b 的邻居表中现在有 ${aIp}：第 2 层仍然工作），但它的 IP 协议栈没有收到一条 ICMP 消息或一个 TCP 报文段（tenant-b 的 /proc/<pid>/net/snmp，在宿主机上读取），它的服务器也什么都没有记录。宿主机的网桥丢弃了两者之间的每个 IPv4 数据包，因为这个网络创建时带有 com.docker.network.bridge.enable_icc=false。DNS 能够回答，是因为解析器位于你自己容器的命名空间里，而不在 tenant-b 中。`,
    ),
};

/** icc-off: the answer must be tenant-b's address, after an attempt that reached layer 2 only. */
export async function iccOff(ctx: CheckContext, answer: string | undefined): Promise<CheckOutcome> {
  const submitted = answer?.trim() ?? '';
  const a = await attachment(ctx.container('tenant-a'));
  const b = await attachment(ctx.container('tenant-b'));
  if (a.ip === undefined || b.ip === undefined || a.network !== b.network) {
    return {
      passed: false,
      reason: ICC.notTogether,
      hint: 0,
    };
  }
  if (!isIpv4(submitted)) {
    return { passed: false, reason: ICC.notIpv4, hint: 0 };
  }
  if (submitted === a.ip) {
    return {
      passed: false,
      reason: ICC.ownAddress(submitted),
      hint: 0,
    };
  }
  if (submitted !== b.ip) {
    return {
      passed: false,
      reason: ICC.notResolved(submitted),
      hint: 0,
    };
  }
  const tenantB = ctx.container('tenant-b');
  const neighbours = arpNeighbours(await tenantB.netTable('arp'));
  if (!neighbours.includes(a.ip)) {
    return {
      passed: false,
      reason: ICC.neverTried(a.ip),
      hint: 1,
    };
  }
  // What tenant-b's own IP stack received, whatever tool the attempt used.
  const snmp = await tenantB.netTable('snmp');
  const icmpIn = snmpCounter(snmp, 'Icmp', 'InMsgs');
  const tcpIn = snmpCounter(snmp, 'Tcp', 'InSegs');
  const logged = requestsFrom(await readInside(tenantB, WEB_LOG), a.ip).length;
  if (icmpIn > 0 || tcpIn > 0 || logged > 0) {
    return {
      passed: false,
      reason: ICC.gotThrough(icmpIn, tcpIn, logged),
      hint: 1,
    };
  }
  return {
    passed: true,
    reason: ICC.right(b.ip, a.ip),
  };
}
