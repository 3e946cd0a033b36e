// The names a session's resources carry on the engine and in its host directory.
import { SOCKET_ENGINE } from '../catalogue/lab-definition.ts';

/** Engine-wide name of a session resource (container, network, volume). */
export function resourceName(instance: string, sessionId: string, name: string): string {
  return `nslab-${instance}-${sessionId}-${name}`;
}

/** Where a session's throwaway engine (LabDefinition.sessionEngines) puts its socket, in the session directory. */
export function engineSocketPath(engine: string): string {
  return `${engine}/docker.sock`;
}

/** The socket `sessionEngineSocket` mounts: the engine named SOCKET_ENGINE's. */
export const SESSION_ENGINE_SOCKET = engineSocketPath(SOCKET_ENGINE);
