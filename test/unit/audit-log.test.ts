// The audit lab's logging exercise and the engine log it reads: frames demultiplexed as the
// engine sends them, and a verdict that wants the finding alone, in drifted's log.
import { describe, expect, it } from 'vitest';
import { backdoorAccount } from '../../labs/audit/drift.ts';
import { recordFinding } from '../../labs/audit/record-finding.ts';
import { demuxLog } from '../../server/docker/container-log.ts';
import { fakeCheckContext } from './support/fake-check-context.ts';

function frame(stream: 1 | 2, text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

const PASSWD =
  'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/:/bin/sh\nnobody:x:65534:65534::/:/bin/sh\n';
const account = backdoorAccount('feedface');

async function judge(log: string): Promise<{ passed: boolean; hint?: number; reason: string }> {
  const { ctx } = fakeCheckContext({
    containers: { drifted: { log }, golden: { texts: { '/etc/passwd': PASSWD } } },
  });
  const outcome = await recordFinding.check(ctx, undefined);
  const hint = outcome.passed ? undefined : outcome.hint;
  return { passed: outcome.passed, hint, reason: outcome.reason.en };
}

describe('the engine log', () => {
  it('keeps both streams in order and drops a cut-off frame', () => {
    const raw = Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n'), frame(1, 'more')]);
    expect(demuxLog(raw)).toBe('out\nerr\nmore');
    expect(demuxLog(raw.subarray(0, raw.length - 2))).toBe('out\nerr\n');
    expect(demuxLog(Buffer.alloc(0))).toBe('');
  });

  it('stops at bytes that are not a frame rather than reading them as text', () => {
    const raw = Buffer.concat([frame(1, 'ok\n'), Buffer.from('plain text, no header')]);
    expect(demuxLog(raw)).toBe('ok\n');
  });
});

describe('audit lab: record the finding in the log', () => {
  it("passes on the session's account alone on a line, among other lines", async () => {
    expect((await judge(`${account}\n`)).passed).toBe(true);
    expect((await judge(`starting\n  ${account}  \nbye\n`)).passed).toBe(true);
  });

  it('fails on an empty log, another session’s account or the name inside a longer line', async () => {
    expect(await judge('')).toMatchObject({ passed: false, hint: 0 });
    expect(await judge(`${backdoorAccount('other-session')}\n`)).toMatchObject({
      passed: false,
      hint: 1,
    });
    expect((await judge(`found ${account} in passwd\n`)).passed).toBe(false);
  });

  it('fails on a list of every account, the right one among them', async () => {
    const dump = `root\ndaemon\n${account}\nnobody\n`;
    const outcome = await judge(dump);
    expect(outcome).toMatchObject({ passed: false, hint: 1 });
    expect(outcome.reason).toMatch(/other accounts too \(root, daemon, nobody\)/);
  });
});
