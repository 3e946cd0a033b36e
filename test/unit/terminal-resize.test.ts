// Resizes reach the shell's TTY coalesced: a burst costs two engine calls, the last one
// carries the newest size, and a resize sent while the shell starts is not lost. The engine
// here is a stand-in that counts calls; test/docker/terminal.test.ts and the fuzz check the
// size a real TTY ends up with.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ContainerClient, ExecShell } from '../../server/docker/container-client.ts';
import { Terminal } from '../../server/terminal/terminal.ts';

type Size = { cols: number; rows: number };

/** startShell answers when `release` is called; every resize takes `resizeMs`. */
function countingEngine(resizeMs: number) {
  const resizes: Size[] = [];
  let release: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (release = resolve));
  const client: Pick<ContainerClient, 'startShell'> = {
    startShell: async (_id: string, size: Size): Promise<ExecShell> => {
      await started;
      resizes.push(size); // the TTY is created at this size
      return {
        stream: new PassThrough(),
        resize: async (cols, rows) => {
          resizes.push({ cols, rows });
          await new Promise((resolve) => setTimeout(resolve, resizeMs));
        },
        exitCode: () => Promise.resolve(0),
      };
    },
  };
  return { client, resizes, release };
}

const settled = (ms = 100): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('terminal resizes', () => {
  it('turns a burst of 1000 into two engine calls, ending at the newest size', async () => {
    const engine = countingEngine(10);
    const terminal = new Terminal('t', 'container', engine.client);
    engine.release();
    terminal.input(Buffer.alloc(0)); // starts the shell
    await settled();
    expect(engine.resizes).toEqual([{ cols: 80, rows: 24 }]);

    for (let i = 1; i <= 1000; i++) terminal.control({ type: 'resize', cols: 10 + i, rows: 5 });
    await settled();
    expect(engine.resizes).toEqual([
      { cols: 80, rows: 24 },
      { cols: 11, rows: 5 },
      { cols: 1010, rows: 5 },
    ]);
    terminal.dispose();
  });

  it('applies a resize that arrives while the shell is starting', async () => {
    const engine = countingEngine(1);
    const terminal = new Terminal('t', 'container', engine.client);
    terminal.input(Buffer.alloc(0));
    terminal.control({ type: 'resize', cols: 120, rows: 40 });
    engine.release();
    await settled();
    expect(engine.resizes.at(-1)).toEqual({ cols: 120, rows: 40 });
    terminal.dispose();
  });
});
