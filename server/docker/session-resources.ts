// Networks and volumes a session owns. Like containers they carry the session's labels and
// are removed with it; the engine's "already gone" answers count as success.
import type Dockerode from 'dockerode';
import { log } from '../log.ts';
import { isGone } from './engine-errors.ts';
import { labelFilter } from './labels.ts';

export class SessionResources {
  constructor(private readonly docker: Dockerode) {}

  async createNetwork(options: Dockerode.NetworkCreateOptions): Promise<void> {
    log.debug('docker network create', { name: options.Name });
    await this.docker.createNetwork(options);
  }

  async createVolume(name: string, labels: Record<string, string>): Promise<void> {
    log.debug('docker volume create', { name });
    await this.docker.createVolume({ Name: name, Labels: labels });
  }

  /** Removes every network and volume with this instance's (and session's) labels. */
  async removeAll(instance: string, sessionId?: string): Promise<number> {
    const filters = labelFilter(instance, sessionId);
    const networks = await this.docker.listNetworks({ filters });
    const volumes = (await this.docker.listVolumes({ filters })).Volumes;
    const removals = [
      ...networks.map((n) =>
        this.ignoreGone(() => this.docker.getNetwork(n.Id).remove(), `network ${n.Name}`),
      ),
      ...volumes.map((v) =>
        this.ignoreGone(
          () => this.docker.getVolume(v.Name).remove({ force: true }),
          `volume ${v.Name}`,
        ),
      ),
    ];
    await Promise.all(removals);
    return removals.length;
  }

  private async ignoreGone(remove: () => Promise<unknown>, what: string): Promise<void> {
    try {
      await remove();
    } catch (error) {
      if (isGone(error)) return;
      log.warn(`removing ${what} failed`, { error: String(error) });
      throw error;
    }
  }
}
