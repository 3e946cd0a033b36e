// How the warm pool is sized: NSLAB_POOL read strictly, "auto" per mode (and along the
// workshop's offered labs), and targets cut to what the machine holds, with the cut said in
// words.
import { describe, expect, it, vi } from 'vitest';
import { labs as catalogueLabs } from '../../labs/index.ts';
import { Catalogue } from '../../server/catalogue/catalogue.ts';
import type { LabDefinition } from '../../server/catalogue/lab-definition.ts';
import { log } from '../../server/log.ts';
import { createWarmPool } from '../../server/pool/create-warm-pool.ts';
import { fitPool, POOLED_CONTAINER_BYTES } from '../../server/pool/pool-capacity.ts';
import { loadConfig, parsePoolSetting } from '../../server/config.ts';
import { poolTargets } from '../../server/pool/pool-targets.ts';
import { CONTENT_DIR } from './support/catalogue-fixtures.ts';
import { TEST_FACTS } from './support/fake-check-context.ts';

const MIB = 1024 * 1024;

function lab(id: string, extra: Partial<LabDefinition> = {}): LabDefinition {
  return {
    id,
    containers: [{ name: 'a', title: 'A' }],
    ...extra,
  } as LabDefinition;
}

describe('NSLAB_POOL', () => {
  it('reads off, auto and explicit lists, and refuses anything else in words', () => {
    expect(parsePoolSetting(undefined)).toBe('auto');
    expect(parsePoolSetting('off')).toBe('off');
    expect(parsePoolSetting('0')).toBe('off');
    expect(parsePoolSetting('uts=30, pid=2')).toEqual({ uts: 30, pid: 2 });
    expect(() => parsePoolSetting('uts=lots')).toThrow(/NSLAB_POOL must be/);
    expect(() => parsePoolSetting('../etc=1')).toThrow(/NSLAB_POOL must be/);
  });

  it('auto keeps the next two labs for a solo learner and a room of the first lab in a workshop', () => {
    const labs = ['uts', 'pid', 'net'];
    expect([...poolTargets('auto', 'solo', 0, labs)]).toEqual([
      ['uts', 1],
      ['pid', 1],
    ]);
    expect([...poolTargets('auto', 'workshop', 30, labs)]).toEqual([['uts', 30]]);
    expect([...poolTargets('auto', 'workshop', 0, labs)]).toEqual([]);
    expect([...poolTargets('off', 'solo', 0, labs)]).toEqual([]);
  });

  it('refuses a lab it cannot pool by name', () => {
    expect(() => poolTargets({ uts: 1, nope: 2 }, 'solo', 0, ['uts'])).toThrow(/nope/);
  });
});

describe('fitPool', () => {
  const labs = new Map([
    [
      'uts',
      lab('uts', {
        containers: [
          { name: 'a', title: 'A' },
          { name: 'b', title: 'B' },
        ],
      }),
    ],
    ['pid', lab('pid')],
    ['net', lab('net', { networks: [{ name: 'n1' }, { name: 'n2' }, { name: 'n3' }] })],
  ]);

  it('keeps what fits untouched', () => {
    const plan = fitPool(new Map([['uts', 3]]), labs, {
      maxSessions: 200,
      availableBytes: 4096 * MIB,
    });
    expect(plan.targets.get('uts')).toBe(3);
    expect(plan.cut).toBeUndefined();
  });

  it('cuts to half the available memory, sharing the cut among the labs', () => {
    // Room for 10 containers: 2-container uts and 1-container pid sessions, in turn.
    const plan = fitPool(
      new Map([
        ['uts', 30],
        ['pid', 30],
      ]),
      labs,
      { maxSessions: 200, availableBytes: 20 * POOLED_CONTAINER_BYTES },
    );
    expect(plan.targets.get('uts')).toBeGreaterThanOrEqual(3);
    expect(plan.targets.get('pid')).toBeGreaterThanOrEqual(3);
    const containers = 2 * (plan.targets.get('uts') ?? 0) + (plan.targets.get('pid') ?? 0);
    expect(containers).toBeLessThanOrEqual(10);
    expect(plan.cut).toMatch(/half of the available memory/);
  });

  it('never holds more than half the session cap, nor more lab networks than the engine can spare', () => {
    const capped = fitPool(new Map([['pid', 50]]), labs, {
      maxSessions: 10,
      availableBytes: 64 * 1024 * MIB,
    });
    expect(capped.targets.get('pid')).toBe(5);
    expect(capped.cut).toMatch(/NSLAB_MAX_SESSIONS/);
    const networks = fitPool(new Map([['net', 30]]), labs, {
      maxSessions: 200,
      availableBytes: 64 * 1024 * MIB,
    });
    expect(networks.targets.get('net')).toBe(4);
    expect(networks.cut).toMatch(/lab networks/);
  });
});

describe('the auto pool and the offered labs', () => {
  it('makes a workshop’s room of the first offered lab, not the catalogue’s first', () => {
    const info = vi.spyOn(log, 'info').mockImplementation(() => undefined);
    const config = loadConfig({ mode: 'workshop', pool: 'auto', seats: 4, instance: 'unit-pool' });
    const deps = { hostFacts: TEST_FACTS } as unknown as Parameters<typeof createWarmPool>[2];
    const pool = createWarmPool(config, new Catalogue(catalogueLabs, CONTENT_DIR), deps, [
      'pid',
      'uts',
    ]);
    expect(pool).toBeDefined();
    expect(info).toHaveBeenCalledWith('warm pool', { targets: { pid: 4 } });
    info.mockRestore();
  });
});
