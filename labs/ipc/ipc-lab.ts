// IPC namespace lab: System V shared memory, message queues and semaphores live in an IPC
// namespace. A container that joins another's (--ipc=container:x, allowed only when the
// donor was started --ipc=shareable) sees and can destroy its objects; a container with the
// default private namespace sees none of them, and cannot be joined at all. The checks list a
// namespace's objects with the host's own cat in that IPC namespace alone (/proc/sysvipc/*),
// never with a program of the container's.
import type { CheckContext, LabDefinition } from '../../server/lab-kit.ts';
import { runWithPlantedValue } from '../shared/planted-value.ts';

export interface IpcObject {
  /** The key as ipcs prints it: 0x followed by 8 hex digits. */
  key: string;
  id: number;
}

/**
 * The objects in a /proc/sysvipc/shm or msg table: a header line, then one line per object
 * whose first two columns are the key (a signed decimal int) and the id.
 */
export function parseSysvIpc(table: string): IpcObject[] {
  const objects: IpcObject[] = [];
  for (const line of table.split('\n')) {
    const match = /^(-?\d{1,10})\s+(\d+)\s/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) {
      objects.push({ key: formatKey(Number(match[1]) >>> 0), id: Number(match[2]) });
    }
  }
  return objects;
}

/** ipcs's spelling of a key. */
export function formatKey(key: number): string {
  return `0x${key.toString(16).padStart(8, '0')}`;
}

/**
 * The key of the message queue the lab plants: derived from the session token, so it is
 * different in every session and can only be read from inside the shared namespace. It
 * stays below 2^31 (a positive C int) and is never 0 (IPC_PRIVATE).
 */
export function plantedQueueKey(token: string): number {
  return (Number.parseInt(token.slice(0, 8), 16) & 0x7fffffff) | 0x01000000;
}

/** A key as a learner may type it: 0x1a2b3c4d or 1a2b3c4d. A plain decimal is read as an id. */
export function submittedKey(answer: string): { key: string } | { id: number } | undefined {
  const text = answer.trim().toLowerCase();
  if (/^0x[0-9a-f]{1,8}$/.test(text)) return { key: formatKey(Number.parseInt(text, 16)) };
  if (/^\d{1,6}$/.test(text)) return { id: Number(text) };
  if (/^[0-9a-f]{8}$/.test(text)) return { key: formatKey(Number.parseInt(text, 16)) };
  return undefined;
}

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

/** The container's IPC namespace's segments or queues, as the kernel lists them to the host. */
async function list(
  ctx: CheckContext,
  container: string,
  kind: 'shm' | 'msg',
): Promise<IpcObject[]> {
  return parseSysvIpc(await ctx.container(container).sysvIpc(kind));
}

/** The lab's own wiring, read from the host: peer shares owner's namespace, isolated does not. */
async function wiring(ctx: CheckContext): Promise<string | undefined> {
  const [owner, peer, isolated] = await Promise.all(
    ['owner', 'peer', 'isolated'].map((name) => ctx.container(name).namespace('ipc')),
  );
  if (owner !== peer) return "The peer container does not share the owner's IPC namespace.";
  if (isolated === owner) return "The isolated container shares the owner's IPC namespace.";
  return undefined;
}

const SMALL = { memoryMb: 128, pidsLimit: 128, cpus: 0.5 };

