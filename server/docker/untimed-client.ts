// A client of the same engine without the request timeout. docker-modem's timeout is an idle
// timeout on the socket: right against a hung engine for ordinary calls, wrong for an event
// stream (idle until something happens) or a large image load (minutes on a slow machine).
import Dockerode from 'dockerode';

export function untimedClient(engine: Dockerode): Dockerode {
  const socketPath = (engine.modem as { socketPath?: unknown } | undefined)?.socketPath;
  return typeof socketPath === 'string' ? new Dockerode({ socketPath }) : engine;
}
