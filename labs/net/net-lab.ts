// Network namespace lab: every container gets its own network stack. --network none leaves
// only lo (which still works); the default bridge plugs a veth cable into docker0, shared by
// every default container on the machine; a user-defined network adds Docker's DNS, so
// peers answer to their names; with icc disabled the name still resolves but the host's
// bridge drops the traffic. All traffic stays between this session's own containers.
import type { ContainerProfile, LabDefinition } from '../../server/lab-kit.ts';
import { followTheCable, iccOff } from './net-checks.ts';
import {
  WEB_LOG,
  attachment,
  parseLinks,
  readInside,
  requestsFrom,
  snmpCounter,
} from './net-evidence.ts';

const WEB_PORT = 8080;

const SMALL = { memoryMb: 128, pidsLimit: 128, cpus: 0.5 };

/** A helper the learner never types into: python's http.server, logging every request to WEB_LOG. */
function webServer(name: string, title: string, network: string): ContainerProfile {
  return {
    name,
    title,
    terminal: false,
    hostname: name,
    networkMode: { network },
    command: ['sh', '-c', `exec python3 -m http.server ${WEB_PORT} --directory /srv 2>>${WEB_LOG}`],
    memoryMb: 64,
    pidsLimit: 32,
    cpus: 0.25,
  };
}

