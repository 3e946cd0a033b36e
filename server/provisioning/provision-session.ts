// Provisioning as a pipeline of named steps, run in order by one runner. Each step pushes
// the undo of what it made; when a step fails, the runner undoes everything made so far,
// in reverse, and the caller gets one clear error. The result is a session nobody holds yet:
// a learner claims it (sessions/session-manager.ts), now or later.
import { randomBytes } from 'node:crypto';
import type { LabDefinition } from '../catalogue/lab-definition.ts';
import { AppError } from '../errors/app-error.ts';
import { message } from '../errors/server-message.ts';
import { log } from '../log.ts';
import type { ProvisionDeps, ProvisionStep, SessionDraft } from './session-draft.ts';
import { containersStep } from './steps/containers-step.ts';
import { socketDockerdsStep, tcpDockerdsStep } from './steps/dockerd-steps.ts';
import { hostDiskStep } from './steps/host-disk-step.ts';
import { hostFilesStep } from './steps/host-files-step.ts';
import { labSetupStep } from './steps/lab-setup-step.ts';
import { networksAndVolumesStep } from './steps/networks-step.ts';
import { seatEngineStep, seatRelayStep } from './steps/seat-engine-step.ts';
import { shellsStep } from './steps/shells-step.ts';
import { Teardown } from './teardown.ts';

const NOT_STARTED = message(
  'lab_not_started',
  'The lab could not be started. Is the Docker engine running?',
  '实验没能启动。Docker 引擎在运行吗？',
);

/** In order. Each step may read what the steps before it made (the seat, the disk, the containers). */
export const PROVISION_STEPS: readonly ProvisionStep[] = [
  seatEngineStep,
  hostFilesStep,
  seatRelayStep,
  socketDockerdsStep,
  hostDiskStep,
  networksAndVolumesStep,
  containersStep,
  tcpDockerdsStep,
  labSetupStep,
  shellsStep,
];

export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

function newSessionToken(): string {
  return randomBytes(8).toString('hex');
}

export interface ProvisionRequest {
  lab: LabDefinition;
  /** A workshop seat's learner, for labs that run on the learner's seat engine. */
  seatOf?: string;
}

export async function provisionSession(
  request: ProvisionRequest,
  deps: ProvisionDeps,
  steps: readonly ProvisionStep[] = PROVISION_STEPS,
): Promise<SessionDraft> {
  const id = newSessionId();
  const draft: SessionDraft = {
    id,
    token: newSessionToken(),
    lab: request.lab,
    dir: deps.files.dirOf(deps.instance, id),
    seatOf: request.seatOf,
    seat: undefined,
    dockerds: new Map(),
    disk: undefined,
    networks: [],
    containers: new Map(),
    teardown: new Teardown(id),
    onActivity: () => undefined,
  };
  let step: ProvisionStep | undefined;
  try {
    for (step of steps) await step.run(draft, deps);
    return draft;
  } catch (error) {
    log.warn('provisioning failed; undoing what was made', {
      session: id,
      lab: request.lab.id,
      step: step?.name,
      error: String(error),
    });
    await draft.teardown.run();
    if (error instanceof AppError) throw error;
    throw new AppError('engine_unavailable', NOT_STARTED(), { cause: error });
  }
}
