// Everything provisioning needs, connected once at start-up: the engine (and the user-
// namespace engine), the lab image, what the host offers, the session directories, the
// session dockerds and, in a workshop, the seats.
import type { ServerConfig } from '../config.ts';
import { ContainerClients } from '../docker/container-clients.ts';
import { engineInfo } from '../docker/engine-info.ts';
import { ImageClient } from '../docker/image-client.ts';
import { connectMainEngine } from '../docker/main-engine.ts';
import { Seats } from '../docker/seats.ts';
import { sessionDockerdsFor } from '../docker/session-dockerds.ts';
import { SessionResources } from '../docker/session-resources.ts';
import { readEngineFacts } from '../host/host-facts.ts';
import { SessionFiles } from '../host/session-files.ts';
import { resolveLabImage } from '../images/lab-images.ts';
import { log } from '../log.ts';
import type { ProvisionDeps } from './session-draft.ts';

export async function connectProvisioning(config: ServerConfig): Promise<ProvisionDeps> {
  const docker = await connectMainEngine();
  const hostFacts = readEngineFacts(await engineInfo(docker));
  const image = await resolveLabImage(new ImageClient(docker), config.repoRoot, (line) =>
    log.debug(line),
  );
  return {
    instance: config.instance,
    image,
    hostFacts,
    mode: config.mode,
    clients: await ContainerClients.connect(docker, image),
    resources: new SessionResources(docker),
    files: new SessionFiles(config.stateDir),
    sessionDockerds: sessionDockerdsFor(config, docker, image, hostFacts),
    seats: config.mode === 'workshop' ? new Seats(docker, image) : undefined,
  };
}
