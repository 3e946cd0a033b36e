// The one public entry for lab authors. A lab module in labs/ (and labs/shared/) imports
// server code from here and nowhere else: what a lab is (LabDefinition and its parts), the
// evidence a check may read, and the capability names. The server's
// internals may move; this surface is what labs depend on.
import type Dockerode from 'dockerode';

// What a lab is, as data.
export type {
  Capability,
  CheckOutcome,
  ContainerProfile,
  Exercise,
  LabDefinition,
  LabText,
  Localized,
  LabNetwork,
  NetworkRef,
  PeerRef,
  PerSessionLimits,
  PlaygroundSpec,
  PlaygroundStep,
  SeccompProfile,
  SessionEngineSpec,
  SetupContext,
  SolutionStep,
  TypedStep,
} from './catalogue/lab-definition.ts';
export type { PlaygroundRequest } from './protocol/playground-types.ts';
export { SOCKET_ENGINE } from './catalogue/lab-definition.ts';
// Values each session gets its own of, chosen from its token the same way the plan chose them.
export {
  cpuList,
  sessionChoice,
  sessionCpuset,
  sessionMemoryMb,
  sessionWriteBps,
} from './catalogue/session-choices.ts';
export type { EngineFacts } from './host/host-facts.ts';
export type { HostDiskSpec } from './host/host-disk.ts';
export type { HostFile, HostFileInfo } from './host/session-files.ts';

// The evidence a check may read, and helpers that read it.
export type {
  CgroupController,
  CheckContext,
  ContainerEvidence,
  ContainerFile,
  ContainerFileType,
  HostEvidence,
  HostProcess,
  NamespaceKind,
  NetTable,
  RootfsChange,
  SandboxProcess,
  SessionEngineEvidence,
  SessionFileEvidence,
  WalkOptions,
} from './checks/check-context.ts';
export { parseProcStatus } from './checks/docker-check-context.ts';
/** What `docker inspect` returns for a container (ContainerEvidence.inspect). */
export type ContainerInspectInfo = Dockerode.ContainerInspectInfo;

// Capability names and bit numbers.
export {
  CAPABILITIES,
  CAPABILITY_BITS,
  CAP_NAMES,
  capName,
  type CapName,
  type CapabilityName,
} from './host/capabilities.ts';

// The profile playground: a composed profile as a lab container, and docker-bench's
// section 5 computed on the engine's inspect of a container.
export { playgroundContainer } from './playground/playground-container.ts';
export { dockerBenchScore } from './playground/docker-bench.ts';
