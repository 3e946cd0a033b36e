// The set-up's one-file archive, read back by GNU tar: name, size, owner and the setuid bit.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { singleFileTar } from '../../server/docker/single-file-tar.ts';

describe('singleFileTar', () => {
  it('is an archive GNU tar lists with the mode, owner and content given', () => {
    const content = Buffer.from('x'.repeat(700), 'utf8');
    const archive = singleFileTar({ name: 'logtee-abc', content, mode: 0o4755, uid: 0, gid: 0 });
    expect(archive.length % 512).toBe(0);
    const listing = execFileSync('tar', ['-tvf', '-', '--numeric-owner'], { input: archive });
    expect(listing.toString()).toMatch(/^-rwsr-xr-x 0\/0\s+700 .* logtee-abc\n$/);
    const extracted = execFileSync('tar', ['-xOf', '-'], { input: archive });
    expect(extracted.equals(content)).toBe(true);
  });

  it('refuses a name that is a path', () => {
    const file = { content: Buffer.alloc(0), mode: 0o600, uid: 0, gid: 0 };
    for (const name of ['', 'a/b', '../x', 'n'.repeat(100)])
      expect(() => singleFileTar({ ...file, name })).toThrow(/not a plain file name/);
  });
});
