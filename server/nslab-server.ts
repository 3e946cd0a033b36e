// Composes the server: provisioning (engine, image, host), catalogue, warm pool, sessions,
// HTTP app and terminal gateway. It is an AsyncDisposable so tests write
// `await using server = await NslabServer.start(...)` and nothing it created outlives the test.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { labs } from '../labs/index.ts';
import { resetHost } from './reset-host.ts';
import { labUnavailable } from './catalogue/availability.ts';
import { everyLang } from './catalogue/lab-text.ts';
import { Catalogue } from './catalogue/catalogue.ts';
import { defaultOrigins, loadConfig, type ServerConfig } from './config.ts';
import type { ContainerClient } from './docker/container-client.ts';
import type { ContainerClients } from './docker/container-clients.ts';
import { EngineEvents } from './docker/engine-events.ts';
import type { EngineFacts } from './host/host-facts.ts';
import { hostDiskLeftovers } from './host/host-disk.ts';
import type { SessionFiles } from './host/session-files.ts';
import { createApp } from './http/app.ts';
import { Playgrounds } from './playground/playgrounds.ts';
import { InspectorHub } from './inspector/inspector-hub.ts';
import { Gate } from './http/auth.ts';
import { log } from './log.ts';
import { createWarmPool } from './pool/create-warm-pool.ts';
import type { WarmPool } from './pool/warm-pool.ts';
import { pagePath } from './protocol/routes.ts';
import { connectProvisioning } from './provisioning/connect-provisioning.ts';
import type { ProvisionDeps } from './provisioning/session-draft.ts';
import { sweepLeftovers } from './provisioning/sweep-leftovers.ts';
import { SessionManager } from './sessions/session-manager.ts';
import { Progress } from './store/progress.ts';
import { ProgressStore } from './store/progress-store.ts';
import { TerminalGateway } from './terminal/terminal-gateway.ts';
import { OfferedLabs } from './control-room/offered-labs.ts';
import { PreflightRunner } from './control-room/preflight-runner.ts';
import { NslabMetrics } from './metrics/nslab-metrics.ts';
import { ApiClient } from './protocol/api-client.ts';
import { observers } from './sessions/session-observer.ts';
import { END_REASONS } from './sessions/end-reasons.ts';

export interface StartOptions {
  config?: Partial<ServerConfig>;
}

interface Listening {
  http: Server;
  gateway: TerminalGateway;
  config: ServerConfig;
  origin: string;
}

/** Listens, and learns the real port and the origins terminals may come from. */
async function listen(
  app: RequestListener,
  gate: Gate,
  sessions: SessionManager,
  config: ServerConfig,
  originsGiven: boolean,
  metrics: NslabMetrics,
): Promise<Listening> {
  const http = createServer(app);
  let origins = config.allowedOrigins;
  const gateway = new TerminalGateway({
    gate,
    allowedOrigins: () => origins,
    sessions,
    traffic: metrics,
  });
  gateway.attachTo(http);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  // With port 0 (tests) the real port is known only now.
  if (config.port === 0 && !originsGiven) origins = defaultOrigins(config.host, port);
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const origin = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  return { http, gateway, origin, config: { ...config, port, allowedOrigins: origins } };
}

/** The progress store; sessions a crashed server left open are closed as what they were. */
function openStore(config: ServerConfig): ProgressStore {
  const store = ProgressStore.open(config.progressFile);
  const orphans = store.closeOrphanedSessions('the server stopped without ending it');
  if (orphans > 0) log.info('closed sessions an earlier run left open', { sessions: orphans });
  return store;
}

function labAvailable(
  catalogue: Catalogue,
  labId: string,
  facts: EngineFacts,
  mode: ServerConfig['mode'],
): boolean {
  const lab = catalogue.find(labId);
  return lab !== undefined && labUnavailable(lab, facts, mode) === undefined;
}

/** Engine events about this instance's containers, explained to learners and the pool. */
function watchEngines(
  clients: ContainerClients,
  instance: string,
  sessions: SessionManager,
): EngineEvents[] {
  return clients.all().map(
    (client) =>
      new EngineEvents(
        client.docker,
        instance,
        (event) => sessions.handleContainerEvent(event),
        () => void sessions.reconcile(),
      ),
  );
}

/** Containers on any engine labelled with the instance (and session): what must not leak. */
async function leftoversOf(
  { clients, sessionDockerds, files }: ProvisionDeps,
  instance: string,
  sessionId?: string,
): Promise<string[]> {
  const lists = await Promise.all(clients.all().map((c) => c.listIds(instance, sessionId)));
  // A session's own engine and disk (escape labs) count too: they outlive it only by mistake.
  const own =
    sessionId === undefined
      ? []
      : [
          ...((await sessionDockerds?.leftovers(sessionId)) ?? []),
          ...(await hostDiskLeftovers(files.dirOf(instance, sessionId))),
        ];
  return [...lists.flat(), ...own];
}

