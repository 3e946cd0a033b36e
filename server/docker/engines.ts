// The Docker engines a server drives: the main one, and optionally the second engine with
// user-namespace remapping that only the user lab uses. A lab that needs an engine which
// is not running gets a clear refusal, not a half-made session.
import { AppError } from '../errors/app-error.ts';
import type { ContainerClient } from './container-client.ts';

export type EngineName = 'default' | 'userns';

export class Engines {
  constructor(
    readonly main: ContainerClient,
    readonly userns: ContainerClient | undefined,
  ) {}

  get(name: EngineName): ContainerClient {
    if (name === 'default') return this.main;
    if (this.userns === undefined) {
      throw new AppError(
        'engine_unavailable',
        'This lab needs the user-namespace engine, which is not running. Start it with: sudo bash server/setup/userns-engine.sh start',
      );
    }
    return this.userns;
  }

  all(): ContainerClient[] {
    return this.userns === undefined ? [this.main] : [this.main, this.userns];
  }
}
