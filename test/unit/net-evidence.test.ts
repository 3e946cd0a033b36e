import { describe, expect, it } from 'vitest';
import {
  arpNeighbours,
  isIpv4,
  parseLinks,
  requestsFrom,
  snmpCounter,
} from '../../labs/net/net-evidence.ts';

const SNMP = `Ip: Forwarding DefaultTTL InReceives
Ip: 1 64 7
Icmp: InMsgs InErrors
Icmp: 2 0
IcmpMsg: InType0 OutType8
IcmpMsg: 1 1
Tcp: RtoAlgorithm ActiveOpens PassiveOpens InSegs
Tcp: 1 3 2 12
`;

describe('snmpCounter', () => {
  it('reads a counter by table and field', () => {
    expect(snmpCounter(SNMP, 'Tcp', 'PassiveOpens')).toBe(2);
    expect(snmpCounter(SNMP, 'IcmpMsg', 'InType0')).toBe(1);
    expect(snmpCounter(SNMP, 'Ip', 'InReceives')).toBe(7);
  });

  it('reads a table or field the kernel did not print as 0', () => {
    expect(snmpCounter(SNMP, 'Udp', 'InDatagrams')).toBe(0);
    expect(snmpCounter(SNMP, 'Tcp', 'Nope')).toBe(0);
    expect(snmpCounter('', 'Tcp', 'InSegs')).toBe(0);
  });
});

describe('parseLinks', () => {
  it('reads index, name, veth peer and bridge', () => {
    const links = parseLinks(
      [
        '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
        '5: docker0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default \\    link/ether 02:42:fa:2a:60:e9 brd ff:ff:ff:ff:ff:ff',
        '65: vethe2e2f46@if64: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master docker0 state UP mode DEFAULT group default \\    link/ether 86:c6:f2:a3:4b:01',
        '82: eth0@if83: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP',
      ].join('\n'),
    );
    expect(links).toEqual([
      { index: 1, name: 'lo', peerIndex: undefined, master: undefined },
      { index: 5, name: 'docker0', peerIndex: undefined, master: undefined },
      { index: 65, name: 'vethe2e2f46', peerIndex: 64, master: 'docker0' },
      { index: 82, name: 'eth0', peerIndex: 83, master: undefined },
    ]);
  });
});

describe('arpNeighbours', () => {
  it('lists resolved entries only', () => {
    const arp = `IP address       HW type     Flags       HW address            Mask     Device
172.18.0.3       0x1         0x2         02:42:ac:12:00:03     *        eth0
172.18.0.9       0x1         0x0         00:00:00:00:00:00     *        eth0
`;
    expect(arpNeighbours(arp)).toEqual(['172.18.0.3']);
  });
});

describe('requestsFrom', () => {
  const log = `172.23.0.3 - - [22/Nov/2026 14:18:31] "GET / HTTP/1.1" 200 -
172.23.0.30 - - [22/Nov/2026 14:18:31] "GET / HTTP/1.1" 200 -
172.23.0.3 - - [22/Nov/2026 14:18:31] code 400, message Bad request syntax
`;
  it('counts only well-formed requests from exactly that address', () => {
    expect(requestsFrom(log, '172.23.0.3')).toHaveLength(1);
    expect(requestsFrom(log, '172.23.0.4')).toHaveLength(0);
  });
});

describe('isIpv4', () => {
  it.each(['172.17.0.2', '10.0.0.1'])('accepts %s', (ip) => expect(isIpv4(ip)).toBe(true));
  it.each(['172.17.0', '256.1.1.1', 'tenant-b', '', '1.2.3.4 '])('rejects %j', (ip) =>
    expect(isIpv4(ip)).toBe(false),
  );
});
