// The container clients a server drives, one per engine a lab may name: the main engine, and
// optionally the second engine with user-namespace remapping that only the user lab uses. A
// lab that needs an engine which is not running gets a clear refusal, not a half-made session.
import type Dockerode from 'dockerode';
import { AppError } from '../errors/app-error.ts';
import { message } from '../errors/server-message.ts';
import { ContainerClient } from './container-client.ts';
import { connectUsernsEngine } from './userns-engine.ts';

const NO_USERNS_ENGINE = message(
  'userns_engine_down',
  'This lab needs the user-namespace engine, which is not running. Start it with: sudo bash server/setup/userns-engine.sh start',
  '这个实验需要用户命名空间（user namespace）引擎，但它没有在运行。用这条命令启动它：sudo bash server/setup/userns-engine.sh start',
);

/** The engines a lab's container may name (ContainerPlan.engine). */
export type EngineName = 'default' | 'userns';

export class ContainerClients {
  constructor(
    readonly main: ContainerClient,
    readonly userns: ContainerClient | undefined,
  ) {}

  /** The main engine's client, and the user-namespace engine's when it runs (with `image`). */
  static async connect(main: Dockerode, image: string): Promise<ContainerClients> {
    return new ContainerClients(new ContainerClient(main), await connectUsernsEngine(main, image));
  }

  get(name: EngineName): ContainerClient {
    if (name === 'default') return this.main;
    if (this.userns === undefined) {
      throw new AppError('engine_unavailable', NO_USERNS_ENGINE());
    }
    return this.userns;
  }

  all(): ContainerClient[] {
    return this.userns === undefined ? [this.main] : [this.main, this.userns];
  }
}
