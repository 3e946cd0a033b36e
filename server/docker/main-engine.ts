// The server's own engine: the client every other engine call starts from (the local socket,
// or DOCKER_HOST as the Docker CLI reads it).
import Dockerode from 'dockerode';

/** A client of the main engine; nothing is asked of the engine yet. */
export function mainEngine(): Dockerode {
  return new Dockerode();
}

/** A client of the main engine, once it has answered a ping. */
export async function connectMainEngine(): Promise<Dockerode> {
  const docker = mainEngine();
  try {
    await docker.ping();
  } catch (error) {
    throw new Error('The Docker engine does not answer. Start it (see README) and try again.', {
      cause: error,
    });
  }
  return docker;
}
