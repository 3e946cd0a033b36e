// The isolation inspector under load: N learners each with the inspector open on their own
// session (an SSE stream, as the page holds it), against the same sessions with none open.
// Measured: the server process's CPU (utime + stime from /proc/<pid>/stat) over a quiet
// window, and keystroke echo p50 in another learner's terminal; then again after every stream
// closed, which must cost nothing.
import { readFile } from 'node:fs/promises';
import type { ApiClient } from '../../server/protocol/api-client.ts';
import type { Figure, Part } from './context.ts';
import { withServer } from './context.ts';
import { endLab, startLab, type LabSession } from './nslab-session.ts';
import { keystroke } from './part-echo.ts';
import type { BenchServer } from './server-child.ts';
import type { ShellStream } from './shell-stream.ts';
import { inBatches, percentiles, sleep } from './stats.ts';

const WINDOW_MS = 10_000;
const KEYS = 300;
const GAP_MS = 12;
/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_S = 100;

/** CPU seconds the process used so far (user + system). */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}

/** The server's CPU, in cores, over a quiet window. */
async function cores(pid: number): Promise<number> {
  const before = await cpuSeconds(pid);
  const t0 = performance.now();
  await sleep(WINDOW_MS);
  return ((await cpuSeconds(pid)) - before) / ((performance.now() - t0) / 1000);
}

async function echoP50(shell: ShellStream): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < KEYS; i++) {
    samples.push(await keystroke(shell));
    await sleep(GAP_MS);
    if (i % 40 === 39) {
      shell.send('\x15');
      await sleep(30);
    }
  }
  shell.send('\x15');
  return percentiles(samples).p50;
}

interface Watcher {
  events: number;
  bytes: number;
  close(): void;
}

/** Opens the inspector's stream as the page's EventSource does, and counts what arrives. */
async function watch(api: ApiClient, sessionId: string): Promise<Watcher> {
  const abort = new AbortController();
  const response = await fetch(api.inspectionStreamUrl(sessionId), {
    headers: api.terminalAuth.headers,
    signal: abort.signal,
  });
  if (response.status !== 200) throw new Error(`inspector stream refused: ${response.status}`);
  const watcher: Watcher = { events: 0, bytes: 0, close: () => abort.abort() };
  const reader = response.body?.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const decoder = new TextDecoder();
  void (async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) return;
      watcher.bytes += chunk.value.length;
      watcher.events += (decoder.decode(chunk.value).match(/event: inspection/g) ?? []).length;
    }
  })();
  return watcher;
}

interface Phases {
  idle: { cpu: number; echo: number };
  watched: { cpu: number; echo: number; eventsPerS: number; kibPerS: number };
  closed: { cpu: number; echo: number };
}

async function measure(server: BenchServer, lab: string, count: number): Promise<Phases> {
  const sessions = await inBatches(
    Array.from({ length: count }, (_v, i) => async () => {
      const api = server.api(`inspect-${i}`);
      return { api, view: await api.startSession(lab) };
    }),
    3,
  );
  let typist: LabSession | undefined;
  try {
    typist = await startLab(server.api('inspect-typist'), lab);
    const shell = typist.shells[0];
    if (shell === undefined) throw new Error('the session has no terminal');
    await echoP50(shell);
    const idle = { cpu: await cores(server.pid), echo: await echoP50(shell) };
    const watchers = await Promise.all(sessions.map((s) => watch(s.api, s.view.id)));
    await sleep(3_000);
    const mark = watchers.map((w) => ({ events: w.events, bytes: w.bytes }));
    const t0 = performance.now();
    const cpu = await cores(server.pid);
    const seconds = (performance.now() - t0) / 1000;
    const events = watchers.reduce((sum, w, i) => sum + w.events - (mark[i]?.events ?? 0), 0);
    const bytes = watchers.reduce((sum, w, i) => sum + w.bytes - (mark[i]?.bytes ?? 0), 0);
    const watched = {
      cpu,
      echo: await echoP50(shell),
      eventsPerS: events / seconds,
      kibPerS: bytes / 1024 / seconds,
    };
    for (const w of watchers) w.close();
    await sleep(2_000);
    const closed = { cpu: await cores(server.pid), echo: await echoP50(shell) };
    return { idle, watched, closed };
  } finally {
    if (typist !== undefined) await endLab(typist);
    await inBatches(
      sessions.map((s) => () => s.api.endSession(s.view.id).catch(() => undefined)),
      5,
    );
  }
}

const figure = (
  name: string,
  label: string,
  value: number,
  unit: Figure['unit'],
  goal?: Figure['goal'],
): Figure => ({
  name,
  label,
  value,
  unit,
  ...(goal === undefined ? {} : { goal }),
});

export const inspectorPart: Part = async (ctx) => {
  const count = ctx.options.inspectors;
  const lab = ctx.options.lab;
  const p = await withServer(ctx, { pool: 'off', maxSessions: count + 5 }, (server) =>
    measure(server, lab, count),
  );
  return {
    part: 'inspector',
    title: `Isolation inspector: ${count} learners with the panel open`,
    method: `${count} "${lab}" sessions, each of its own learner, none typed into. The server's CPU (utime + stime of its process) over ${WINDOW_MS / 1000} s, and keystroke echo p50 (${KEYS} keys, one every ${GAP_MS} ms) in a further learner's terminal: first with no inspector open, then with all ${count} inspector streams open (GET .../inspection/stream, read as an EventSource does), then after closing them.`,
    figures: [
      figure('inspector_idle_cpu_cores', 'server CPU, no inspector open', p.idle.cpu, 'cores'),
      figure(
        'inspector_cpu_cores',
        `server CPU, ${count} inspectors open`,
        p.watched.cpu,
        'cores',
        {
          op: '<',
          target: 0.1,
        },
      ),
      figure(
        'inspector_added_cpu_cores',
        'CPU added by the inspectors',
        p.watched.cpu - p.idle.cpu,
        'cores',
      ),
      figure(
        'inspector_closed_cpu_cores',
        'server CPU after every inspector closed',
        p.closed.cpu,
        'cores',
      ),
      figure('inspector_echo_idle_p50_ms', 'echo p50, no inspector open', p.idle.echo, 'ms'),
      figure('inspector_echo_p50_ms', `echo p50, ${count} inspectors open`, p.watched.echo, 'ms'),
      figure(
        'inspector_echo_added_p50_ms',
        'echo p50 added by the inspectors',
        p.watched.echo - p.idle.echo,
        'ms',
        { op: '<=', target: 1 },
      ),
      figure(
        'inspector_events_per_s',
        'readings delivered per second (all streams)',
        p.watched.eventsPerS,
        'count',
      ),
      figure(
        'inspector_kib_per_s',
        'stream bytes per second (all streams)',
        p.watched.kibPerS,
        'KiB',
      ),
    ],
    notes: [`Echo p50 after closing: ${p.closed.echo.toFixed(2)} ms.`],
  };
};
