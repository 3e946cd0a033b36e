// Two control measurements that run beside the load, to tell "nslab is slow" from "the
// engine is saturated":
//  - the server alone: GET /api/labs touches no engine, so its latency is the server's own
//    event loop and HTTP stack;
//  - the engine alone: a keystroke echo through a raw `docker exec -it bash` on a container
//    of the lab image, bypassing nslab, typed at the same pace.
import Dockerode from 'dockerode';
import type { Duplex } from 'node:stream';
import { ImageClient } from '../../server/docker/image-client.ts';
import { resolveLabImage } from '../../server/images/lab-images.ts';
import { REPO_ROOT } from '../../server/repo-root.ts';
import type { ApiClient } from '../../server/protocol/api-client.ts';
import { sleep, summarize, type Summary } from './stats.ts';

export interface ProbeResults {
  /** GET /api/labs round trips (server only). */
  serverApi: Summary;
  /** Raw docker exec keystroke echo (engine only). */
  engineEcho: Summary;
  failures: string[];
}

export class Probes {
  private readonly apiSamples: number[] = [];
  private readonly echoSamples: number[] = [];
  private readonly failures: string[] = [];
  private running = true;
  private readonly loops: Promise<void>[] = [];
  private containerId: string | undefined;

  private constructor(
    private readonly docker: Dockerode,
    private readonly api: ApiClient,
  ) {}

  /** Starts both probes; the engine probe's container carries the load's instance label. */
  static async start(api: ApiClient, instance: string): Promise<Probes> {
    const docker = new Dockerode();
    const probes = new Probes(docker, api);
    probes.loops.push(probes.apiLoop());
    const image = await resolveLabImage(new ImageClient(docker), REPO_ROOT, () => undefined);
    const container = await docker.createContainer({
      Image: image,
      Cmd: ['sleep', 'infinity'],
      Labels: { 'nslab.instance': instance, 'nslab.session': 'load-engine-probe' },
      HostConfig: { Init: true, NetworkMode: 'none', Memory: 128 * 1024 * 1024 },
    });
    probes.containerId = container.id;
    await container.start();
    const exec = await container.exec({
      Cmd: ['bash', '--norc', '-i'],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
    });
    const stream: Duplex = await exec.start({ hijack: true, stdin: true, Tty: true });
    probes.loops.push(probes.echoLoop(stream));
    return probes;
  }

  async stop(): Promise<ProbeResults> {
    this.running = false;
    await Promise.all(this.loops);
    if (this.containerId !== undefined)
      await this.docker.getContainer(this.containerId).remove({ force: true });
    return {
      serverApi: summarize(this.apiSamples),
      engineEcho: summarize(this.echoSamples),
      failures: this.failures,
    };
  }

  private async apiLoop(): Promise<void> {
    while (this.running) {
      const started = performance.now();
      try {
        await this.api.labs();
        this.apiSamples.push(performance.now() - started);
      } catch (error) {
        this.failures.push(`GET /api/labs: ${String(error)}`);
      }
      await sleep(1_000);
    }
  }

  private async echoLoop(stream: Duplex): Promise<void> {
    let output = '';
    let wake: (() => void) | undefined;
    stream.on('data', (chunk: Buffer) => {
      output += chunk.toString('latin1');
      if (output.length > 100_000) output = output.slice(-1_000);
      wake?.();
    });
    await sleep(1_000);
    const keys = 'abcdefghijklmnopqrstuvwxyz';
    for (let i = 0; this.running; i++) {
      const key = keys[i % keys.length] ?? 'x';
      const before = output.length;
      const started = performance.now();
      stream.write(key);
      const seen = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 30_000);
        wake = () => {
          if (output.length > before && output.slice(before).includes(key)) {
            clearTimeout(timer);
            resolve(true);
          }
        };
        wake();
      });
      wake = undefined;
      if (seen) this.echoSamples.push(performance.now() - started);
      else this.failures.push(`raw exec echo of "${key}" not seen in 30 s`);
      // A line now and then, so the shell's line does not grow forever.
      if (i % 20 === 19) stream.write('\x15');
      await sleep(80 + Math.random() * 80);
    }
    stream.destroy();
  }
}
