// The net lab's two shorter checks, read from the host side: whether the isolated container's
// namespace, with nothing but lo, accepted a TCP connection (its own /proc/<pid>/net/snmp
// counters), and whether web logged a request from the client container's address on lab-net.
import type { CheckContext, CheckOutcome } from '../../server/lab-kit.ts';
import {
  WEB_LOG,
  attachment,
  parseLinks,
  readInside,
  requestsFrom,
  snmpCounter,
} from './net-evidence.ts';
import { t } from '../shared/localized.ts';

/** loopback-only: the isolated namespace, lo alone, has accepted a TCP connection. */
export async function loopbackOnly(ctx: CheckContext): Promise<CheckOutcome> {
  const isolated = ctx.container('isolated');
  const info = await isolated.inspect();
  if (info.HostConfig.NetworkMode !== 'none') {
    return {
      passed: false,
      reason: t(
        `The isolated container runs with --network=${info.HostConfig.NetworkMode ?? '?'}, not none; this lab expects none.`,
        `isolated 容器以 --network=${info.HostConfig.NetworkMode ?? '?'} 运行，而不是 none；本实验要求 none。`,
      ),
      hint: 0,
    };
  }
  const links = parseLinks(await isolated.netLinks());
  const names = links.map((l) => l.name);
  if (names.length !== 1 || names[0] !== 'lo') {
    return {
      passed: false,
      reason: t(
        `The isolated namespace has interfaces ${names.join(', ')}; it should have only lo.`,
        `isolated 的命名空间里有接口 ${names.join(', ')}；它应该只有 lo。`,
      ),
      hint: 0,
    };
  }
  const snmp = await isolated.netTable('snmp');
  const accepted = snmpCounter(snmp, 'Tcp', 'PassiveOpens');
  const opened = snmpCounter(snmp, 'Tcp', 'ActiveOpens');
  if (accepted === 0) {
    return {
      passed: false,
      reason:
        opened > 0
          ? t(
              `Something tried to connect (Tcp ActiveOpens = ${opened}) but no connection was accepted: is anything listening on that port?`,
              `有程序尝试过连接（Tcp ActiveOpens = ${opened}），但没有连接被接受：那个端口上有程序在监听吗？`,
            )
          : t(
              'The kernel has not accepted a single TCP connection in the isolated network namespace yet (its Tcp PassiveOpens counter is 0).',
              '内核在 isolated 的网络命名空间中还没有接受过任何一条 TCP 连接（其 Tcp PassiveOpens 计数器为 0）。',
            ),
      hint: opened > 0 ? 1 : 0,
    };
  }
  const own = await isolated.namespace('net');
  const host = await ctx.host.namespace('net');
  return {
    passed: true,
    reason: t(
      `The kernel counted ${accepted} accepted TCP connection(s) in ${own}, a namespace whose only interface is lo: both ends were in the container. That 127.0.0.1 is not the host's (the host is ${host}); nothing outside can reach your server, and nothing inside can reach out.`,
      `内核在 ${own} 中记录了 ${accepted} 条被接受的 TCP 连接，而这个命名空间唯一的接口是 lo：连接的两端都在容器里。这个 127.0.0.1 不是宿主机的（宿主机的是 ${host}）；外面的任何东西都到达不了你的服务器，里面的任何东西也出不去。`,
    ),
  };
}

/** by-name: web's own access log holds a request from client's address on lab-net. */
export async function byName(ctx: CheckContext): Promise<CheckOutcome> {
  const client = await attachment(ctx.container('client'));
  const web = await attachment(ctx.container('web'));
  if (client.network !== web.network || client.ip === undefined) {
    return {
      passed: false,
      reason: t(
        'client and web are not on the same lab network; restart the lab.',
        'client 和 web 不在同一个实验网络上；请重新启动实验。',
      ),
      hint: 0,
    };
  }
  const log = await readInside(ctx.container('web'), WEB_LOG);
  const requests = requestsFrom(log, client.ip);
  if (requests.length === 0) {
    return {
      passed: false,
      reason: t(
        `web's access log (read inside web, where you have no terminal) shows no request from ${client.ip}, client's address on lab-net.`,
        `web 的访问日志（在 web 内部读取，你在那里没有终端）中没有来自 ${client.ip}（client 在 lab-net 上的地址）的请求。`,
      ),
      hint: 0,
    };
  }
  return {
    passed: true,
    reason: t(
      `web's own log shows ${requests.length} request(s) from ${client.ip}, the client container's address on lab-net. The name web stands for ${web.ip ?? '?'} there, answered by Docker's embedded DNS; the packets crossed the network's bridge on the host, and nothing left the machine (the network is --internal).`,
      `web 自己的日志显示有 ${requests.length} 个请求来自 ${client.ip}，即 client 容器在 lab-net 上的地址。在那个网络上，web 这个名字代表 ${web.ip ?? '?'}，由 Docker 内嵌的 DNS 解析；数据包穿过了该网络在宿主机上的网桥，没有任何东西离开这台机器（这个网络是 --internal 的）。`,
    ),
  };
}
