// Workshop mode: an escape lab that lands on a host runs against the learner's own rootless
// seat engine instead of a root dockerd. The seat outlives the session; the relay to it and
// the session's share of it (its containers) do not.
import { AppError } from '../../errors/app-error.ts';
import { message } from '../../errors/server-message.ts';
import { relaySocket } from '../../docker/socket-relay.ts';
import { sessionPath } from '../../host/session-path.ts';
import { SESSION_ENGINE_SOCKET } from '../../plans/resource-names.ts';
import type { ProvisionStep } from '../session-draft.ts';

const NO_SEATS = message(
  'no_seats',
  'This server has no workshop seats.',
  '这台服务器没有工作坊席位。',
);

export const seatEngineStep: ProvisionStep = {
  name: 'seat engine',
  async run(draft, deps) {
    if (draft.seatOf === undefined) return;
    if (deps.seats === undefined) throw new AppError('engine_unavailable', NO_SEATS());
    draft.seat = await deps.seats.engineFor(draft.seatOf);
  },
};

/**
 * The socket the lab mounts lives in the session directory, as a session engine's does, and
 * leads to the seat's engine. It needs the directory, so it runs after the host files.
 */
export const seatRelayStep: ProvisionStep = {
  name: 'seat relay',
  async run(draft) {
    const seatEngine = draft.seat?.engine;
    if (seatEngine === undefined) return;
    const relay = await relaySocket(
      sessionPath(draft.dir, SESSION_ENGINE_SOCKET),
      seatEngine.socketPath,
    );
    draft.teardown.push('seat relay', async () => {
      await relay.close();
      await seatEngine.stop();
    });
    draft.dockerds.set(seatEngine.name, { ...seatEngine, socketPath: relay.path });
  },
};
