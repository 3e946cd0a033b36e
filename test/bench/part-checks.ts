// Check latency per kind of evidence: what a learner waits for after pressing Check. Each kind
// is a real exercise's check, run through POST .../check on a live session, in turn.
import type { Figure, Part } from './context.ts';
import { withServer } from './context.ts';
import { endLab, startLab, type LabSession } from './nslab-session.ts';
import { percentiles, round, sleep, timed } from './stats.ts';

interface CheckKind {
  name: string;
  what: string;
  lab: string;
  exercise: string;
  answer?: string;
}

const KINDS: readonly CheckKind[] = [
  {
    name: 'namespace',
    what: 'namespace link: /proc/<pid>/ns/uts of the container and of the host (uts/own-namespace)',
    lab: 'uts',
    exercise: 'own-namespace',
    answer: 'uts:[4026531838]',
  },
  {
    name: 'hostname',
    what: "the engine-kept hostname file and the kernel's hostname of the container (uts/file-is-not-the-name)",
    lab: 'uts',
    exercise: 'file-is-not-the-name',
  },
  {
    name: 'cgroup',
    what: 'cgroup files: docker inspect, then pids.max, pids.events, pids.current on the host (cgroup-pids/contain-bomb)',
    lab: 'cgroup-pids',
    exercise: 'contain-bomb',
  },
];

/** One of each first, then `count` rounds, each kind in turn, on its own live session. */
async function sample(
  live: { kind: CheckKind; session: LabSession }[],
  count: number,
  samples: Map<string, number[]>,
): Promise<void> {
  for (let round = -1; round < count; round++) {
    for (const { kind, session } of live) {
      const { ms } = await timed(() =>
        session.api.check(session.view.id, kind.exercise, kind.answer),
      );
      if (round >= 0) samples.get(kind.name)?.push(ms);
      // Under the API's per-learner rate limit.
      await sleep(60);
    }
  }
}

export const checksPart: Part = async (ctx) => {
  const count = ctx.options.checkSamples;
  const samples = new Map<string, number[]>(KINDS.map((k) => [k.name, []]));
  const missing: string[] = [];
  await withServer(ctx, { pool: 'off', maxSessions: 10 }, async (server) => {
    const sessions: LabSession[] = [];
    try {
      for (const kind of KINDS)
        sessions.push(await startLab(server.api(`check-${kind.name}`), kind.lab));
      const live = KINDS.flatMap((kind, i) => {
        const session = sessions[i];
        if (session?.view.exercises.some((e) => e.id === kind.exercise) === true)
          return [{ kind, session }];
        missing.push(`${kind.lab}/${kind.exercise}`);
        return [];
      });
      await sample(live, count, samples);
    } finally {
      for (const session of sessions) await endLab(session);
    }
  });
  const figures: Figure[] = KINDS.map((kind) => ({
    name: `check_${kind.name}_p50_ms`,
    label: `${kind.name} check p50`,
    value: percentiles(samples.get(kind.name) ?? []).p50,
    unit: 'ms',
  }));
  const table = [
    '| kind | what it reads | p50 | p95 |',
    '| --- | --- | --- | --- |',
    ...KINDS.map((k) => {
      const p = percentiles(samples.get(k.name) ?? []);
      return `| ${k.name} | ${k.what} | ${round(p.p50)} ms | ${round(p.p95)} ms |`;
    }),
  ].join('\n');
  return {
    part: 'checks',
    title: 'Check latency per kind',
    method: `${count} checks of each kind after one warm-up, in turn, each timed around POST /api/sessions/<id>/exercises/<id>/check on a live session (answers are wrong on purpose: the evidence is read all the same).`,
    figures,
    notes: [
      table,
      ...(missing.length === 0
        ? []
        : [`Not measured (no such exercise now): ${missing.join(', ')}`]),
    ],
  };
};
