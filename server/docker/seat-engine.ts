// One rootless Docker engine per workshop seat (server/setup/seat-engine.sh does the work).
// In workshop mode a learner's escape lab runs on their seat's engine, so an escape lands as
// the unprivileged host user nslab-seat<N>: it reads and writes only what that user may, not
// the host's root files, another seat's files or the main engine's socket. The engine lives
// in a host cgroup of its own that bounds the seat as a whole (rootless dockerd on cgroup v1
// does not enforce per-container limits). The engine outlives the server: starting a seat
// that already runs returns its client at once, and stopping it keeps its images.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { log } from '../log.ts';
import { REPO_ROOT } from '../repo-root.ts';
import { copyImage } from './image-client.ts';

const run = promisify(execFile);
const SCRIPT = path.join(REPO_ROOT, 'server', 'setup', 'seat-engine.sh');

/** Seats are numbered 1..SEAT_MAX (the script refuses anything else). */
export const SEAT_MAX = 64;

/** What the seat's cgroup allows the engine and all its containers together (set by the script). */
export const SEAT_ENGINE_LIMITS = {
  memoryBytes: 2 * 1024 * 1024 * 1024,
  pids: 1024,
  /** CPU time per period: two CPUs. */
  cpuQuotaUs: 200_000,
  cpuPeriodUs: 100_000,
} as const;

export interface SeatEngine {
  /** A client of the seat's engine (root reaches the socket whatever its owner). */
  docker: Dockerode;
  socketPath: string;
  /** The seat's host user: what "root" in the seat's containers is on the host. */
  uid: number;
  gid: number;
}

export interface StartSeatOptions {
  /** Copies this image from `from` (the main engine) into the seat unless it is there. */
  image?: { from: Dockerode; tag: string };
}

function checkSeat(seat: number): void {
  if (!Number.isInteger(seat) || seat < 1 || seat > SEAT_MAX) {
    throw new RangeError(`a seat is an integer from 1 to ${SEAT_MAX}, got ${seat}`);
  }
}

/** The seat's host user (its engine runs as this user). */
export function seatUser(seat: number): string {
  checkSeat(seat);
  return `nslab-seat${seat}`;
}

/** The seat engine's socket (same path as `seat-engine.sh socket <seat>`). */
export function seatSocketPath(seat: number): string {
  checkSeat(seat);
  return `/run/nslab-seats/${seat}/docker.sock`;
}

/** The seat engine's log (same path as the script's `log_of`). */
export function seatLogPath(seat: number): string {
  checkSeat(seat);
  return `/var/log/nslab-seat${seat}.log`;
}

/** The seat's cgroup: this directory name in each v1 hierarchy, or under /sys/fs/cgroup on v2. */
export function seatCgroupName(seat: number): string {
  checkSeat(seat);
  return `nslab-seat${seat}`;
}

/** Runs one subcommand of the script; its messages (stderr) go into the error when it fails. */
async function script(command: 'start' | 'stop' | 'purge', seat: number): Promise<void> {
  checkSeat(seat);
  try {
    // The start waits up to 60 s for the engine; a stop may wait for SIGKILLed processes.
    await run('bash', [SCRIPT, command, String(seat)], { timeout: 120_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim() ?? '';
    throw new Error(`seat-engine.sh ${command} ${seat} failed: ${stderr || String(error)}`, {
      cause: error,
    });
  }
}

async function idOf(flag: '-u' | '-g', user: string): Promise<number> {
  const { stdout } = await run('id', [flag, user]);
  const id = Number(stdout.trim());
  if (!Number.isInteger(id) || id <= 0) throw new Error(`id ${flag} ${user} gave "${stdout}"`);
  return id;
}

/**
 * Starts the seat's engine (creating its user, ids, cgroup and data on first use) and waits
 * until it answers; returns at once when it already runs.
 */
export async function startSeatEngine(
  seat: number,
  options: StartSeatOptions = {},
): Promise<SeatEngine> {
  const started = performance.now();
  await script('start', seat);
  const user = seatUser(seat);
  const socketPath = seatSocketPath(seat);
  const docker = new Dockerode({ socketPath, timeout: 60_000 });
  await docker.ping();
  if (options.image !== undefined) {
    await copyImage(options.image.from, docker, options.image.tag);
  }
  const engine = { docker, socketPath, uid: await idOf('-u', user), gid: await idOf('-g', user) };
  log.info('seat engine ready', { seat, ms: Math.round(performance.now() - started) });
  return engine;
}

/** Kills the seat's engine and everything it runs; keeps its user and its images. */
export async function stopSeatEngine(seat: number): Promise<void> {
  await script('stop', seat);
  log.info('seat engine stopped', { seat });
}

/** Stops the seat and deletes its data, user, subordinate ids and log ("reset the host"). */
export async function purgeSeatEngine(seat: number): Promise<void> {
  await script('purge', seat);
  log.info('seat engine purged', { seat });
}
