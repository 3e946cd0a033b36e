// Reading a container's network as the kernel keeps it, from the host: the per-namespace
// counters in /proc/<pid>/net/snmp, the interface list the host's `ip -o link` prints in that
// network namespace, the neighbour (ARP) table, and the access log of the lab's small web
// servers (read through /proc/<pid>/root). Parsers are pure so they can be tested.
import type { ContainerEvidence } from '../../server/lab-kit.ts';

/** /proc/net/snmp as { Tcp: { PassiveOpens: 3, ... }, IcmpMsg: { InType0: 1, ... } }. */
export function parseSnmp(text: string): Record<string, Record<string, number>> {
  const tables: Record<string, Record<string, number>> = {};
  const lines = text.split('\n');
  for (let i = 0; i + 1 < lines.length; i += 1) {
    const head = lines[i]?.split(/\s+/) ?? [];
    const values = lines[i + 1]?.split(/\s+/) ?? [];
    const name = head[0];
    if (name === undefined || !name.endsWith(':') || values[0] !== name) continue;
    if (values.slice(1).some((v) => !/^-?\d+$/.test(v))) continue;
    const table: Record<string, number> = {};
    head.slice(1).forEach((field, k) => {
      table[field] = Number(values[k + 1]);
    });
    tables[name.slice(0, -1)] = table;
    i += 1;
  }
  return tables;
}

/** One counter from /proc/net/snmp, 0 when the kernel did not print it (nothing counted yet). */
export function snmpCounter(text: string, table: string, field: string): number {
  return parseSnmp(text)[table]?.[field] ?? 0;
}

export interface Link {
  index: number;
  name: string;
  /** The peer's interface index, for veth pairs ("eth0@if65"). */
  peerIndex: number | undefined;
  /** The bridge this interface is plugged into ("master docker0"). */
  master: string | undefined;
}

/** Parses `ip -o link` output: one interface per line. */
export function parseLinks(text: string): Link[] {
  const links: Link[] = [];
  for (const line of text.split('\n')) {
    const match = /^(\d+):\s+([^:@\s]+)(?:@if(\d+)|@[^:\s]+)?:/.exec(line);
    if (match === null) continue;
    const master = /\smaster\s+(\S+)/.exec(line)?.[1];
    links.push({
      index: Number(match[1]),
      name: match[2] ?? '',
      peerIndex: match[3] === undefined ? undefined : Number(match[3]),
      master,
    });
  }
  return links;
}

/** IPv4 addresses in a neighbour table (/proc/net/arp) with a resolved hardware address. */
export function arpNeighbours(procNetArp: string): string[] {
  return procNetArp
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 4 && f[3] !== '00:00:00:00:00:00')
    .map((f) => f[0] ?? '');
}

/** Where the lab's small web servers write their access log (inside their own container). */
export const WEB_LOG = '/var/log/web.log';

/** Requests from `ip` in a python http.server access log ("172.18.0.3 - - [...] "GET / HTTP/1.1" 200 -"). */
export function requestsFrom(accessLog: string, ip: string): string[] {
  return accessLog
    .split('\n')
    .filter((line) => line.split(' ')[0] === ip && /"[A-Z]+ \S+ HTTP\/[\d.]+"/.test(line));
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;

export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

/** The network a container was started on (its NetworkMode) and its address there. */
export async function attachment(
  container: ContainerEvidence,
): Promise<{ network: string; ip: string | undefined }> {
  const info = await container.inspect();
  const network = info.HostConfig.NetworkMode ?? '';
  const ip = info.NetworkSettings.Networks[network]?.IPAddress;
  return { network, ip: ip === undefined || ip === '' ? undefined : ip };
}

/** Reads a file of a container through the host's /proc/<pid>/root; a missing file reads as empty. */
export async function readInside(container: ContainerEvidence, file: string): Promise<string> {
  return (await container.readFile(file)) ?? '';
}

/** The container's eth0 as its own network namespace lists it (index and the peer's index). */
export async function eth0(container: ContainerEvidence): Promise<Link | undefined> {
  return parseLinks(await container.netLinks()).find((l) => l.name === 'eth0');
}
