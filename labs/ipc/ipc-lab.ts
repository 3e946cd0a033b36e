// IPC namespace lab: System V shared memory, message queues and semaphores live in an IPC
// namespace. A container that joins another's (--ipc=container:x, allowed only when the
// donor was started --ipc=shareable) sees and can destroy its objects; a container with the
// default private namespace sees none of them, and cannot be joined at all. The checks list a
// namespace's objects with the host's own cat in that IPC namespace alone (/proc/sysvipc/*),
// never with a program of the container's.
import type { LabDefinition } from '../../server/lab-kit.ts';
import { runWithPlantedValue } from '../shared/planted-value.ts';
import { t } from '../shared/localized.ts';
import { formatKey, list, plantedQueueKey, submittedKey, wiring } from './ipc-objects.ts';

export {
  type IpcObject,
  formatKey,
  parseSysvIpc,
  plantedQueueKey,
  submittedKey,
} from './ipc-objects.ts';

// Creates a message queue with a given key and leaves one message in it (run by set-up,
// with the standard library only: the image has no SysV IPC module for Python).
const PLANT_QUEUE = `
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
qid = libc.msgget(int(planted), 0o1600)
if qid < 0:
    raise OSError(ctypes.get_errno(), "msgget")
text = b"hello from the owner container"
class Msg(ctypes.Structure):
    _fields_ = [("mtype", ctypes.c_long), ("mtext", ctypes.c_char * len(text))]
if libc.msgsnd(qid, ctypes.byref(Msg(1, text)), len(text), 0) < 0:
    raise OSError(ctypes.get_errno(), "msgsnd")
`;

const SMALL = { memoryMb: 128, pidsLimit: 128, cpus: 0.5 };

