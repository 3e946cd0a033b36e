// A Docker engine one session uses: its own throwaway dockerd (session-engine.ts), or in a
// workshop its learner's seat engine (seats.ts). Checks read it; ending the session stops it.
import type Dockerode from 'dockerode';

export interface SessionDockerd {
  readonly name: string;
  readonly docker: Dockerode;
  /** Its socket on the host (what `sessionEngineSocket` mounts). */
  readonly socketPath: string;
  /** dockerd's own log on the host. */
  readonly logPath: string;
  /** Ends what the session ran on it (for a throwaway engine: the engine itself). */
  stop(): Promise<void>;
}
