import { describe, expect, it } from 'vitest';
import {
  MYSTERY_CANDIDATES,
  capabilityName,
  decodeMask,
  hasCap,
  mysteryCapability,
  parseMask,
} from '../../labs/capabilities/capability-bits.ts';

describe('capability masks', () => {
  it("decodes Docker's default set as capsh does", () => {
    const mask = parseMask('00000000a80425fb');
    expect(mask).toBeDefined();
    expect(decodeMask(mask ?? 0n)).toEqual([
      'cap_chown',
      'cap_dac_override',
      'cap_fowner',
      'cap_fsetid',
      'cap_kill',
      'cap_setgid',
      'cap_setuid',
      'cap_setpcap',
      'cap_net_bind_service',
      'cap_net_raw',
      'cap_sys_chroot',
      'cap_mknod',
      'cap_audit_write',
      'cap_setfcap',
    ]);
  });

  it('tests single bits', () => {
    expect(hasCap(0x1n, 'cap_chown')).toBe(true);
    expect(hasCap(0xa80405fbn, 'cap_net_raw')).toBe(false);
    expect(hasCap(0xa80425fbn, 'cap_net_raw')).toBe(true);
    expect(hasCap(0xffffn, 'not_a_cap')).toBe(false);
  });

  it.each(['', 'xyz', '0x', '1'.repeat(17)])('refuses the mask %j', (text) =>
    expect(parseMask(text)).toBeUndefined(),
  );
});

describe('capabilityName', () => {
  it.each([
    ['KILL', 'cap_kill'],
    ['cap_kill', 'cap_kill'],
    [' CAP_NET_RAW ', 'cap_net_raw'],
    ['sys_admin', 'cap_sys_admin'],
  ])('reads %j as %j', (text, name) => expect(capabilityName(text)).toBe(name));

  it.each(['', 'cap_', 'root', 'cap_kill,cap_chown'])('refuses %j', (text) =>
    expect(capabilityName(text)).toBeUndefined(),
  );
});

describe('mysteryCapability', () => {
  it('is stable per token and one of the candidates', () => {
    expect(mysteryCapability('abc')).toBe(mysteryCapability('abc'));
    for (const token of ['a', 'b', 'c', 'd', 'e']) {
      expect(MYSTERY_CANDIDATES).toContain(mysteryCapability(token));
    }
  });

  it('varies between sessions', () => {
    const seen = new Set(Array.from({ length: 50 }, (_v, i) => mysteryCapability(`t${i}`)));
    expect(seen.size).toBeGreaterThan(5);
  });
});
