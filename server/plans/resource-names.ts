// The names a session's resources carry on the engine and in its host directory.
import { engineSocketPath, SOCKET_ENGINE } from '../docker/engine-spec.ts';

/** Engine-wide name of a session resource (container, network, volume). */
export function resourceName(instance: string, sessionId: string, name: string): string {
  return `nslab-${instance}-${sessionId}-${name}`;
}

/** The socket `sessionEngineSocket` mounts: the engine named SOCKET_ENGINE's. */
export const SESSION_ENGINE_SOCKET = engineSocketPath(SOCKET_ENGINE);