export const netLab: LabDefinition = {
  id: 'net',
  title: 'Network namespace: who can talk to whom?',
  topic: 'namespaces',
  summary:
    'Each container has its own network stack. Use one with nothing but lo, follow a veth cable to the default bridge, reach a peer by name on a user-defined network, and watch a network with icc disabled resolve the name but drop the traffic.',
  minutes: 15,
  learned: [
    'A network namespace is a whole stack: interfaces, routes, ports; with only lo it is still a working one.',
    'The default bridge joins every container through veth cables into docker0, where they can all reach each other.',
    'User-defined networks give names, and icc=false lets a name resolve while dropping the traffic.',
  ],
  lesson: 'net.md',
  networks: [{ name: 'lab-net' }, { name: 'no-icc', icc: false }],
  containers: [
    { name: 'isolated', title: 'isolated (--network none)', hostname: 'isolated', ...SMALL },
    {
      name: 'bridged',
      title: 'bridged (default bridge)',
      hostname: 'bridged',
      networkMode: 'bridge',
      ...SMALL,
    },
    {
      name: 'client',
      title: 'client (lab-net)',
      hostname: 'client',
      networkMode: { network: 'lab-net' },
      ...SMALL,
    },
    {
      name: 'tenant-a',
      title: 'tenant-a (no-icc)',
      hostname: 'tenant-a',
      networkMode: { network: 'no-icc' },
      ...SMALL,
    },
    webServer('web', 'web (lab-net, no terminal)', 'lab-net'),
    webServer('tenant-b', 'tenant-b (no-icc, no terminal)', 'no-icc'),
    {
      // The host's network namespace, as the engine's host has it: the server enters it with
      // the host's own `ip` to list the host's interfaces. No terminal: a learner's shell with
      // the host's network stack would sit beside every bridge, port and loopback service on
      // the machine, other learners' sessions included.
      name: 'host-view',
      title: 'host-view (--network host, no terminal)',
      terminal: false,
      networkMode: 'host',
      user: 'nobody',
      capDrop: ['ALL'],
      readonlyRootfs: true,
      memoryMb: 32,
      pidsLimit: 16,
      cpus: 0.25,
    },
  ],
  setup: async (ctx) => {
    for (const [name, text] of [
      ['web', 'Hello from web, on lab-net. You reached me through Docker DNS.'],
      ['tenant-b', 'Hello from tenant-b. If you can read this, icc is on.'],
    ] as const) {
      await ctx.exec(name, ['sh', '-c', `echo '${text}' > /srv/index.html`]);
    }
  },
  exercises: [
    {
      id: 'loopback-only',
      title: 'A network of one',
      goal: 'Make a TCP connection succeed inside the isolated container, whose network namespace holds nothing but lo.',
      hints: [
        '`--network none` removes every interface except the loopback, lo. Is lo enough for a connection? Both ends would have to be in this container.',
        'Start something that listens on 127.0.0.1 in the background, then connect to it from the same terminal.',
        'In the isolated terminal: python3 -m http.server 8000 --bind 127.0.0.1 >/dev/null 2>&1 &  then  curl -s --retry 5 --retry-connrefused http://127.0.0.1:8000/ | head -3',
      ],
      check: async (ctx) => {
        const isolated = ctx.container('isolated');
        const info = await isolated.inspect();
        if (info.HostConfig.NetworkMode !== 'none') {
          return {
            passed: false,
            reason: `The isolated container runs with --network=${info.HostConfig.NetworkMode ?? '?'}, not none; this lab expects none.`,
            hint: 0,
          };
        }
        const links = parseLinks(await isolated.netLinks());
        const names = links.map((l) => l.name);
        if (names.length !== 1 || names[0] !== 'lo') {
          return {
            passed: false,
            reason: `The isolated namespace has interfaces ${names.join(', ')}; it should have only lo.`,
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
                ? `Something tried to connect (Tcp ActiveOpens = ${opened}) but no connection was accepted: is anything listening on that port?`
                : 'The kernel has not accepted a single TCP connection in the isolated network namespace yet (its Tcp PassiveOpens counter is 0).',
            hint: opened > 0 ? 1 : 0,
          };
        }
        const own = await isolated.namespace('net');
        const host = await ctx.host.namespace('net');
        return {
          passed: true,
          reason: `The kernel counted ${accepted} accepted TCP connection(s) in ${own}, a namespace whose only interface is lo: both ends were in the container. That 127.0.0.1 is not the host's (the host is ${host}); nothing outside can reach your server, and nothing inside can reach out.`,
        };
      },
      // Text about a connection is not a connection; a connection nobody accepts is not one either.
      cheat: [
        { terminal: 'isolated', input: "echo 'HTTP/1.0 200 OK' > /tmp/served; cat /tmp/served" },
        { terminal: 'isolated', input: 'curl -s --max-time 2 http://127.0.0.1:8000/; echo rc=$?' },
      ],
      solution: [
        {
          terminal: 'isolated',
          input: 'python3 -m http.server 8000 --bind 127.0.0.1 >/dev/null 2>&1 &',
        },
        {
          terminal: 'isolated',
          input:
            'curl -s --retry 5 --retry-connrefused --retry-delay 1 http://127.0.0.1:8000/ | head -3',
        },
      ],
    },
    {
      id: 'follow-the-cable',
      title: 'Follow the cable',
      goal: "Report the host's interface index at the other end of the bridged container's eth0.",
      answer: { label: 'Host-side interface index', placeholder: '42' },
      hints: [
        'eth0 in a bridged container is one end of a veth pair, a virtual cable. `ip -o link show eth0` names the other end.',
        'That number is the index of your own end. The other end is the number after "@if".',
        'In the bridged terminal: ip -o link show eth0   (eth0@if<N>: N is the answer)',
      ],
      check: followTheCable,
      solution: [
        {
          terminal: 'bridged',
          input: 'ip -o link show eth0 | cut -d: -f1-2',
          capture: /eth0@if(\d+)/,
        },
      ],
      // The container's own end of the cable, read from the kernel: the wrong end.
      cheat: [
        {
          terminal: 'bridged',
          input: 'echo own-index=$(cat /sys/class/net/eth0/ifindex)',
          capture: /own-index=(\d+)/,
        },
      ],
    },
    {
      id: 'by-name',
      title: 'Call a peer by its name',
      goal: 'Get a page from the web container, from the client terminal on lab-net, by its name.',
      hints: [
        'client and web share the user-defined network lab-net. On such a network Docker runs a DNS server (127.0.0.11) that knows every container by its name.',
        'web runs an HTTP server on port 8080. Ask for it by name: `getent hosts web` shows what the name resolves to.',
        'In the client terminal: curl -s http://web:8080/',
      ],
      check: async (ctx) => {
        const client = await attachment(ctx.container('client'));
        const web = await attachment(ctx.container('web'));
        if (client.network !== web.network || client.ip === undefined) {
          return {
            passed: false,
            reason: 'client and web are not on the same lab network; restart the lab.',
            hint: 0,
          };
        }
        const log = await readInside(ctx.container('web'), WEB_LOG);
        const requests = requestsFrom(log, client.ip);
        if (requests.length === 0) {
          return {
            passed: false,
            reason: `web's access log (read inside web, where you have no terminal) shows no request from ${client.ip}, client's address on lab-net.`,
            hint: 0,
          };
        }
        return {
          passed: true,
          reason: `web's own log shows ${requests.length} request(s) from ${client.ip}, the client container's address on lab-net. The name web stands for ${web.ip ?? '?'} there, answered by Docker's embedded DNS; the packets crossed the network's bridge on the host, and nothing left the machine (the network is --internal).`,
        };
      },
      // Writing the log line yourself writes client's file, not web's.
      cheat: [
        {
          terminal: 'client',
          input: `echo "$(hostname -i) - - [now] \\"GET / HTTP/1.1\\" 200 -" >> ${WEB_LOG}; tail -1 ${WEB_LOG}`,
        },
      ],
      solution: [
        { terminal: 'client', input: 'getent hosts web' },
        { terminal: 'client', input: `curl -s --max-time 5 http://web:${WEB_PORT}/` },
      ],
    },
    {
      id: 'icc-off',
      title: 'A name without a route',
      goal: "Show that on the no-icc network tenant-b's name resolves but nothing you send reaches it: report the address the name resolves to, after trying.",
      answer: { label: "tenant-b's address", placeholder: '172.18.0.2' },
      hints: [
        "Names on a user-defined network are answered by Docker's DNS in your own container: resolving costs tenant-b nothing. `getent hosts tenant-b`.",
        'Now try to reach that address (curl with a timeout, or ping). The check looks for the traces your attempt left at tenant-b.',
        'In the tenant-a terminal: getent hosts tenant-b; curl -s --max-time 3 http://tenant-b:8080/; ping -c 2 -W 1 tenant-b',
      ],
      check: iccOff,
      // The right name lookup, without ever trying to reach tenant-b.
      cheat: [
        {
          terminal: 'tenant-a',
          input: 'getent hosts tenant-b',
          capture: /^(\d+\.\d+\.\d+\.\d+)\s+tenant-b/m,
        },
      ],
      solution: [
        {
          terminal: 'tenant-a',
          input: `curl -s --max-time 3 http://tenant-b:${WEB_PORT}/; echo curl-exit=$?`,
        },
        { terminal: 'tenant-a', input: 'ping -c 2 -W 1 tenant-b' },
        {
          terminal: 'tenant-a',
          input: 'getent hosts tenant-b',
          capture: /^(\d+\.\d+\.\d+\.\d+)\s+tenant-b/m,
        },
      ],
    },
  ],
};
