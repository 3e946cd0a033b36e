// The profile playground's server side: starts a vetted profile in place of the playground
// container of a learner's session, runs a fixed probe in it, and reports what runs now. A
// request is parsed (playground-profile.ts) before anything else happens, so a refused one
// creates no container; an accepted one goes through the same plan as every lab container
// (labels, limits, bounded logs) and replaces the previous container, which is removed.
import type { LabDefinition, PlaygroundSpec } from '../catalogue/lab-definition.ts';
import { AppError } from '../errors/app-error.ts';
import { message, type MessageTemplate } from '../errors/server-message.ts';
import { TokenBucket } from '../http/rate-limit.ts';
import { log } from '../log.ts';
import { planContainer } from '../plans/container-plan.ts';
import { DEFAULT_LANG, type Lang } from '../protocol/lang.ts';
import { containerCreateOptions } from '../plans/create-options.ts';
import { dockerRunCommand } from '../plans/docker-run-command.ts';
import {
  PROBE_IDS,
  type PlaygroundRequest,
  type PlaygroundView,
  type ProbeId,
  type ProbeResultView,
} from '../protocol/playground-types.ts';
import type { ProvisionDeps } from '../provisioning/session-draft.ts';
import type { Session, SessionContainer } from '../sessions/session.ts';
import { Terminal } from '../terminal/terminal.ts';
import { dockerBenchScore } from './docker-bench.ts';
import { playgroundContainer, profileOf } from './playground-container.ts';
import { parsePlaygroundProfile } from './playground-profile.ts';
import { probeResult, PROBES } from './probes.ts';

const REPLACED = message(
  'profile_replaced',
  'A new profile replaced this container: reconnecting to it.',
  '新的配置替换了这个容器：正在重新连接。',
);
const NO_PLAYGROUND = message(
  'no_playground',
  'This lab has no profile playground.',
  '这个实验没有配置练习场。',
);
const STARTS_TOO_FAST = message(
  'starts_too_fast',
  'Starting containers that fast is too fast; try again in {{wait}} s.',
  '启动容器太频繁了；请在 {{wait}} 秒后再试。',
);
const PROBES_TOO_FAST = message(
  'probes_too_fast',
  'Probing that fast is too fast; try again in {{wait}} s.',
  '探测太频繁了；请在 {{wait}} 秒后再试。',
);
const NO_PROBE = message(
  'no_such_probe',
  'There is no probe called "{{probe}}".',
  '没有名为 "{{probe}}" 的探测。',
);
const NOT_RUNNING = message(
  'playground_not_running',
  'The playground is not running.',
  '练习场没有在运行。',
);
const ENGINE_REFUSED = message(
  'profile_refused',
  'The engine could not start this profile; the previous one is still running.',
  '引擎没能启动这个配置；之前的配置仍在运行。',
);
const ENDED_WHILE_STARTING = message(
  'ended_while_starting',
  'The session ended while the profile was starting.',
  '配置启动期间，会话已经结束。',
);

export type PlaygroundDeps = Pick<ProvisionDeps, 'image' | 'instance' | 'hostFacts' | 'clients'>;

/** Starts per session: five at once, then one every five seconds (each is a container). */
const STARTS = { perSecond: 0.2, burst: 5 };
/** Probes per session: each is a `docker exec`. */
const PROBE_RATE = { perSecond: 1, burst: 5 };
const PROBE_TIMEOUT_MS = 15_000;

function specOf(lab: LabDefinition): PlaygroundSpec {
  if (lab.playground === undefined) throw new AppError('not_found', NO_PLAYGROUND());
  return lab.playground;
}

export class Playgrounds {
  /** The profile each session runs now; absent: the lab's own starting profile. */
  private readonly profiles = new WeakMap<Session, PlaygroundRequest>();
  /** How many containers each session's playground has had: the next one's name suffix. */
  private readonly generations = new WeakMap<Session, number>();
  private readonly busy = new WeakMap<Session, Promise<unknown>>();
  private readonly starts = new WeakMap<Session, TokenBucket>();
  private readonly probes = new WeakMap<Session, TokenBucket>();

  constructor(
    private readonly deps: PlaygroundDeps,
    private readonly mode: 'solo' | 'workshop',
  ) {}

  /** What runs now; the score's titles and explanations in `lang`. */
  async view(session: Session, lang: Lang = DEFAULT_LANG): Promise<PlaygroundView> {
    const spec = specOf(session.lab);
    const container = this.container(session, spec);
    return {
      profile: this.profile(session, spec),
      dockerRun: dockerRunCommand(container.plan),
      score: dockerBenchScore(await container.client.inspect(container.id), lang),
      seccompProfiles: spec.seccompProfiles.map((p) => p.name),
      mode: this.mode,
    };
  }

