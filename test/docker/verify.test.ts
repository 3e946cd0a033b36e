// `verify` for every lab in the catalogue, as part of the suite: each check fails on a
// fresh session and passes after the reference solution is typed through the terminal.
import { describe, expect, it } from 'vitest';
import { labs } from '../../labs/index.ts';
import { formatVerdict } from '../../server/verify/verify-lab.ts';
import { verifyLabs } from '../../server/verify/verify-labs.ts';

describe('verify', () => {
  it('proves every lab both ways', async () => {
    const verdicts = await verifyLabs([], (verdict) =>
      process.stdout.write(`${formatVerdict(verdict)}\n`),
    );
    expect(verdicts.map((v) => v.labId)).toEqual(labs.map((lab) => lab.id));
    expect(verdicts.filter((v) => !v.ok).map(formatVerdict)).toEqual([]);
  }, 900_000);

  it('rejects unknown lab ids', async () => {
    await expect(verifyLabs(['no-such-lab'], () => undefined)).rejects.toThrow(/unknown lab/);
  });
});
