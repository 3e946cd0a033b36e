// The session's own throwaway dockerds (LabDefinition.sessionDockerds). One with a socket to
// mount starts before the containers; one that listens on TCP, or lives on a lab network,
// joins a helper container's network namespace, so it starts after them (behind a relay
// when a container mounts its socket).
import type { SessionEngineSpec } from '../../catalogue/lab-definition.ts';
import {
  engineSocketPath,
  lateEngineSocketPath,
  netnsContainer,
  startsLate,
} from '../../docker/engine-spec.ts';
import { relaySocket } from '../../docker/socket-relay.ts';
import { AppError } from '../../errors/app-error.ts';
import { message } from '../../errors/server-message.ts';
import { sessionPath } from '../../host/session-path.ts';
import type { ProvisionDeps, ProvisionStep, SessionDraft } from '../session-draft.ts';

const NO_SESSION_ENGINES = message(
  'no_session_engines',
  'This server cannot start session engines.',
  '这台服务器无法启动会话专用的引擎。',
);

async function startDockerds(
  draft: SessionDraft,
  deps: ProvisionDeps,
  specs: readonly SessionEngineSpec[],
  netnsPid: (spec: SessionEngineSpec) => Promise<number | undefined>,
): Promise<void> {
  if (specs.length === 0) return;
  const starter = deps.sessionDockerds;
  if (starter === undefined) throw new AppError('engine_unavailable', NO_SESSION_ENGINES());
  await Promise.all(
    specs.map(async (spec) => {
      const dockerd = await starter.start(draft.id, draft.dir, spec, await netnsPid(spec));
      draft.teardown.push(`dockerd ${spec.name}`, () => dockerd.stop());
      draft.dockerds.set(spec.name, dockerd);
    }),
  );
}

/** On a seat, the seat's engine already is the socket engine; no root dockerd starts for it. */
function wanted(draft: SessionDraft): SessionEngineSpec[] {
  return (draft.lab.sessionEngines ?? []).filter((spec) => !draft.dockerds.has(spec.name));
}

/**
 * A late engine's socket, as the containers will mount it: a relay in its usual place that
 * leads to where the engine listens once it has started.
 */
async function openRelays(draft: SessionDraft, specs: readonly SessionEngineSpec[]): Promise<void> {
  for (const spec of specs) {
    const relay = await relaySocket(
      sessionPath(draft.dir, engineSocketPath(spec.name)),
      sessionPath(draft.dir, lateEngineSocketPath(spec.name)),
    );
    draft.teardown.push(`relay ${spec.name}`, () => relay.close());
  }
}

export const socketDockerdsStep: ProvisionStep = {
  name: 'socket dockerds',
  async run(draft, deps) {
    await openRelays(
      draft,
      wanted(draft).filter((spec) => spec.joins !== undefined),
    );
    await startDockerds(
      draft,
      deps,
      wanted(draft).filter((spec) => !startsLate(spec)),
      () => Promise.resolve(undefined),
    );
  },
};

export const tcpDockerdsStep: ProvisionStep = {
  name: 'tcp dockerds',
  // Every session dockerd of the instance, socket or TCP, with every container it ran.
  sweep: async (deps) => (await deps.sessionDockerds?.sweep()) ?? 0,
  run: (draft, deps) =>
    startDockerds(draft, deps, wanted(draft).filter(startsLate), async (spec) => {
      const name = netnsContainer(spec);
      const host = name === undefined ? undefined : draft.containers.get(name);
      if (host === undefined) return undefined;
      return (await host.client.inspect(host.id)).State.Pid;
    }),
};
