// A lab network as the session creates it: engine-wide name, labels, inter-container traffic.
import { sessionLabels } from '../docker/labels.ts';
import type { LabNetwork } from '../catalogue/lab-definition.ts';
import { resourceName } from './resource-names.ts';

export interface NetworkPlan {
  name: string;
  engineName: string;
  icc: boolean;
  labels: Record<string, string>;
}

export function planNetwork(
  network: LabNetwork,
  input: { instance: string; sessionId: string; labId: string },
): NetworkPlan {
  return {
    name: network.name,
    engineName: resourceName(input.instance, input.sessionId, network.name),
    icc: network.icc ?? true,
    labels: sessionLabels({
      instance: input.instance,
      sessionId: input.sessionId,
      labId: input.labId,
      container: network.name,
    }),
  };
}