  /** Parses first: a refused request throws before any engine call. */
  async start(session: Session, body: unknown, lang: Lang = DEFAULT_LANG): Promise<PlaygroundView> {
    const spec = specOf(session.lab);
    const profile = parsePlaygroundProfile(body, {
      mode: this.mode,
      seccompProfiles: spec.seccompProfiles.map((p) => p.name),
    });
    this.take(this.starts, session, STARTS, STARTS_TOO_FAST);
    await this.serially(session, () => this.replace(session, spec, profile));
    return this.view(session, lang);
  }

  async probe(session: Session, id: string, lang: Lang = DEFAULT_LANG): Promise<ProbeResultView> {
    const spec = specOf(session.lab);
    if (!(PROBE_IDS as readonly string[]).includes(id))
      throw new AppError('not_found', NO_PROBE({ probe: id }));
    const probeId = id as ProbeId;
    this.take(this.probes, session, PROBE_RATE, PROBES_TOO_FAST);
    const container = this.container(session, spec);
    const result = await container.client.probe(
      container.id,
      ['sh', '-c', PROBES[probeId].command],
      // As the profile's user: what the learner's own shell could do.
      { timeoutMs: PROBE_TIMEOUT_MS, user: container.plan.user ?? 'root' },
    );
    return probeResult(probeId, this.profile(session, spec), result, lang);
  }

  private profile(session: Session, spec: PlaygroundSpec): PlaygroundRequest {
    return this.profiles.get(session) ?? profileOf(this.base(session, spec));
  }

  private base(session: Session, spec: PlaygroundSpec) {
    const base = session.lab.containers.find((c) => c.name === spec.container);
    if (base === undefined) throw new Error(`playground container ${spec.container} is missing`);
    return base;
  }

  private container(session: Session, spec: PlaygroundSpec): SessionContainer {
    const container = session.containers.get(spec.container);
    if (container === undefined) throw new AppError('conflict', NOT_RUNNING());
    return container;
  }

  private take(
    buckets: WeakMap<Session, TokenBucket>,
    session: Session,
    rate: { perSecond: number; burst: number },
    tooFast: MessageTemplate<'wait'>,
  ): void {
    let bucket = buckets.get(session);
    if (bucket === undefined) {
      bucket = new TokenBucket(rate.perSecond, rate.burst);
      buckets.set(session, bucket);
    }
    if (!bucket.take())
      throw new AppError('too_many_requests', tooFast({ wait: bucket.waitSeconds }));
  }

  /** One start at a time per session, so two clicks never leave two containers. */
  private async serially<T>(session: Session, run: () => Promise<T>): Promise<T> {
    const before = this.busy.get(session) ?? Promise.resolve();
    const next = before.catch(() => undefined).then(run);
    this.busy.set(session, next);
    return next;
  }

  private async replace(
    session: Session,
    spec: PlaygroundSpec,
    profile: PlaygroundRequest,
  ): Promise<void> {
    const generation = (this.generations.get(session) ?? 1) + 1;
    this.generations.set(session, generation);
    const planned = planContainer({
      profile: playgroundContainer(this.base(session, spec), profile, spec.seccompProfiles),
      image: this.deps.image,
      instance: this.deps.instance,
      sessionId: session.id,
      sessionToken: session.token,
      labId: session.lab.id,
      hostFacts: this.deps.hostFacts,
      sessionDir: session.dir,
    });
    // The previous container still holds the plain name until it is removed below.
    const plan = { ...planned, containerName: `${planned.containerName}-${generation}` };
    const client = this.deps.clients.get(plan.engine);
    // The previous container keeps running when the engine refuses the new one.
    const id = await client.createAndStart(containerCreateOptions(plan)).catch((error: unknown) => {
      throw new AppError('engine_unavailable', ENGINE_REFUSED(), { cause: error });
    });
    if (session.isEnded) {
      await client.remove(id);
      throw new AppError('conflict', ENDED_WHILE_STARTING());
    }
    const previous = session.replaceContainer(plan.name, {
      plan,
      id,
      client,
      terminal: new Terminal(plan.name, id, client, () => session.clock.touch()),
    });
    this.profiles.set(session, profile);
    log.info('playground profile started', { session: session.id, id, generation });
    // A page open on it moves to the new container, whoever started it (Start, "Show me", verify).
    previous?.terminal?.notify({ type: 'replaced', sessionId: session.id });
    previous?.terminal?.dispose(REPLACED());
    if (previous !== undefined) await previous.client.remove(previous.id);
  }
}
