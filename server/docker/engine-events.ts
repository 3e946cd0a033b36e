// Follows an engine's event stream for this instance's containers, so the server learns
// within a moment that a learner's container died, was OOM-killed or was removed. When the
// stream breaks (dockerd restarted) it reconnects with backoff and asks for a reconcile.
import type Dockerode from 'dockerode';
import { untimedClient } from './untimed-client.ts';
import { log } from '../log.ts';
import { LABELS } from './labels.ts';

export const CONTAINER_EVENT_ACTIONS = ['die', 'oom', 'destroy'] as const;
export type ContainerEventAction = (typeof CONTAINER_EVENT_ACTIONS)[number];

export interface ContainerEvent {
  id: string;
  action: ContainerEventAction;
  exitCode: number | undefined;
}

interface RawEvent {
  Type?: string;
  Action?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/** Parses one line of the engine's event stream; undefined for anything else. */
export function parseContainerEvent(line: string): ContainerEvent | undefined {
  let raw: RawEvent;
  try {
    raw = JSON.parse(line) as RawEvent;
  } catch {
    return undefined;
  }
  const action = raw.Action;
  const id = raw.Actor?.ID ?? raw.id;
  if (raw.Type !== 'container' || id === undefined) return undefined;
  if (!(CONTAINER_EVENT_ACTIONS as readonly (string | undefined)[]).includes(action))
    return undefined;
  const exit = raw.Actor?.Attributes?.exitCode;
  return {
    id,
    action: action as ContainerEventAction,
    exitCode: exit === undefined ? undefined : Number(exit),
  };
}

export class EngineEvents {
  private stream: NodeJS.ReadableStream | undefined;
  private stopped = false;
  private retryMs = 250;

  /** Untimed: with the user-namespace engine's 30 s timeout the stream was cut every 30 s. */
  private readonly docker: Dockerode;

  constructor(
    engine: Dockerode,
    private readonly instance: string,
    private readonly onEvent: (event: ContainerEvent) => void,
    private readonly onReconnect: () => void,
  ) {
    this.docker = untimedClient(engine);
  }

  async start(): Promise<void> {
    await this.connect(false);
  }

  stop(): void {
    this.stopped = true;
    // The event stream is a socket underneath; destroying it ends the HTTP request.
    (this.stream as unknown as { destroy?: () => void } | undefined)?.destroy?.();
  }

  private async connect(isReconnect: boolean): Promise<void> {
    const stream = await this.docker.getEvents({
      filters: {
        type: ['container'],
        event: [...CONTAINER_EVENT_ACTIONS],
        label: [`${LABELS.instance}=${this.instance}`],
      },
    });
    this.stream = stream;
    this.retryMs = 250;
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let newline = buffered.indexOf('\n');
      while (newline !== -1) {
        const event = parseContainerEvent(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        if (event !== undefined) this.onEvent(event);
        newline = buffered.indexOf('\n');
      }
    });
    const reconnect = (): void => {
      if (this.stopped || this.stream !== stream) return;
      this.stream = undefined;
      log.warn('lost the engine event stream; reconnecting', { retryMs: this.retryMs });
      setTimeout(() => void this.retry(), this.retryMs).unref();
    };
    stream.on('end', reconnect);
    stream.on('error', reconnect);
    if (isReconnect) this.onReconnect();
  }

  private async retry(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.connect(true);
      log.info('engine event stream is back');
    } catch {
      this.retryMs = Math.min(this.retryMs * 2, 5_000);
      setTimeout(() => void this.retry(), this.retryMs).unref();
    }
  }
}
