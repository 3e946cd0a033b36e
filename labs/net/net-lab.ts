// Network namespace lab: every container gets its own network stack. --network none leaves
// only lo (which still works); the default bridge plugs a veth cable into docker0, shared by
// every default container on the machine; a user-defined network adds Docker's DNS, so
// peers answer to their names; with icc disabled the name still resolves but the host's
// bridge drops the traffic. All traffic stays between this session's own containers.
import type { ContainerProfile, LabDefinition } from '../../server/lab-kit.ts';
import { type Localized, t } from '../shared/localized.ts';
import { byName, loopbackOnly } from './lo-and-name-checks.ts';
import { followTheCable, iccOff } from './net-checks.ts';
import { WEB_LOG } from './net-evidence.ts';

const WEB_PORT = 8080;

const SMALL = { memoryMb: 128, pidsLimit: 128, cpus: 0.5 };

/** A helper the learner never types into: python's http.server, logging every request to WEB_LOG. */
function webServer(name: string, title: Localized, network: string): ContainerProfile {
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
  title: t('Network namespace: who can talk to whom?', '网络命名空间：谁能与谁通信？'),
  topic: 'namespaces',
  summary: t(
    'Each container has its own network stack. Use one with nothing but lo, follow a veth cable to the default bridge, reach a peer by name on a user-defined network, and watch a network with icc disabled resolve the name but drop the traffic.',
    '每个容器都有自己的网络协议栈。使用一个只有 lo 的协议栈，顺着一根 veth 网线找到默认网桥，在用户自定义网络上按名字访问对端，再看禁用了 icc 的网络如何解析出名字却丢弃流量。',
  ),
  minutes: 15,
  learned: [
    t(
      'A network namespace is a whole stack: interfaces, routes, ports; with only lo it is still a working one.',
      '网络命名空间是一个完整的协议栈：接口、路由、端口；即使只有 lo，它仍然是一个能工作的协议栈。',
    ),
    t(
      'The default bridge joins every container through veth cables into docker0, where they can all reach each other.',
      '默认网桥通过 veth 网线把每个容器都接入 docker0，在那里它们彼此全都可达。',
    ),
    t(
      'User-defined networks give names, and icc=false lets a name resolve while dropping the traffic.',
      '用户自定义网络提供名字解析，而 icc=false 让名字照常解析，同时丢弃流量。',
    ),
  ],
  lesson: 'net.md',
  networks: [{ name: 'lab-net' }, { name: 'no-icc', icc: false }],
  containers: [
    {
      name: 'isolated',
      title: t('isolated (--network none)', 'isolated（--network none）'),
      hostname: 'isolated',
      ...SMALL,
    },
    {
      name: 'bridged',
      title: t('bridged (default bridge)', 'bridged（默认网桥）'),
      hostname: 'bridged',
      networkMode: 'bridge',
      ...SMALL,
    },
    {
      name: 'client',
      title: t('client (lab-net)', 'client（lab-net）'),
      hostname: 'client',
      networkMode: { network: 'lab-net' },
      ...SMALL,
    },
    {
      name: 'tenant-a',
      title: t('tenant-a (no-icc)', 'tenant-a（no-icc）'),
      hostname: 'tenant-a',
      networkMode: { network: 'no-icc' },
      ...SMALL,
    },
    webServer('web', t('web (lab-net, no terminal)', 'web（lab-net，无终端）'), 'lab-net'),
    webServer(
      'tenant-b',
      t('tenant-b (no-icc, no terminal)', 'tenant-b（no-icc，无终端）'),
      'no-icc',
    ),
    {
      // The host's network namespace, as the engine's host has it: the server enters it with
      // the host's own `ip` to list the host's interfaces. No terminal: a learner's shell with
      // the host's network stack would sit beside every bridge, port and loopback service on
      // the machine, other learners' sessions included.
      name: 'host-view',
      title: t('host-view (--network host, no terminal)', 'host-view（--network host，无终端）'),
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
      title: t('A network of one', '只有一个成员的网络'),
      goal: t(
        'Make a TCP connection succeed inside the isolated container, whose network namespace holds nothing but lo.',
        '在 isolated 容器内成功建立一条 TCP 连接；这个容器的网络命名空间里只有 lo。',
      ),
      hints: [
        t(
          '`--network none` removes every interface except the loopback, lo. Is lo enough for a connection? Both ends would have to be in this container.',
          '`--network none` 去掉了除回环接口 lo 之外的所有接口。lo 足以建立一条连接吗？连接的两端都得在这个容器里。',
        ),
        t(
          'Start something that listens on 127.0.0.1 in the background, then connect to it from the same terminal.',
          '在后台启动一个监听 127.0.0.1 的程序，然后在同一个终端里连接它。',
        ),
        t(
          'In the isolated terminal: python3 -m http.server 8000 --bind 127.0.0.1 >/dev/null 2>&1 &  then  curl -s --retry 5 --retry-connrefused http://127.0.0.1:8000/ | head -3',
          '在 isolated 终端中：python3 -m http.server 8000 --bind 127.0.0.1 >/dev/null 2>&1 &  然后  curl -s --retry 5 --retry-connrefused http://127.0.0.1:8000/ | head -3',
        ),
      ],
      check: loopbackOnly,
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
      title: t('Follow the cable', '顺着网线找过去'),
      goal: t(
        "Report the host's interface index at the other end of the bridged container's eth0.",
        '报告 bridged 容器 eth0 另一端在宿主机上的接口索引。',
      ),
      answer: {
        label: t('Host-side interface index', '宿主机一侧的接口索引'),
        placeholder: t('42', '42'),
      },
      hints: [
        t(
          'eth0 in a bridged container is one end of a veth pair, a virtual cable. `ip -o link show eth0` names the other end.',
          '接在网桥上的容器里，eth0 是一对 veth pair（一根虚拟网线）的一端。`ip -o link show eth0` 会给出另一端。',
        ),
        t(
          'That number is the index of your own end. The other end is the number after "@if".',
          '这个数字是你这一端的索引。另一端是“@if”后面的数字。',
        ),
        t(
          'In the bridged terminal: ip -o link show eth0   (eth0@if<N>: N is the answer)',
          '在 bridged 终端中：ip -o link show eth0   （eth0@if<N>：N 就是答案）',
        ),
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
      title: t('Call a peer by its name', '按名字呼叫对端'),
      goal: t(
        'Get a page from the web container, from the client terminal on lab-net, by its name.',
        '在 lab-net 上的 client 终端里，按名字从 web 容器获取一个页面。',
      ),
      hints: [
        t(
          'client and web share the user-defined network lab-net. On such a network Docker runs a DNS server (127.0.0.11) that knows every container by its name.',
          'client 和 web 共享用户自定义网络 lab-net。在这样的网络上，Docker 运行着一个 DNS 服务器（127.0.0.11），它按名字认识每个容器。',
        ),
        t(
          'web runs an HTTP server on port 8080. Ask for it by name: `getent hosts web` shows what the name resolves to.',
          'web 在 8080 端口上运行一个 HTTP 服务器。按名字访问它：`getent hosts web` 会显示这个名字解析成什么。',
        ),
        t(
          'In the client terminal: curl -s http://web:8080/',
          '在 client 终端中：curl -s http://web:8080/',
        ),
      ],
      check: byName,
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
      title: t('A name without a route', '有名字，没有路'),
      goal: t(
        "Show that on the no-icc network tenant-b's name resolves but nothing you send reaches it: report the address the name resolves to, after trying.",
        '证明在 no-icc 网络上，tenant-b 的名字能够解析，但你发出的任何东西都到达不了它：在尝试之后，报告这个名字解析出的地址。',
      ),
      answer: {
        label: t("tenant-b's address", 'tenant-b 的地址'),
        placeholder: t('172.18.0.2', '172.18.0.2'),
      },
      hints: [
        t(
          "Names on a user-defined network are answered by Docker's DNS in your own container: resolving costs tenant-b nothing. `getent hosts tenant-b`.",
          '用户自定义网络上的名字由你自己容器里的 Docker DNS 解析：解析名字不会惊动 tenant-b。`getent hosts tenant-b`。',
        ),
        t(
          'Now try to reach that address (curl with a timeout, or ping). The check looks for the traces your attempt left at tenant-b.',
          '现在尝试访问这个地址（带超时的 curl，或 ping）。检查程序会寻找你的尝试在 tenant-b 那里留下的痕迹。',
        ),
        t(
          'In the tenant-a terminal: getent hosts tenant-b; curl -s --max-time 3 http://tenant-b:8080/; ping -c 2 -W 1 tenant-b',
          '在 tenant-a 终端中：getent hosts tenant-b; curl -s --max-time 3 http://tenant-b:8080/; ping -c 2 -W 1 tenant-b',
        ),
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
