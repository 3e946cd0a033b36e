// The audit lab's account parsing and its per-session drift: names from the first field,
// uid 0 from the third, and values that differ between sessions.
import { describe, expect, it } from 'vitest';
import { accountNames, uidZeroAccounts } from '../../labs/audit/account-files.ts';
import { backdoorAccount, REPLACEABLE, replacedProgram } from '../../labs/audit/drift.ts';

const PASSWD = `root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
svc-1a2b3c:x:0:0:backup service:/root:/bin/bash
odd:x: 0 :0::/:/bin/sh
broken:x:0
`;

describe('audit lab accounts', () => {
  it('reads names and uid-0 accounts from /etc/passwd text', () => {
    expect(accountNames(PASSWD)).toEqual(['root', 'daemon', 'svc-1a2b3c', 'odd', 'broken']);
    // A padded uid is still 0 to a reader that trims; a line with too few fields is no account.
    expect(uidZeroAccounts(PASSWD)).toEqual(['root', 'svc-1a2b3c', 'odd']);
  });

  it("chooses each session's own account and program", () => {
    const tokens = Array.from({ length: 40 }, (_, i) => `token-${i}`);
    expect(new Set(tokens.map(backdoorAccount)).size).toBe(40);
    for (const t of tokens) expect(backdoorAccount(t)).toMatch(/^svc-[0-9a-f]{6}$/);
    const programs = new Set(tokens.map(replacedProgram));
    expect(programs.size).toBeGreaterThan(10);
    for (const p of programs) expect(REPLACEABLE).toContain(p);
  });
});
