// The lsm lab's mount denial, proven on fixtures: which kernel-log records count as this
// session's denial by docker-default, which mount table lines count as its allowed mount, and
// where the exercise and its SYS_ADMIN containers exist at all.
import { describe, expect, it } from 'vitest';
import {
  findDenial,
  isSessionDenial,
  mountDirName,
  mountPoint,
  parseAppArmorRecord,
  tmpfsMountedOn,
} from '../../labs/lsm/kernel-audit.ts';
import { lsmLab } from '../../labs/lsm/lsm-lab.ts';
import { mountDeniedExercise } from '../../labs/lsm/mount-denial.ts';
import { containersMade, exerciseUnavailable } from '../../server/catalogue/availability.ts';
import { parseKmsgRecord } from '../../server/host/kernel-log.ts';
import { fakeCheckContext, TEST_FACTS } from './support/fake-check-context.ts';

const TOKEN = '0123456789abcdef';
const POINT = mountPoint(TOKEN);
/** The confined container's start, and a record time after it (audit() is seconds.millis). */
const STARTED = '2026-12-05T14:00:00.000000000Z';
const SINCE = Date.parse(STARTED);
const AFTER = `${SINCE / 1000 + 30}.123`;
const BEFORE = `${SINCE / 1000 - 30}.123`;

/** A denial as the kernel writes it (Linux 6.x field order), with parts a test may change. */
function denial(
  o: { at?: string; verdict?: string; op?: string; profile?: string; name?: string } = {},
): string {
  return `audit: type=1400 audit(${o.at ?? AFTER}:42): apparmor="${o.verdict ?? 'DENIED'}" operation="${o.op ?? 'mount'}" class="mount" info="failed flags match" error=-13 profile="${o.profile ?? 'docker-default'}" name="${o.name ?? `${POINT}/`}" pid=12345 comm="mount" fstype="tmpfs" srcname="none" flags="rw"`;
}

const QUERY = { mountPoint: POINT, sinceMs: SINCE, profile: 'docker-default' };
const FORGED_TEXT = denial().replace(/^audit: type=1400 audit\([^)]*\): /, '');

describe('the lsm lab: a docker-default mount denial in the kernel log', () => {
  it('names each session its own mount point, the same every time for one token', () => {
    expect(mountDirName(TOKEN)).toMatch(/^lsm-[0-9a-f]{12}$/);
    expect(mountDirName(TOKEN)).toBe(mountDirName(TOKEN));
    expect(mountDirName('fedcba9876543210')).not.toBe(mountDirName(TOKEN));
    expect(POINT).toBe(`/mnt/${mountDirName(TOKEN)}`);
    // The name does not give the token away.
    expect(POINT).not.toContain(TOKEN.slice(0, 8));
  });

  it("takes this session's denial, of the mount point or below it, made after the container started", () => {
    expect(isSessionDenial(denial(), QUERY)).toBe(true);
    expect(isSessionDenial(denial({ name: `${POINT}/deeper/` }), QUERY)).toBe(true);
    expect(parseAppArmorRecord(denial())?.fields.get('info')).toBe('failed flags match');
  });

  it.each([
    ["another session's mount point", denial({ name: `${mountPoint('fedcba9876543210')}/` })],
    ['a directory whose name only starts with it', denial({ name: `${POINT}x/` })],
    ['the parent directory', denial({ name: '/mnt/' })],
    ['a denial by another profile', denial({ profile: 'lxd-box' })],
    ['a record of an unconfined process', denial({ profile: 'unconfined' })],
    ['an ALLOWED record (complain mode)', denial({ verdict: 'ALLOWED' })],
    ['an AUDIT record (an audit rule, not a refusal)', denial({ verdict: 'AUDIT' })],
    ['a denial of another operation', denial({ op: 'open' })],
    ['a record from before the session started', denial({ at: BEFORE })],
  ])('refuses %s', (_what, record) => {
    expect(isSessionDenial(record, QUERY)).toBe(false);
  });

  it('refuses what a container can write into the log: an audit user message (type 1107) carrying the text', () => {
    // Recorded on this machine from a default container (test/docker/lsm-lab.test.ts sends it).
    const user = `audit: type=1107 audit(${AFTER}:1): pid=17181 uid=0 auid=4294967295 ses=4294967295 msg='${FORGED_TEXT}'`;
    expect(isSessionDenial(user, QUERY)).toBe(false);
    // A newline in the message stays one record in /dev/kmsg (dmesg would print two lines).
    const twoLines = `${user.slice(0, -1)}\\x0a${denial()}'`;
    expect(isSessionDenial(twoLines, QUERY)).toBe(false);
    // Even where a second header follows a real one, the record is spoilt, not half-read.
    expect(isSessionDenial(`${denial({ name: '/mnt/' })} ${denial()}`, QUERY)).toBe(false);
  });

  it('refuses records whose fields are not what the kernel writes', () => {
    expect(isSessionDenial(`x${denial()}`, QUERY)).toBe(false);
    expect(isSessionDenial(denial().replace('apparmor="DENIED" ', ''), QUERY)).toBe(false);
    expect(isSessionDenial(`${denial()} profile="docker-default"`, QUERY)).toBe(false);
    expect(isSessionDenial(denial().replace('comm="mount"', 'comm="mo"unt"'), QUERY)).toBe(false);
    expect(parseAppArmorRecord(denial().replace('type=1400', 'type=1107'))).toBeUndefined();
  });

  it('finds the one record that counts among the rest of the log', () => {
    const log = [
      'docker0: port 1(veth5172edf) entered disabled state',
      denial({ profile: 'unconfined' }),
      denial({ at: BEFORE }),
      denial(),
    ];
    expect(findDenial(log, QUERY)).toBe(denial());
    expect(findDenial(log.slice(0, 3), QUERY)).toBeUndefined();
  });

  it('reads /dev/kmsg records as one line each, escapes kept, dictionary lines dropped', () => {
    expect(parseKmsgRecord(`5,18711,36106486862,-;${denial()}\n SUBSYSTEM=x\n`)).toEqual({
      seq: 18711,
      text: denial(),
    });
    expect(parseKmsgRecord('6,1,2,-;a\\x0ab')?.text).toBe('a\\x0ab');
    expect(parseKmsgRecord('not a record')).toBeUndefined();
  });
});

