// How many pooled sessions this machine can hold without starving the learners it serves.
// A pooled session is idle but not free: each container has its runtime shim, init and a
// shell; an escape lab's session dockerd is far heavier. The pool may take at most half of
// the memory available at start-up, and stays within what the engine has to give (bridge
// networks come from a fixed set of address pools; loop devices are few).
import { freemem } from 'node:os';
import type { LabDefinition } from '../catalogue/lab-definition.ts';

const MIB = 1024 * 1024;
/** Per idle container with its shell (shim, init, sleep, bash), measured with room to spare. */
export const POOLED_CONTAINER_BYTES = 24 * MIB;
/** Per session dockerd (escape labs), idle. */
export const POOLED_DOCKERD_BYTES = 96 * MIB;
/** The share of available memory the pool may take. */
const MEMORY_SHARE = 0.5;
/**
 * Lab networks the pool may hold: Docker's default address pools give about 31 bridge
 * networks, and live sessions and other users of the engine need theirs.
 */
const POOLED_NETWORKS = 12;
/** Loop devices the pool may hold (the privileged-device lab's disk). */
const POOLED_DISKS = 2;

export function pooledSessionBytes(lab: LabDefinition): number {
  return (
    lab.containers.length * POOLED_CONTAINER_BYTES +
    (lab.sessionEngines?.length ?? 0) * POOLED_DOCKERD_BYTES
  );
}

export interface PoolPlan {
  /** What the pool will keep, per lab: the targets cut to what fits. */
  targets: Map<string, number>;
  /** Whether the targets had to be cut, and why, for the start-up log. */
  cut: string | undefined;
}

/**
 * Fits the wanted targets into the machine: labs are served in the order given, one session
 * of each in turn, so a cut leaves every lab some sessions rather than starving the last.
 */
export function fitPool(
  wanted: ReadonlyMap<string, number>,
  labs: ReadonlyMap<string, LabDefinition>,
  limits: { maxSessions: number; availableBytes?: number },
): PoolPlan {
  const budget = { bytes: (limits.availableBytes ?? freemem()) * MEMORY_SHARE };
  const used = { bytes: 0, networks: 0, disks: 0, sessions: 0 };
  // Half the server's session cap at most: the rest is for learners' own starts.
  const maxPooled = Math.floor(limits.maxSessions / 2);
  const targets = new Map<string, number>();
  const left = new Map(wanted);
  let cut: string | undefined;
  while ([...left.values()].some((n) => n > 0)) {
    for (const [id, n] of left) {
      if (n <= 0) continue;
      const lab = labs.get(id);
      if (lab === undefined) {
        left.set(id, 0);
        continue;
      }
      const bytes = pooledSessionBytes(lab);
      const networks = lab.networks?.length ?? 0;
      const disks = lab.hostDisk === undefined ? 0 : 1;
      const fits =
        used.sessions < maxPooled &&
        used.bytes + bytes <= budget.bytes &&
        used.networks + networks <= POOLED_NETWORKS &&
        used.disks + disks <= POOLED_DISKS;
      if (!fits) {
        cut ??= describeCut(used, maxPooled, budget.bytes);
        left.set(id, 0);
        continue;
      }
      used.bytes += bytes;
      used.networks += networks;
      used.disks += disks;
      used.sessions += 1;
      targets.set(id, (targets.get(id) ?? 0) + 1);
      left.set(id, n - 1);
    }
  }
  return { targets, cut };
}

function describeCut(
  used: { bytes: number; networks: number; disks: number; sessions: number },
  maxPooled: number,
  budgetBytes: number,
): string {
  if (used.sessions >= maxPooled)
    return `half of NSLAB_MAX_SESSIONS (${maxPooled}) is the most the pool may hold`;
  return `the pool may use half of the available memory (${Math.round(budgetBytes / MIB)} MiB), ${POOLED_NETWORKS} lab networks and ${POOLED_DISKS} loop disks`;
}
