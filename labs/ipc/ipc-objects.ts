// The IPC lab's objects as its checks read them from the host: the tables of
// /proc/sysvipc/{shm,msg} in one container's IPC namespace, the key of the queue the lab
// plants (made from the session token), a key as a learner types it, and the lab's wiring.
import type { CheckContext } from '../../server/lab-kit.ts';
import { type Localized, t } from '../shared/localized.ts';

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

/** The container's IPC namespace's segments or queues, as the kernel lists them to the host. */
export async function list(
  ctx: CheckContext,
  container: string,
  kind: 'shm' | 'msg',
): Promise<IpcObject[]> {
  return parseSysvIpc(await ctx.container(container).sysvIpc(kind));
}

/** The lab's own wiring, read from the host: peer shares owner's namespace, isolated does not. */
export async function wiring(ctx: CheckContext): Promise<Localized | undefined> {
  const [owner, peer, isolated] = await Promise.all(
    ['owner', 'peer', 'isolated'].map((name) => ctx.container(name).namespace('ipc')),
  );
  if (owner !== peer)
    return t(
      "The peer container does not share the owner's IPC namespace.",
      'peer 容器没有共享 owner 的 IPC 命名空间。',
    );
  if (isolated === owner)
    return t(
      "The isolated container shares the owner's IPC namespace.",
      'isolated 容器共享了 owner 的 IPC 命名空间。',
    );
  return undefined;
}