describe('the lsm lab: the allowed mount in the mount table', () => {
  const table = (point: string, type: string) =>
    `388 515 0:132 / ${point} rw,relatime - ${type} none rw\n515 1 0:60 / / rw - overlay overlay rw`;

  it('takes a tmpfs on exactly the mount point', () => {
    expect(tmpfsMountedOn(table(POINT, 'tmpfs'), POINT)).toContain(POINT);
  });

  it.each([
    ['another directory', table('/mnt/other', 'tmpfs')],
    ['a path below it', table(`${POINT}/x`, 'tmpfs')],
    ['another file system type', table(POINT, 'proc')],
    ['a mount point with a space (escaped by the kernel)', table(`${POINT}\\040x`, 'tmpfs')],
  ])('refuses %s', (_what, mountinfo) => {
    expect(tmpfsMountedOn(mountinfo, POINT)).toBeUndefined();
  });
});

describe('the lsm lab: where the mount exercise runs', () => {
  const withAppArmor = { ...TEST_FACTS, apparmor: true };
  const made = (facts: typeof TEST_FACTS, mode: 'solo' | 'workshop') =>
    containersMade(lsmLab, facts, mode).map((c) => c.name);

  it('is unavailable without AppArmor, saying what a host with it would show, and makes no SYS_ADMIN container', () => {
    const why = exerciseUnavailable(lsmLab, mountDeniedExercise, TEST_FACTS, 'solo');
    expect(why).toBeDefined();
    const text = typeof why === 'string' ? { en: why, zh: why } : why;
    expect(text?.en).toContain('apparmor="DENIED" operation="mount"');
    expect(text?.zh).toContain('没有报告 AppArmor');
    expect(made(TEST_FACTS, 'solo')).toEqual(['default', 'unconfined']);
  });

  it('runs with AppArmor in solo mode, with both mount containers', () => {
    expect(exerciseUnavailable(lsmLab, mountDeniedExercise, withAppArmor, 'solo')).toBeUndefined();
    expect(made(withAppArmor, 'solo')).toEqual([
      'default',
      'unconfined',
      'mount-confined',
      'mount-unconfined',
    ]);
  });

  it('is solo only: a workshop gets the reason and no SYS_ADMIN container', () => {
    const why = exerciseUnavailable(lsmLab, mountDeniedExercise, withAppArmor, 'workshop');
    expect(typeof why === 'string' ? why : why?.en).toContain('solo mode');
    expect(made(withAppArmor, 'workshop')).toEqual(['default', 'unconfined']);
  });

  it('gives the mount containers SYS_ADMIN and nothing else', () => {
    for (const name of ['mount-confined', 'mount-unconfined']) {
      const profile = lsmLab.containers.find((c) => c.name === name);
      expect(profile).toMatchObject({ capDrop: ['ALL'], capAdd: ['SYS_ADMIN'] });
      expect(profile?.networkMode).toBeUndefined();
    }
  });
});

describe('the lsm lab: the check', () => {
  const evidence = (kernelLog: string[], mountinfo: string) =>
    fakeCheckContext({
      sessionToken: TOKEN,
      facts: { apparmor: true },
      kernelLog,
      containers: {
        'mount-confined': { inspect: { State: { StartedAt: STARTED } } },
        'mount-unconfined': { mountinfo },
      },
    });
  const mounted = `388 515 0:132 / ${POINT} rw,relatime - tmpfs none rw`;

  it('passes on the denial and the unconfined mount, and quotes the kernel record', async () => {
    const outcome = await mountDeniedExercise.check(evidence([denial()], mounted).ctx, undefined);
    expect(outcome.passed).toBe(true);
    expect(outcome.reason.en).toContain('apparmor="DENIED"');
  });

  it('fails without the denial (hint: the confined mount), and without the mount (hint: the unconfined one)', async () => {
    const none = await mountDeniedExercise.check(
      evidence([denial({ profile: 'lxd-box' })], mounted).ctx,
      undefined,
    );
    expect(none).toMatchObject({ passed: false, hint: 1 });
    const half = await mountDeniedExercise.check(evidence([denial()], '').ctx, undefined);
    expect(half).toMatchObject({ passed: false, hint: 2 });
  });
});
