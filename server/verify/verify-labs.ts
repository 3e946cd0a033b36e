// Runs `verify` for the named labs (or all) against a server started in this process on a
// free port, under its own instance label so it never touches a learner's running nslab.
import { labs } from '../../labs/index.ts';
import { NslabServer } from '../nslab-server.ts';
import { ApiClient } from '../protocol/api-client.ts';
import { verifyLab, type LabVerdict } from './verify-lab.ts';

export async function verifyLabs(
  ids: readonly string[],
  onVerdict: (verdict: LabVerdict) => void,
): Promise<LabVerdict[]> {
  const unknown = ids.filter((id) => !labs.some((lab) => lab.id === id));
  if (unknown.length > 0)
    throw new Error(
      `unknown lab id(s): ${unknown.join(', ')}; known: ${labs.map((l) => l.id).join(', ')}`,
    );
  const chosen = ids.length === 0 ? labs : labs.filter((lab) => ids.includes(lab.id));
  await using server = await NslabServer.start({
    config: { host: '127.0.0.1', port: 0, instance: `verify-${process.pid}`, graceMs: 120_000 },
  });
  const target = {
    api: new ApiClient(server.origin, server.config.token),
    leftovers: (sessionId: string) => server.leftovers(sessionId),
  };
  const verdicts: LabVerdict[] = [];
  for (const lab of chosen) {
    const skipped = lab.unavailable?.(server.facts);
    const verdict: LabVerdict =
      skipped === undefined
        ? await verifyLab(target, lab).catch(
            // One lab that cannot even start must not hide the verdicts of the rest.
            (error: unknown): LabVerdict => ({
              labId: lab.id,
              ok: false,
              ms: 0,
              exercises: lab.exercises.length,
              problems: [
                `the lab did not start: ${error instanceof Error ? error.message : String(error)}`,
              ],
            }),
          )
        : {
            labId: lab.id,
            ok: true,
            ms: 0,
            exercises: lab.exercises.length,
            problems: [],
            skipped,
          };
    onVerdict(verdict);
    verdicts.push(verdict);
  }
  return verdicts;
}
