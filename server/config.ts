// Server settings, read once from the environment. Every value has a default that suits a
// learner on their own machine; a workshop changes them through NSLAB_* variables.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { REPO_ROOT } from './repo-root.ts';
import { DEFAULT_CLOCK_POLICY, type ClockPolicy } from './sessions/session-clock.ts';

/**
 * solo: one learner on their own throwaway VM, who holds the token. workshop: one VM, many
 * learners who join with a code; an escape must land on a host that belongs to one learner
 * (a seat), so escape labs that give the VM's root run in solo mode only.
 */
export type ServerMode = 'solo' | 'workshop';

export interface ServerConfig {
  mode: ServerMode;
  /** Workshop mode: what learners type (or follow as ?join=) to get in; not the instructor's token. */
  joinCode: string;
  host: string;
  port: number;
  /** The solo-mode token: the page and every WebSocket need it (Jupyter-style). */
  token: string;
  /** Origins allowed to open a terminal WebSocket; anything else is refused before upgrade. */
  allowedOrigins: string[];
  /** Distinguishes this server's containers from another nslab on the same engine. */
  instance: string;
  /** How long a session outlives its last terminal, so a refresh or a blip resumes it. */
  graceMs: number;
  repoRoot: string;
  /** Where sessions keep the host files their labs plant (root-only). */
  stateDir: string;
  /** The progress database (SQLite): by default progress-<instance>.db in stateDir. */
  progressFile: string;
  /** Session lifetime, idle timeout and extensions. */
  clock: ClockPolicy;
  maxSessions: number;
  maxSessionsPerLearner: number;
  /** The warm pool: which labs to keep provisioned ahead of any learner (pool/pool-targets.ts). */
  pool: PoolSetting;
  /** Workshop mode: the learners expected in the room, which sizes an "auto" pool. */
  seats: number;
  /** Pooled sessions being provisioned at once, in the background. */
  poolConcurrency: number;
  /** A pooled session older than this is replaced by a fresh one. */
  poolMaxAgeMs: number;
}

const INSTANCE_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** Long enough not to be guessed at the API's rate limit, short enough to read out in a room. */
const JOIN_CODE_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

function intFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  // Digits only: Number() would also take " " (as 0) and "0x1F90".
  const value = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

/** NSLAB_POOL: "off", "auto", or sessions per lab ("uts=30,pid=30"); see pool/pool-targets.ts. */
export type PoolSetting = 'off' | 'auto' | Readonly<Record<string, number>>;

const POOL_ENTRY = /^([a-z0-9][a-z0-9-]{0,63})=(\d{1,4})$/;

/** Reads NSLAB_POOL; a malformed value is a start-up error that says what is wrong. */
export function parsePoolSetting(raw: string | undefined): PoolSetting {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'auto') return 'auto';
  if (value === 'off' || value === '0') return 'off';
  const targets: Record<string, number> = {};
  for (const part of value.split(',')) {
    const match = POOL_ENTRY.exec(part.trim());
    if (match === null)
      throw new Error(
        `NSLAB_POOL must be "off", "auto" or a list like "uts=2,pid=1", got "${value}"`,
      );
    targets[match[1] ?? ''] = Number(match[2]);
  }
  return targets;
}

export function defaultOrigins(host: string, port: number): string[] {
  const hosts = new Set([host, '127.0.0.1', 'localhost']);
  hosts.delete('0.0.0.0');
  hosts.delete('::');
  return [...hosts].map((name) => `http://${name.includes(':') ? `[${name}]` : name}:${port}`);
}

export function loadConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  const host = overrides.host ?? process.env.NSLAB_HOST ?? '127.0.0.1';
  const port = overrides.port ?? intFromEnv('NSLAB_PORT', 8080, 0, 65535);
  const instance = overrides.instance ?? process.env.NSLAB_INSTANCE ?? 'default';
  if (!INSTANCE_PATTERN.test(instance)) {
    throw new Error(`NSLAB_INSTANCE must match ${INSTANCE_PATTERN.source}, got "${instance}"`);
  }
  const stateDir = overrides.stateDir ?? process.env.NSLAB_STATE_DIR ?? '/var/lib/nslab';
  const fromEnv = process.env.NSLAB_ALLOWED_ORIGINS?.split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  const mode = overrides.mode ?? process.env.NSLAB_MODE ?? 'solo';
  if (mode !== 'solo' && mode !== 'workshop') {
    throw new Error(`NSLAB_MODE must be "solo" or "workshop", got "${mode}"`);
  }
  const joinCode =
    overrides.joinCode ?? process.env.NSLAB_JOIN_CODE ?? randomBytes(9).toString('base64url');
  if (!JOIN_CODE_PATTERN.test(joinCode)) {
    throw new Error(`NSLAB_JOIN_CODE must match ${JOIN_CODE_PATTERN.source}`);
  }
  return {
    mode,
    joinCode,
    host,
    port,
    token: overrides.token ?? process.env.NSLAB_TOKEN ?? randomBytes(24).toString('base64url'),
    // An empty list would refuse every terminal; treat it as "not set".
    allowedOrigins:
      overrides.allowedOrigins ??
      (fromEnv !== undefined && fromEnv.length > 0 ? fromEnv : defaultOrigins(host, port)),
    instance,
    graceMs: overrides.graceMs ?? intFromEnv('NSLAB_GRACE_MS', 30_000, 0, 3_600_000),
    repoRoot: overrides.repoRoot ?? REPO_ROOT,
    stateDir,
    progressFile:
      overrides.progressFile ??
      process.env.NSLAB_PROGRESS_DB ??
      path.join(stateDir, `progress-${instance}.db`),
    clock: overrides.clock ?? {
      lifetimeMs:
        intFromEnv('NSLAB_SESSION_MINUTES', DEFAULT_CLOCK_POLICY.lifetimeMs / 60_000, 1, 24 * 60) *
        60_000,
      idleMs:
        intFromEnv('NSLAB_IDLE_MINUTES', DEFAULT_CLOCK_POLICY.idleMs / 60_000, 1, 24 * 60) * 60_000,
      extendMs:
        intFromEnv('NSLAB_EXTEND_MINUTES', DEFAULT_CLOCK_POLICY.extendMs / 60_000, 1, 24 * 60) *
        60_000,
      maxExtensions: intFromEnv('NSLAB_MAX_EXTENSIONS', DEFAULT_CLOCK_POLICY.maxExtensions, 0, 100),
    },
    // 500 idle lab containers measured ~2.8 GB: 200 sessions of 1-3 containers fit a workshop VM.
    maxSessions: overrides.maxSessions ?? intFromEnv('NSLAB_MAX_SESSIONS', 200, 1, 10_000),
    maxSessionsPerLearner:
      overrides.maxSessionsPerLearner ?? intFromEnv('NSLAB_MAX_SESSIONS_PER_LEARNER', 3, 1, 100),
    pool: overrides.pool ?? parsePoolSetting(process.env.NSLAB_POOL),
    seats: overrides.seats ?? intFromEnv('NSLAB_SEATS', 0, 0, 1_000),
    // Two at a time on two cores: more only queues in the engine and slows learners' starts.
    poolConcurrency: overrides.poolConcurrency ?? intFromEnv('NSLAB_POOL_CONCURRENCY', 2, 1, 16),
    poolMaxAgeMs:
      overrides.poolMaxAgeMs ?? intFromEnv('NSLAB_POOL_MAX_AGE_MINUTES', 30, 1, 24 * 60) * 60_000,
  };
}