export const ipcLab: LabDefinition = {
  id: 'ipc',
  title: 'IPC namespace: whose shared memory is it?',
  topic: 'namespaces',
  summary:
    'System V shared memory and message queues belong to an IPC namespace. Share one between two containers and watch objects cross over, while a private container sees nothing and cannot be joined.',
  minutes: 10,
  learned: [
    'System V shared memory and message queues belong to an IPC namespace, not to a container.',
    "Containers sharing one (--ipc=container:…) can read and destroy each other's objects; a private one sees none.",
  ],
  lesson: 'ipc.md',
  containers: [
    {
      name: 'owner',
      title: 'owner (--ipc=shareable)',
      hostname: 'owner',
      ipcMode: 'shareable',
      ...SMALL,
    },
    {
      name: 'peer',
      title: 'peer (--ipc=container:owner)',
      hostname: 'peer',
      ipcMode: { container: 'owner' },
      ...SMALL,
    },
    { name: 'isolated', title: 'isolated', hostname: 'isolated', ...SMALL },
  ],
  setup: async (ctx) => {
    // The key is this session's answer: planted from the host, so it is on no command line.
    await runWithPlantedValue(ctx, 'owner', String(plantedQueueKey(ctx.sessionToken)), PLANT_QUEUE);
  },
  exercises: [
    {
      id: 'shared-segment',
      title: 'Memory that crosses over',
      goal: 'Create a System V shared memory segment that the peer container can see and the isolated container cannot.',
      hints: [
        'Shared memory segments live in an IPC namespace. Which of your containers share one? Compare readlink /proc/self/ns/ipc in all three.',
        "A segment made in the isolated container stays in the isolated container's own namespace. Make it in the owner (or the peer).",
        'In the owner terminal: ipcmk -M 4096; then in the peer terminal: ipcs -m',
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
            reason: `The peer sees segment ${first.key} (shmid ${first.id}); the isolated container's namespace has ${isolated.length === 0 ? 'no segments' : `${isolated.length} of its own, none of them this one`}. The server read both namespaces' tables (/proc/sysvipc/shm) from the host, entering each IPC namespace alone.`,
          };
        }
        if (isolated.length > 0) {
          return {
            passed: false,
            reason: `The isolated container has ${isolated.length} segment(s), but they exist only in its own IPC namespace: the peer sees none.`,
            hint: 1,
          };
        }
        return {
          passed: false,
          reason: 'The peer sees no shared memory segment.',
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
      title: 'The lab left a message',
      goal: 'The lab created a message queue in the owner container: report its key as the peer container sees it.',
      answer: { label: 'Queue key', placeholder: '0x1a2b3c4d' },
      hints: [
        "Message queues are IPC objects too, named by a 32-bit key. Which containers can see the owner's?",
        "That queue exists only in the isolated container's own namespace. List the queues in the peer terminal.",
        'In the peer terminal: ipcs -q (the key is the first column)',
      ],
      check: async (ctx, answer) => {
        const wrong = await wiring(ctx);
        if (wrong !== undefined) return { passed: false, reason: wrong, hint: 0 };
        const submitted = submittedKey(answer ?? '');
        const truth = formatKey(plantedQueueKey(ctx.sessionToken));
        if (submitted !== undefined && 'key' in submitted && submitted.key === truth) {
          return {
            passed: true,
            reason: `Right: ${truth}. The key was made for your session and the queue exists only in the IPC namespace that owner and peer share; the isolated container's ipcs cannot list it.`,
          };
        }
        if (submitted === undefined) {
          return { passed: false, reason: 'A key looks like 0x1a2b3c4d.', hint: 0 };
        }
        if ('id' in submitted) {
          return {
            passed: false,
            reason: `${submitted.id} looks like a msqid: ids are numbered within each namespace, so every container's first queue is 0. The key is the first column of ipcs -q.`,
            hint: 2,
          };
        }
        const isolated = await list(ctx, 'isolated', 'msg');
        if (isolated.some((o) => o.key === submitted.key)) {
          return {
            passed: false,
            reason: `${submitted.key} is a queue in the isolated container's own namespace, not the lab's.`,
            hint: 1,
          };
        }
        return {
          passed: false,
          reason: `The lab's queue does not have key ${submitted.key}.`,
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
      title: 'Seeing is touching',
      goal: 'From the peer container, destroy the message queue the lab created in the owner container.',
      hints: [
        'Sharing an IPC namespace shares every object in it, with no notion of which container made it. The isolated container cannot even name the queue.',
        'ipcrm removes IPC objects by id or key; run it where the queue is visible.',
        'In the peer terminal: ipcs -q, then ipcrm -q <msqid> (or ipcrm --all=msg)',
      ],
      check: async (ctx) => {
        const wrong = await wiring(ctx);
        if (wrong !== undefined) return { passed: false, reason: wrong, hint: 0 };
        const key = formatKey(plantedQueueKey(ctx.sessionToken));
        const queues = await list(ctx, 'peer', 'msg');
        if (queues.some((o) => o.key === key)) {
          return {
            passed: false,
            reason: `The lab's queue ${key} still exists in the shared namespace (the server read /proc/sysvipc/msg in the peer's IPC namespace).`,
            hint: 0,
          };
        }
        return {
          passed: true,
          reason: `Queue ${key} is gone from the namespace owner and peer share. The peer never created it and cannot see the owner's processes, yet ipcrm works there: inside one IPC namespace there are no container boundaries.`,
        };
      },
      solution: [{ terminal: 'peer', input: 'ipcrm --all=msg; ipcs -q' }],
      // Removing every queue in the isolated container removes only its own.
      cheat: [{ terminal: 'isolated', input: 'ipcrm --all=msg; ipcs -q' }],
    },
  ],
};
