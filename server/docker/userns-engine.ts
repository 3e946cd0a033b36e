// Connects to the second, user-namespace-remapping engine when it runs (the user lab's
// only engine), and gives it the lab image: a remapping daemon stores image files shifted,
// so the image is copied into it with `docker save | docker load` rather than shared.
import { existsSync } from 'node:fs';
import Dockerode from 'dockerode';
import { log } from '../log.ts';
import { ContainerClient } from './container-client.ts';
import { copyImage } from './image-client.ts';

export const USERNS_SOCKET =
  process.env.NSLAB_USERNS_SOCKET ?? '/run/nslab/userns-engine/docker.sock';

/** The remapping engine's client, or undefined when it is not running on this machine. */
export async function connectUsernsEngine(
  main: Dockerode,
  image: string,
): Promise<ContainerClient | undefined> {
  if (!existsSync(USERNS_SOCKET)) return undefined;
  const docker = new Dockerode({ socketPath: USERNS_SOCKET, timeout: 30_000 });
  try {
    await docker.ping();
  } catch (error) {
    log.warn('the user-namespace engine socket exists but does not answer', {
      socket: USERNS_SOCKET,
      error: String(error),
    });
    return undefined;
  }
  await copyImage(main, docker, image);
  return new ContainerClient(docker);
}
