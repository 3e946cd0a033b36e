// Composes the server: engine, catalogue, sessions, HTTP app and terminal gateway. It is
// an AsyncDisposable so tests write `await using server = await NslabServer.start(...)` and
// nothing it created outlives the test.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { labs } from '../labs/index.ts';
import { defaultOrigins, loadConfig, type ServerConfig } from './config.ts';
import { Gate } from './http/auth.ts';
import { Seats } from './docker/seats.ts';
import type { ContainerClient } from './docker/container-client.ts';
import { ContainerClients } from './docker/container-clients.ts';
import { EngineEvents } from './docker/engine-events.ts';
import { engineInfo } from './docker/engine-info.ts';
import { ImageClient } from './docker/image-client.ts';
import { connectMainEngine } from './docker/main-engine.ts';
import { SessionResources } from './docker/session-resources.ts';
import { sessionEnginesFor, type SessionEngines } from './docker/session-engine.ts';
import { hostDiskLeftovers } from './host/host-disk.ts';
import { SessionFiles } from './host/session-files.ts';
import { readEngineFacts, type EngineFacts } from './host/host-facts.ts';
import { createApp } from './http/app.ts';
import { resolveLabImage } from './images/lab-images.ts';
import { Catalogue } from './catalogue/catalogue.ts';
import { log } from './log.ts';
import { SessionManager } from './sessions/session-manager.ts';
import { sweepLeftovers } from './provisioning/sweep-leftovers.ts';
import { TerminalGateway } from './terminal/terminal-gateway.ts';

export interface StartOptions {
  config?: Partial<ServerConfig>;
}

export class NslabServer implements AsyncDisposable {
  private stopped = false;

  private constructor(
    readonly config: ServerConfig,
    readonly origin: string,
    readonly sessions: SessionManager,
    /** The container clients of the main and the user-namespace engine. */
    readonly clients: ContainerClients,
    readonly resources: SessionResources,
    readonly files: SessionFiles,
    readonly facts: EngineFacts,
    readonly sessionEngines: SessionEngines,
    private readonly http: Server,
    private readonly gateway: TerminalGateway,
    private readonly events: EngineEvents[],
    /** Workshop mode's seat engines. */
    private readonly seats: Seats | undefined,
  ) {}

  /** The main engine's containers client. */
  get client(): ContainerClient {
    return this.clients.main;
  }

  /** Containers on any engine labelled with this instance (and session): what must not leak. */
  async leftovers(sessionId?: string): Promise<string[]> {
    const lists = await Promise.all(
      this.clients.all().map((c) => c.listIds(this.config.instance, sessionId)),
    );
    // A session's own engine and disk (escape labs) count too: they outlive it only by mistake.
    const own =
      sessionId === undefined
        ? []
        : [
            ...(await this.sessionEngines.leftovers(sessionId)),
            ...(await hostDiskLeftovers(this.files.dirOf(this.config.instance, sessionId))),
          ];
    return [...lists.flat(), ...own];
  }

  /** The URL a learner opens: it carries the token once, then a cookie takes over. */
  get loginUrl(): string {
    return `${this.origin}/?token=${encodeURIComponent(this.config.token)}`;
  }

  /** Workshop mode: the URL the instructor hands out. It makes a learner, never an instructor. */
  get joinUrl(): string | undefined {
    return this.config.mode === 'workshop'
      ? `${this.origin}/?join=${encodeURIComponent(this.config.joinCode)}`
      : undefined;
  }

  static async start(options: StartOptions = {}): Promise<NslabServer> {
    const config = loadConfig(options.config);
    const docker = await connectMainEngine();
    const resources = new SessionResources(docker);
    const facts = readEngineFacts(await engineInfo(docker));
    const image = await resolveLabImage(new ImageClient(docker), config.repoRoot, (line) =>
      log.debug(line),
    );
    const clients = await ContainerClients.connect(docker, image);
    const files = new SessionFiles(config.stateDir);
    const sessionEngines = sessionEnginesFor(config, docker, image, facts);
    const catalogue = new Catalogue(labs, path.join(config.repoRoot, 'content'));
    const sweepScope = {
      instance: config.instance,
      clients,
      resources,
      files,
      sessionEngines,
    };
    const swept = await sweepLeftovers(sweepScope);
    if (swept > 0)
      log.info('swept leftovers from an earlier run', {
        containers: swept,
        instance: config.instance,
      });
    const seats = config.mode === 'workshop' ? new Seats(docker, image) : undefined;
    const provisioning = { ...sweepScope, image, hostFacts: facts, seats };
    const sessions = new SessionManager(catalogue, provisioning, {
      mode: config.mode,
      graceMs: config.graceMs,
      maxSessions: config.maxSessions,
      maxSessionsPerLearner: config.maxSessionsPerLearner,
      clock: config.clock,
    });
    const events = clients.all().map(
      (client) =>
        new EngineEvents(
          client.docker,
          config.instance,
          (event) => sessions.handleContainerEvent(event),
          () => void sessions.reconcile(),
        ),
    );
    await Promise.all(events.map((e) => e.start()));
    const gate = new Gate({ token: config.token, mode: config.mode, joinCode: config.joinCode });
    const app = createApp({
      token: config.token,
      gate,
      graceMs: config.graceMs,
      catalogue,
      sessions,
      files,
      facts,
      webDir: path.join(config.repoRoot, 'web', 'dist'),
      // Solo mode's "reset the host": every session ends, then everything labelled with
      // this instance (containers, engines, networks, volumes, planted files) is swept.
      resetHost: async () => {
        await sessions.endAll('the learner reset the host');
        const purged = (await seats?.purgeAll()) ?? 0;
        return purged + (await sweepLeftovers(sweepScope));
      },
    });
    const http = createServer(app);
    let origins = config.allowedOrigins;
    const gateway = new TerminalGateway({
      gate,
      allowedOrigins: () => origins,
      sessions,
    });
    gateway.attachTo(http);
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(config.port, config.host, () => resolve());
    });
    const port = (http.address() as AddressInfo).port;
    // With port 0 (tests) the real port is known only now.
    if (config.port === 0 && options.config?.allowedOrigins === undefined)
      origins = defaultOrigins(config.host, port);
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    const origin = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
    return new NslabServer(
      { ...config, port, allowedOrigins: origins },
      origin,
      sessions,
      clients,
      resources,
      files,
      facts,
      sessionEngines,
      http,
      gateway,
      events,
      seats,
    );
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.gateway.close();
    for (const e of this.events) e.stop();
    this.sessions.stopTimers();
    await this.sessions.endAll('the server is stopping');
    await this.seats
      ?.stopAll()
      .catch((error: unknown) => log.error('stopping the seat engines failed', { error }));
    // Anything a failed create left behind goes too: stopping leaves the engine clean.
    await sweepLeftovers({
      instance: this.config.instance,
      clients: this.clients,
      resources: this.resources,
      files: this.files,
      sessionEngines: this.sessionEngines,
    });
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
