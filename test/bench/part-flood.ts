// Server memory under output floods: ten sessions each running `yes` for a few seconds,
// read by their WebSockets as fast as the bench can. RSS before, at its peak (sampled from
// /proc without forcing a GC), after the flood (after a GC) and after the sessions end.
import { readFileSync } from 'node:fs';
import type { Figure, Part } from './context.ts';
import { withServer } from './context.ts';
import { endLab, startLab, type LabSession } from './nslab-session.ts';
import type { BenchServer } from './server-child.ts';
import type { ShellStream } from './shell-stream.ts';
import { inBatches, mib, sleep } from './stats.ts';

function rssOf(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? 0 : Number(kb) * 1024;
  } catch {
    return 0;
  }
}

interface Flood {
  before: number;
  peak: number;
  after: number;
  ended: number;
  /** Bytes the bench read from all the WebSockets during the flood. */
  delivered: number;
}

/** `yes` in every shell for `seconds`, then Ctrl-C and a prompt back in each. */
async function flood(server: BenchServer, shells: ShellStream[], seconds: number) {
  await sleep(500);
  const before = (await server.memory()).rss;
  const received = (): number => shells.reduce((sum, s) => sum + s.bytes, 0);
  const start = received();
  let peak = rssOf(server.pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(server.pid))), 100);
  try {
    for (const shell of shells) shell.send('yes\r');
    await sleep(seconds * 1000);
    const delivered = received() - start;
    for (const shell of shells) shell.send('\x03');
    await Promise.all(shells.map((s) => s.run('true', 60_000)));
    return { before, delivered, peak: Math.max(peak, rssOf(server.pid)) };
  } finally {
    clearInterval(sampler);
  }
}

function floodFigures(count: number, seconds: number, f: Flood): Figure[] {
  return [
    {
      name: 'flood_rss_before_mib',
      label: `server RSS, ${count} idle sessions`,
      value: mib(f.before),
      unit: 'MiB',
    },
    {
      name: 'flood_rss_peak_mib',
      label: `server RSS peak while ${count} sessions flood \`yes\` for ${seconds} s`,
      value: mib(f.peak),
      unit: 'MiB',
    },
    {
      name: 'flood_rss_after_mib',
      label: 'server RSS after the flood (after a GC)',
      value: mib(f.after),
      unit: 'MiB',
    },
    {
      name: 'flood_rss_growth_mib',
      label: 'growth after the flood (after - before)',
      value: mib(f.after - f.before),
      unit: 'MiB',
    },
    {
      name: 'flood_rss_ended_mib',
      label: 'server RSS after the sessions ended',
      value: mib(f.ended),
      unit: 'MiB',
    },
    {
      name: 'flood_aggregate_mib_s',
      label: 'output delivered to the clients, all sessions',
      value: mib(f.delivered) / seconds,
      unit: 'MiB/s',
    },
  ];
}

export const floodPart: Part = async (ctx) => {
  const { floodSessions: count, floodSeconds: seconds, lab } = ctx.options;
  const result = await withServer(ctx, { pool: 'off', maxSessions: count + 10 }, async (server) => {
    const jobs = Array.from(
      { length: count },
      (_v, i) => () => startLab(server.api(`flood-${i}`), lab),
    );
    const sessions: LabSession[] = await inBatches(jobs, 4);
    const end = () =>
      inBatches(
        sessions.map((s) => () => endLab(s)),
        4,
      );
    try {
      const shells = sessions.flatMap((s) => s.shells.slice(0, 1));
      const flooded = await flood(server, shells, seconds);
      const after = (await server.memory()).rss;
      await end();
      return { ...flooded, after, ended: (await server.memory()).rss };
    } catch (error) {
      await end();
      throw error;
    }
  });
  return {
    part: 'flood',
    title: `Server memory while ${count} sessions flood their terminals`,
    method: `${count} "${lab}" sessions started (4 at a time), their first terminal attached; each runs \`yes\` for ${seconds} s while the bench reads every WebSocket as fast as it can, then Ctrl-C. RSS of the server process: "before" and "after" after a full GC (node --expose-gc), the peak sampled every 100 ms from /proc.`,
    figures: floodFigures(count, seconds, result),
    notes: [],
  };
};