/** Preflight against this very server, once it listens: its engine, mode, seats and pool. */
function selfPreflight(
  offered: OfferedLabs,
  provisioning: ProvisionDeps,
  config: ServerConfig,
  listening: () => Listening,
): PreflightRunner {
  return new PreflightRunner({
    labs: () => offered.labs(),
    // Preflight reports to every open control room, each in its instructor's language.
    unavailable: (lab) => {
      const why = labUnavailable(lab, provisioning.hostFacts, config.mode);
      return why === undefined ? undefined : everyLang(why);
    },
    target: (learner) => ({
      api: new ApiClient(listening().origin, listening().config.token, learner),
      leftovers: (id) => leftoversOf(provisioning, config.instance, id),
    }),
  });
}

export class NslabServer implements AsyncDisposable {
  private stopped = false;

  private constructor(
    private readonly listening: Listening,
    readonly sessions: SessionManager,
    /** What sessions are provisioned with: engine clients, host facts, session files. */
    readonly provisioning: ProvisionDeps,
    /** Sessions provisioned ahead of any learner, when the pool is on. */
    readonly pool: WarmPool | undefined,
    private readonly events: EngineEvents[],
    /** Learners, sessions, attempts and reveals, in SQLite. */
    readonly store: ProgressStore,
    /** The isolation inspector's subscriptions (who is watching which session). */
    readonly inspector: InspectorHub,
  ) {}

  get config(): ServerConfig {
    return this.listening.config;
  }

  get origin(): string {
    return this.listening.origin;
  }

  /** The main engine's containers client. */
  get client(): ContainerClient {
    return this.provisioning.clients.main;
  }

  get facts(): EngineFacts {
    return this.provisioning.hostFacts;
  }

  get files(): SessionFiles {
    return this.provisioning.files;
  }

  /** Containers on any engine labelled with this instance (and session): what must not leak. */
  leftovers(sessionId?: string): Promise<string[]> {
    return leftoversOf(this.provisioning, this.config.instance, sessionId);
  }

  /** The URL a learner opens: it carries the token once, then a cookie takes over. */
  get loginUrl(): string {
    return `${this.origin}${pagePath({ token: this.config.token })}`;
  }

  /** Workshop mode: the URL the instructor hands out. It makes a learner, never an instructor. */
  get joinUrl(): string | undefined {
    return this.config.mode === 'workshop'
      ? `${this.origin}${pagePath({ join: this.config.joinCode })}`
      : undefined;
  }

  static async start(options: StartOptions = {}): Promise<NslabServer> {
    const config = loadConfig(options.config);
    const provisioning = await connectProvisioning(config);
    const swept = await sweepLeftovers(provisioning);
    if (swept > 0)
      log.info('swept leftovers from an earlier run', {
        removed: swept,
        instance: config.instance,
      });
    const catalogue = new Catalogue(labs, path.join(config.repoRoot, 'content'));
    const store = openStore(config);
    const offered = new OfferedLabs(store, catalogue);
    const available = (labId: string): boolean =>
      labAvailable(catalogue, labId, provisioning.hostFacts, config.mode);
    const here = { facts: provisioning.hostFacts, mode: config.mode };
    const progress = new Progress(store, catalogue, available, () => offered.ids(), here);
    const pool = createWarmPool(config, catalogue, provisioning, offered.ids());
    const metrics: NslabMetrics = new NslabMetrics({
      sessions: () => sessions.all(),
      poolSize: () => pool?.size ?? 0,
    });
    const sessions: SessionManager = new SessionManager(catalogue, provisioning, {
      ...config,
      pool,
      observer: observers(progress, metrics),
    });
    const events = watchEngines(provisioning.clients, config.instance, sessions);
    await Promise.all(events.map((e) => e.start()));
    const gate = new Gate({
      token: config.token,
      mode: config.mode,
      joinCode: config.joinCode,
      cookieKey: store.secret('learner-cookie'),
    });
    const inspector = new InspectorHub(provisioning.hostFacts);
    const app = createApp({
      inspector,
      playgrounds: new Playgrounds(provisioning, config.mode),
      token: config.token,
      gate,
      graceMs: config.graceMs,
      catalogue,
      sessions,
      files: provisioning.files,
      facts: provisioning.hostFacts,
      webDir: path.join(config.repoRoot, 'web', 'dist'),
      progress,
      offered,
      metrics,
      preflight: selfPreflight(offered, provisioning, config, () => listening),
      resetHost: () => resetHost(sessions, pool, provisioning),
    });
    const originsGiven = options.config?.allowedOrigins !== undefined;
    const listening = await listen(app, gate, sessions, config, originsGiven, metrics);
    pool?.start();
    return new NslabServer(listening, sessions, provisioning, pool, events, store, inspector);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.listening.gateway.close();
    this.inspector.stopAll();
    for (const e of this.events) e.stop();
    this.sessions.stopTimers();
    await this.pool?.drain();
    await this.sessions.endAll(END_REASONS.serverStopping());
    await this.provisioning.seats
      ?.stopAll()
      .catch((error: unknown) => log.error('stopping the seat engines failed', { error }));
    // Anything a failed create left behind goes too: stopping leaves the engine clean.
    await sweepLeftovers(this.provisioning);
    const { http } = this.listening;
    await new Promise<void>((resolve) => {
      http.close(() => resolve());
      http.closeAllConnections();
    });
    this.store.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
