// What provisioning builds, step by step: a session's containers, engines, disk, networks
// and files before any learner holds it. A learner claims a finished draft (sessions/), so
// a session can be provisioned ahead of the click that wants it.
import type { LabDefinition } from '../catalogue/lab-definition.ts';
import type { ContainerClient } from '../docker/container-client.ts';
import type { ContainerClients } from '../docker/container-clients.ts';
import type { SeatSessionEngine, Seats } from '../docker/seats.ts';
import type { SessionDockerd } from '../docker/session-dockerd.ts';
import type { SessionDockerds } from '../docker/session-dockerds.ts';
import type { SessionResources } from '../docker/session-resources.ts';
import type { ServerMode } from '../config.ts';
import type { EngineFacts } from '../host/host-facts.ts';
import type { HostDisk } from '../host/host-disk.ts';
import type { SessionFiles } from '../host/session-files.ts';
import type { ContainerPlan } from '../plans/container-plan.ts';
import type { NetworkPlan } from '../plans/network-plan.ts';
import type { Terminal } from '../terminal/terminal.ts';
import type { Teardown } from './teardown.ts';

/** What every session's provisioning uses: the engine, the host and the server's settings. */
export interface ProvisionDeps {
  instance: string;
  image: string;
  hostFacts: EngineFacts;
  /** The server's mode: a workshop makes no container of a solo-only exercise. Default solo. */
  mode?: ServerMode;
  /** The container clients, one per engine a lab may name ('default', 'userns'). */
  clients: ContainerClients;
  resources: SessionResources;
  files: SessionFiles;
  /** Starts the throwaway dockerds of labs with LabDefinition.sessionDockerds. */
  sessionDockerds?: SessionDockerds;
  /** Workshop mode's rootless seat engines. */
  seats?: Seats;
}

/** What a sweep needs: the instance, its engines and its host directories; no lab, no image. */
export type SweepDeps = Pick<
  ProvisionDeps,
  'instance' | 'clients' | 'resources' | 'files' | 'sessionDockerds'
>;

/** One container of a session, started, with its terminal if the learner types into it. */
export interface SessionContainer {
  plan: ContainerPlan;
  id: string;
  /** The engine this container runs on. */
  client: ContainerClient;
  /** Absent for helper containers the learner does not type into. */
  terminal: Terminal | undefined;
}

export interface SessionDraft {
  readonly id: string;
  /** A per-session secret for labs that plant something to find (never sent to the browser). */
  readonly token: string;
  readonly lab: LabDefinition;
  /** The session's own host directory (planted host files live here). */
  readonly dir: string;
  /**
   * The learner it is made for, when provisioning needs one (a workshop seat belongs to a
   * learner); undefined for a session made ahead of any learner.
   */
  readonly seatOf: string | undefined;
  seat: SeatSessionEngine | undefined;
  /** The session's own throwaway Docker engines (LabDefinition.sessionDockerds), by name. */
  readonly dockerds: Map<string, SessionDockerd>;
  /** The session's own disk on a loop device, for labs with LabDefinition.hostDisk. */
  disk: HostDisk | undefined;
  networks: NetworkPlan[];
  /** Started containers by lab name, in the order they finished starting. */
  readonly containers: Map<string, SessionContainer>;
  /** Everything made so far, to unmake in reverse. */
  readonly teardown: Teardown;
  /**
   * Called on every keystroke in any of its terminals. Nobody listens until a learner
   * claims the session: the claim points it at that learner's idle clock.
   */
  onActivity: () => void;
}

/** One named step of provisioning; it pushes the undo of whatever it made onto the teardown. */
export interface ProvisionStep {
  readonly name: string;
  run(draft: SessionDraft, deps: ProvisionDeps): Promise<void>;
  /**
   * The same undo for sessions nobody remembers (a crashed server's): finds what this step
   * made for any session of the instance by label or place, removes it and counts it.
   */
  sweep?(deps: SweepDeps): Promise<number>;
}
