// The engine's JSON-lines progress stream (import, build): one message a line.
import { createInterface } from 'node:readline';

export interface ProgressMessage {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

/**
 * Reads the stream to its end. Docker reports a failed build inside a 200 response, so an
 * `error` message must be turned into a throw.
 */
export async function readProgress(
  stream: NodeJS.ReadableStream,
  onMessage: (msg: ProgressMessage) => void,
): Promise<void> {
  let failure: string | undefined;
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let msg: ProgressMessage;
    try {
      msg = JSON.parse(line) as ProgressMessage;
    } catch {
      msg = { stream: line };
    }
    if (msg.error !== undefined) failure ??= msg.errorDetail?.message ?? msg.error;
    onMessage(msg);
  }
  if (failure !== undefined) throw new Error(failure);
}