export const ipcLab: LabDefinition = {
  id: 'ipc',
  title: t('IPC namespace: whose shared memory is it?', 'IPC 命名空间：这是谁的共享内存？'),
  topic: 'namespaces',
  summary: t(
    'System V shared memory and message queues belong to an IPC namespace. Share one between two containers and watch objects cross over, while a private container sees nothing and cannot be joined.',
    'System V 共享内存和消息队列属于 IPC 命名空间。让两个容器共享同一个命名空间，看着对象跨越过去；而私有的容器什么也看不到，也无法被加入。',
  ),
  minutes: 10,
  learned: [
    t(
      'System V shared memory and message queues belong to an IPC namespace, not to a container.',
      'System V 共享内存和消息队列属于 IPC 命名空间，而不属于某个容器。',
    ),
    t(
      "Containers sharing one (--ipc=container:…) can read and destroy each other's objects; a private one sees none.",
      '共享同一个 IPC 命名空间的容器（--ipc=container:…）能读取和销毁彼此的对象；私有的容器一个也看不到。',
    ),
  ],
  lesson: 'ipc.md',
  containers: [
    {
      name: 'owner',
      title: t('owner (--ipc=shareable)', 'owner（--ipc=shareable）'),
      hostname: 'owner',
      ipcMode: 'shareable',
      ...SMALL,
    },
    {
      name: 'peer',
      title: t('peer (--ipc=container:owner)', 'peer（--ipc=container:owner）'),
      hostname: 'peer',
      ipcMode: { container: 'owner' },
      ...SMALL,
    },
    { name: 'isolated', title: t('isolated', 'isolated'), hostname: 'isolated', ...SMALL },
  ],
  setup: async (ctx) => {
    // The key is this session's answer: planted from the host, so it is on no command line.
    await runWithPlantedValue(ctx, 'owner', String(plantedQueueKey(ctx.sessionToken)), PLANT_QUEUE);
  },
  exercises: [
    {
      id: 'shared-segment',
      title: t('Memory that crosses over', '跨越边界的内存'),
      goal: t(
        'Create a System V shared memory segment that the peer container can see and the isolated container cannot.',
        '创建一个 System V 共享内存段，让 peer 容器能看到它，而 isolated 容器看不到。',
      ),
      hints: [
        t(
          'Shared memory segments live in an IPC namespace. Which of your containers share one? Compare readlink /proc/self/ns/ipc in all three.',
          '共享内存段存在于 IPC 命名空间中。你的哪些容器共享同一个？在三个容器里分别运行 readlink /proc/self/ns/ipc 比较一下。',
        ),
        t(
          "A segment made in the isolated container stays in the isolated container's own namespace. Make it in the owner (or the peer).",
          '在 isolated 容器里创建的共享内存段只留在 isolated 容器自己的命名空间中。请在 owner（或 peer）中创建。',
        ),
        t(
          'In the owner terminal: ipcmk -M 4096; then in the peer terminal: ipcs -m',
          '在 owner 终端中：ipcmk -M 4096；然后在 peer 终端中：ipcs -m',
        ),
      ],
      check: async (ctx) => {
        const wrong = await wiring(ctx);
        if (wrong !== undefined) return { passed: false, reason: wrong, hint: 0 };
        const [shared, isolated] = await Promise.all([
          list(ctx, 'peer', 'shm'),
          list(ctx, 'isolated', 'shm'),
        ]);
        const isolatedKeys = new Set(isolated.map((o) => o.key));
        const crossing = shared.filter((o) => !isolatedKeys.has(o.key));
        const first = crossing[0];
        if (first !== undefined) {
          return {
            passed: true,
            reason: t(
              `The peer sees segment ${first.key} (shmid ${first.id}); the isolated container's namespace has ${isolated.length === 0 ? 'no segments' : `${isolated.length} of its own, none of them this one`}. The server read both namespaces' tables (/proc/sysvipc/shm) from the host, entering each IPC namespace alone.`,
              `peer 能看到共享内存段 ${first.key}（shmid ${first.id}）；isolated 容器的命名空间里${isolated.length === 0 ? '没有任何共享内存段' : `有 ${isolated.length} 个它自己的段，但都不是这一个`}。服务器从宿主机上读取了两个命名空间的表（/proc/sysvipc/shm），每次只单独进入一个 IPC 命名空间。`,
            ),
          };
        }
        if (isolated.length > 0) {
          return {
            passed: false,
            reason: t(
              `The isolated container has ${isolated.length} segment(s), but they exist only in its own IPC namespace: the peer sees none.`,
              `isolated 容器有 ${isolated.length} 个共享内存段，但它们只存在于它自己的 IPC 命名空间中：peer 一个也看不到。`,
            ),
            hint: 1,
          };
        }
        return {
          passed: false,
          reason: t('The peer sees no shared memory segment.', 'peer 看不到任何共享内存段。'),
          hint: 0,
        };
      },
      solution: [
        { terminal: 'owner', input: 'ipcmk -M 4096' },
        { terminal: 'peer', input: 'ipcs -m' },
      ],
      // A segment made in the wrong namespace.
      cheat: [{ terminal: 'isolated', input: 'ipcmk -M 4096' }],
    },
    {
      id: 'queue-key',
      title: t('The lab left a message', '实验留下了一条消息'),
      goal: t(
        'The lab created a message queue in the owner container: report its key as the peer container sees it.',
        '实验在 owner 容器中创建了一个消息队列：报告 peer 容器看到的它的键。',
      ),
      answer: {
        label: t('Queue key', '队列的键'),
        placeholder: t('0x1a2b3c4d', '0x1a2b3c4d'),
      },
      hints: [
        t(
          "Message queues are IPC objects too, named by a 32-bit key. Which containers can see the owner's?",
          '消息队列也是 IPC 对象，以一个 32 位的键命名。哪些容器能看到 owner 的消息队列？',
        ),
        t(
          "That queue exists only in the isolated container's own namespace. List the queues in the peer terminal.",
          '这个队列只存在于 isolated 容器自己的命名空间中。请在 peer 终端里列出队列。',
        ),
        t(
          'In the peer terminal: ipcs -q (the key is the first column)',
          '在 peer 终端中：ipcs -q（键在第一列）',
        ),
      ],
      check: async (ctx, answer) => {
        const wrong = await wiring(ctx);
        if (wrong !== undefined) return { passed: false, reason: wrong, hint: 0 };
        const submitted = submittedKey(answer ?? '');
        const truth = formatKey(plantedQueueKey(ctx.sessionToken));
        if (submitted !== undefined && 'key' in submitted && submitted.key === truth) {
          return {
            passed: true,
            reason: t(
              `Right: ${truth}. The key was made for your session and the queue exists only in the IPC namespace that owner and peer share; the isolated container's ipcs cannot list it.`,
              `正确：${truth}。这个键是为你的会话生成的，而这个队列只存在于 owner 和 peer 共享的 IPC 命名空间中；isolated 容器的 ipcs 列不出它。`,
            ),
          };
        }
        if (submitted === undefined) {
          return {
            passed: false,
            reason: t('A key looks like 0x1a2b3c4d.', '键的样子是 0x1a2b3c4d 这样的。'),
            hint: 0,
          };
        }
        if ('id' in submitted) {
          return {
            passed: false,
            reason: t(
              `${submitted.id} looks like a msqid: ids are numbered within each namespace, so every container's first queue is 0. The key is the first column of ipcs -q.`,
              `${submitted.id} 看起来是一个 msqid：id 在每个命名空间内各自编号，所以每个容器的第一个队列都是 0。键是 ipcs -q 的第一列。`,
            ),
            hint: 2,
          };
        }
        const isolated = await list(ctx, 'isolated', 'msg');
        if (isolated.some((o) => o.key === submitted.key)) {
          return {
            passed: false,
            reason: t(
              `${submitted.key} is a queue in the isolated container's own namespace, not the lab's.`,
              `${submitted.key} 是 isolated 容器自己命名空间中的队列，不是实验的那个。`,
            ),
            hint: 1,
          };
        }
        return {
          passed: false,
          reason: t(
            `The lab's queue does not have key ${submitted.key}.`,
            `实验的队列的键不是 ${submitted.key}。`,
          ),
          hint: 1,
        };
      },
      solution: [{ terminal: 'peer', input: 'ipcs -q', capture: /^(0x[0-9a-f]{8})\s+\d+\s/m }],
      // A queue of one's own, in the wrong namespace.
      cheat: [
        {
          terminal: 'isolated',
          input: 'ipcmk -Q >/dev/null; ipcs -q',
          capture: /^(0x[0-9a-f]{8})\s+\d+\s/m,
        },
      ],
    },
    {
      id: 'destroy-queue',
      title: t('Seeing is touching', '看得见就动得了'),
      goal: t(
        'From the peer container, destroy the message queue the lab created in the owner container.',
        '从 peer 容器中销毁实验在 owner 容器里创建的消息队列。',
      ),
      hints: [
        t(
          'Sharing an IPC namespace shares every object in it, with no notion of which container made it. The isolated container cannot even name the queue.',
          '共享一个 IPC 命名空间，就共享了其中的每个对象，而不区分它是哪个容器创建的。isolated 容器甚至无法指明这个队列。',
        ),
        t(
          'ipcrm removes IPC objects by id or key; run it where the queue is visible.',
          'ipcrm 按 id 或键删除 IPC 对象；在能看到这个队列的地方运行它。',
        ),
        t(
          'In the peer terminal: ipcs -q, then ipcrm -q <msqid> (or ipcrm --all=msg)',
          '在 peer 终端中：ipcs -q，然后 ipcrm -q <msqid>（或 ipcrm --all=msg）',
        ),
      ],
      check: async (ctx) => {
        const wrong = await wiring(ctx);
        if (wrong !== undefined) return { passed: false, reason: wrong, hint: 0 };
        const key = formatKey(plantedQueueKey(ctx.sessionToken));
        const queues = await list(ctx, 'peer', 'msg');
        if (queues.some((o) => o.key === key)) {
          return {
            passed: false,
            reason: t(
              `The lab's queue ${key} still exists in the shared namespace (the server read /proc/sysvipc/msg in the peer's IPC namespace).`,
              `实验的队列 ${key} 仍然存在于共享的命名空间中（服务器在 peer 的 IPC 命名空间中读取了 /proc/sysvipc/msg）。`,
            ),
            hint: 0,
          };
        }
        return {
          passed: true,
          reason: t(
            `Queue ${key} is gone from the namespace owner and peer share. The peer never created it and cannot see the owner's processes, yet ipcrm works there: inside one IPC namespace there are no container boundaries.`,
            `队列 ${key} 已从 owner 和 peer 共享的命名空间中消失。peer 从未创建过它，也看不到 owner 的进程，但 ipcrm 在那里照样奏效：在同一个 IPC 命名空间内部，不存在容器的边界。`,
          ),
        };
      },
      solution: [{ terminal: 'peer', input: 'ipcrm --all=msg; ipcs -q' }],
      // Removing every queue in the isolated container removes only its own.
      cheat: [{ terminal: 'isolated', input: 'ipcrm --all=msg; ipcs -q' }],
    },
  ],
};
