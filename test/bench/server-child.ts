// Starts bench-server.ts as a child process and talks to it: the parent's handle on the
// server under measurement. Its output goes to a log file (NSLAB_LOG_LEVEL=debug there shows
// every docker call's ms, which is how the bench's figures are profiled).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import type { ServerConfig } from '../../server/config.ts';
import type { EngineFacts } from '../../server/host/host-facts.ts';
import { ApiClient } from '../../server/protocol/api-client.ts';
import type { BenchAsk, PoolState, ServerMemory } from './bench-server.ts';

export const REPO = path.join(import.meta.dirname, '..', '..');
export const ARTIFACTS = path.join(REPO, 'test', 'artifacts');

export interface ServerDeps {
  image: string;
  hostFacts: EngineFacts;
}

export interface ChildOptions {
  instance: string;
  /** Config overrides on top of the bench's defaults (pool, caps, grace). */
  config: Partial<ServerConfig>;
  logLevel: string;
  logFile: string;
  /** Extra node flags for the server (--cpu-prof ...). */
  nodeArgs?: string[];
}

type Pending = Map<number, (value: unknown) => void>;

export class BenchServer {
  private nextId = 1;

  private constructor(
    private readonly child: ChildProcess,
    private readonly pending: Pending,
    readonly origin: string,
    readonly token: string,
    readonly instance: string,
  ) {}

  static async start(options: ChildOptions): Promise<BenchServer> {
    const config: Partial<ServerConfig> = {
      host: '127.0.0.1',
      port: 0,
      instance: options.instance,
      token: randomBytes(18).toString('base64url'),
      graceMs: 600_000,
      ...options.config,
    };
    mkdirSync(path.dirname(options.logFile), { recursive: true });
    const log = openSync(options.logFile, 'a');
    const child = spawn(
      process.execPath,
      [
        '--expose-gc',
        ...(options.nodeArgs ?? []),
        '--import',
        'tsx',
        'test/bench/bench-server.ts',
        JSON.stringify(config),
      ],
      {
        cwd: REPO,
        env: { ...process.env, NSLAB_LOG_LEVEL: options.logLevel },
        stdio: ['ignore', log, log, 'ipc'],
      },
    );
    closeSync(log);
    const pending: Pending = new Map();
    const ready = await new Promise<{ origin: string; token: string }>((resolve, reject) => {
      child.once('exit', (code) =>
        reject(new Error(`the bench server exited with ${code}; see ${options.logFile}`)),
      );
      child.on('message', (message: { ready?: { origin: string; token: string } }) => {
        if (message.ready !== undefined) resolve(message.ready);
      });
    });
    child.on('message', (message: { id?: number; value?: unknown }) => {
      if (message.id === undefined) return;
      pending.get(message.id)?.(message.value);
      pending.delete(message.id);
    });
    return new BenchServer(child, pending, ready.origin, ready.token, options.instance);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /**
   * A client for one learner; learners hold their own sessions and their own rate limit. The
   * server takes a name of 8 to 64 of [A-Za-z0-9_-] and files anything else under its one
   * solo learner, so every name here is made to fit.
   */
  api(learner: string): ApiClient {
    const name = `bench-${learner}`;
    if (!/^[A-Za-z0-9_-]{8,64}$/.test(name)) throw new Error(`learner name "${name}" will not do`);
    return new ApiClient(this.origin, this.token, name);
  }

  private ask<T>(request: BenchAsk): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (!this.child.connected) {
        reject(new Error('the bench server is gone'));
        return;
      }
      this.pending.set(id, (value) => resolve(value as T));
      this.child.send({ ...request, id });
    });
  }

  pool(lab: string): Promise<PoolState> {
    return this.ask({ type: 'pool', lab });
  }

  /** The server's memory after a full GC: what it holds, not what awaits collection. */
  memory(): Promise<ServerMemory> {
    return this.ask({ type: 'memory' });
  }

  deps(): Promise<ServerDeps> {
    return this.ask({ type: 'deps' });
  }

  /** Ends every session, drains the pool, sweeps the instance, and waits for the exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 180_000);
    await this.ask({ type: 'stop' }).catch(() => undefined);
    await exited;
    clearTimeout(timer);
  }
}
