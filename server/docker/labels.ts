// Every resource the server creates carries these labels, so a sweep can find and remove
// whatever a crashed server left behind without touching anything else on the engine.

export const LABELS = {
  instance: 'nslab.instance',
  session: 'nslab.session',
  lab: 'nslab.lab',
  container: 'nslab.container',
} as const;

export function sessionLabels(input: {
  instance: string;
  sessionId: string;
  labId: string;
  container: string;
}): Record<string, string> {
  return {
    [LABELS.instance]: input.instance,
    [LABELS.session]: input.sessionId,
    [LABELS.lab]: input.labId,
    [LABELS.container]: input.container,
  };
}

/** A Docker list filter matching everything this server instance (or one session) created. */
export function labelFilter(instance: string, sessionId?: string): { label: string[] } {
  const label = [`${LABELS.instance}=${instance}`];
  if (sessionId !== undefined) label.push(`${LABELS.session}=${sessionId}`);
  return { label };
}
