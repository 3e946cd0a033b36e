// What an engine says about itself (GET /info), as far as nslab reads it.
import type Dockerode from 'dockerode';

export interface EngineInfo {
  ID?: string;
  CgroupVersion?: string;
  SecurityOptions?: string[];
  DockerRootDir?: string;
  ServerVersion?: string;
  /** Runtimes registered with the engine, by name (runc; runsc where set-up added it). */
  Runtimes?: Record<string, { path?: string; runtimeArgs?: string[] }>;
}

export async function engineInfo(docker: Dockerode): Promise<EngineInfo> {
  return (await docker.info()) as EngineInfo;
}
