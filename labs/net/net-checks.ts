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
  parseLinks,
  readInside,
  requestsFrom,
  snmpCounter,
} from './net-evidence.ts';

/** The host's interfaces: host-view runs in the engine host's network namespace. */
async function hostLinks(ctx: CheckContext): Promise<string> {
  return ctx.container('host-view').netLinks();
}

/** follow-the-cable: the answer must be the host-side index of the bridged container's eth0 peer. */
export async function followTheCable(
  ctx: CheckContext,
  answer: string | undefined,
): Promise<CheckOutcome> {
  const submitted = /^(?:@?if)?(\d{1,9})$/.exec(answer?.trim() ?? '')?.[1];
  if (submitted === undefined) {
    return {
      passed: false,
      reason: 'Type the index as a number, like 42.',
      hint: 0,
    };
  }
  const cable = await eth0(ctx.container('bridged'));
  if (cable?.peerIndex === undefined) {
    return {
      passed: false,
      reason: 'The bridged container has no eth0 cable; restart the lab.',
      hint: 0,
    };
  }
  const [ownIndex, peerIndex] = [String(cable.index), String(cable.peerIndex)];
  const links = parseLinks(await hostLinks(ctx));
  const clientPeer = String((await eth0(ctx.container('client')))?.peerIndex ?? '');
  if (submitted === ownIndex && submitted !== peerIndex) {
    return {
      passed: false,
      reason: `${submitted} is eth0's own index, inside the container. The cable has two ends.`,
      hint: 1,
    };
  }
  if (submitted === clientPeer && submitted !== peerIndex) {
    const master = links.find((l) => String(l.index) === submitted)?.master ?? '?';
    return {
      passed: false,
      reason: `${submitted} is the host end of the client container's cable, plugged into ${master} (lab-net), not the bridged container's.`,
      hint: 0,
    };
  }
  if (submitted !== peerIndex) {
    return {
      passed: false,
      reason: `Interface ${submitted} is not the other end of the bridged container's eth0.`,
      hint: 0,
    };
  }
  const hostEnd = links.find((l) => String(l.index) === peerIndex);
  if (hostEnd === undefined) {
    return {
      passed: false,
      reason: `The host-view container sees no interface ${peerIndex}; is it really in the host's network namespace?`,
      hint: 0,
    };
  }
  const sameBridge = links.filter((l) => l.master !== undefined && l.master === hostEnd.master);
  const hostNs = await ctx.host.namespace('net');
  return {
    passed: true,
    reason: `Right. Seen from the host (${hostNs}, through a --network host container), interface ${peerIndex} is ${hostEnd.name}, a veth plugged into ${hostEnd.master ?? 'no bridge'}. The host has ${links.length} interfaces in all; ${sameBridge.length} cable(s) plug into ${hostEnd.master ?? 'that bridge'} right now, one per container on the default bridge on this machine, and with the daemon's default --icc=true they can all reach each other.`,
  };
}

/** icc-off: the answer must be tenant-b's address, after an attempt that reached layer 2 only. */
export async function iccOff(ctx: CheckContext, answer: string | undefined): Promise<CheckOutcome> {
  const submitted = answer?.trim() ?? '';
  const a = await attachment(ctx.container('tenant-a'));
  const b = await attachment(ctx.container('tenant-b'));
  if (a.ip === undefined || b.ip === undefined || a.network !== b.network) {
    return {
      passed: false,
      reason: 'tenant-a and tenant-b are not on the same lab network; restart the lab.',
      hint: 0,
    };
  }
  if (!isIpv4(submitted)) {
    return { passed: false, reason: 'That is not an IPv4 address.', hint: 0 };
  }
  if (submitted === a.ip) {
    return {
      passed: false,
      reason: `${submitted} is tenant-a's own address.`,
      hint: 0,
    };
  }
  if (submitted !== b.ip) {
    return {
      passed: false,
      reason: `tenant-b's name does not resolve to ${submitted} on no-icc.`,
      hint: 0,
    };
  }
  const tenantB = ctx.container('tenant-b');
  const neighbours = arpNeighbours(await tenantB.netTable('arp'));
  if (!neighbours.includes(a.ip)) {
    return {
      passed: false,
      reason: `Right address, but tenant-b has never heard from tenant-a (${a.ip} is not in tenant-b's neighbour table): resolve the name and then really try to reach it.`,
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
      reason: `Traffic got through: tenant-b's stack received ${icmpIn} ICMP message(s) and ${tcpIn} TCP segment(s), and its server logged ${logged} request(s) from tenant-a. Inter-container communication is not blocked on this network.`,
      hint: 1,
    };
  }
  return {
    passed: true,
    reason: `Right: tenant-b is ${b.ip}. Your ARP request reached it (tenant-b now lists ${a.ip} in its neighbour table: layer 2 still works), yet its IP stack received not one ICMP message or TCP segment (/proc/<pid>/net/snmp of tenant-b, read on the host) and its server logged nothing. The host's bridge dropped every IPv4 packet between the two, because the network was created with com.docker.network.bridge.enable_icc=false. DNS answered because the resolver sits in your own container's namespace, not in tenant-b.`,
  };
}
