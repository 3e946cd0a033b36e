// What the engine layer needs to know about a session's own engine: the lab's description of
// it (LabDefinition.sessionEngines uses this type) and where its socket lives.

/** The engine a container's `sessionEngineSocket` mounts. */
export const SOCKET_ENGINE = 'engine';

export interface EngineSpec {
  /**
   * Its directory in the session's host directory (socket, data, log) and its name for
   * checks. The engine named SOCKET_ENGINE is the one `sessionEngineSocket` mounts.
   */
  name: string;
  /**
   * Serve the API on TCP inside this container's network namespace (a terminal-less helper
   * on one of the lab's internal networks), as `dockerd -H tcp://0.0.0.0:<port>` would;
   * with `tls`, only to clients holding a certificate signed by the session's own CA
   * (`--tlsverify`), which no learner container is given. Without `listen` the engine gets a
   * network namespace of its own and only its Unix socket.
   */
  listen?: { container: string; port: number; tls: boolean };
  /**
   * Join this container's network namespace (a terminal-less helper on one of the lab's
   * internal networks) and serve only the Unix socket: the engine then reaches the lab's
   * other containers by name (a registry), and nothing else. It starts after the containers;
   * a container that mounts its socket gets a relay the server opens beforehand.
   */
  joins?: { container: string };
  /**
   * Registries this engine talks to over plain HTTP (`dockerd --insecure-registry`), as
   * host:port. The image-provenance lab's registry serves no TLS, and its lesson says so.
   */
  insecureRegistries?: readonly string[];
  /** Load the lab image into it (default true). An engine that is only ever refused needs none. */
  image?: boolean;
}

/** Where a session's throwaway engine (LabDefinition.sessionEngines) puts its socket, in the session directory. */
export function engineSocketPath(engine: string): string {
  return `${engine}/docker.sock`;
}

/**
 * Where an engine that joins a container's network namespace (`joins`) listens instead: it
 * starts after the containers, so its engineSocketPath is a relay to this, opened before them.
 */
export function lateEngineSocketPath(engine: string): string {
  return `${engine}/dockerd.sock`;
}

/** An engine that needs a container's network namespace starts after the containers. */
export function startsLate(spec: EngineSpec): boolean {
  return spec.listen !== undefined || spec.joins !== undefined;
}

/** The container whose network namespace the engine joins, if any. */
export function netnsContainer(spec: EngineSpec): string | undefined {
  return spec.listen?.container ?? spec.joins?.container;
}
