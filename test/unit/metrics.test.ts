// Each server's metrics live in a registry of their own: two in one process (tests, verify
// beside a server) neither clash at start-up nor count each other's events, and nothing
// lands in prom-client's global registry.
import { register } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { NslabMetrics } from '../../server/metrics/nslab-metrics.ts';

describe('metrics registries', () => {
  it('keeps two servers’ counts apart and the global registry empty', async () => {
    const sources = { sessions: () => [], poolSize: () => 3 };
    const first = new NslabMetrics(sources);
    const second = new NslabMetrics({ ...sources, poolSize: () => 0 });
    first.checked('uts', { exerciseId: 'own-namespace', passed: true, reason: 'ok' });
    first.input(12);
    const one = await first.registry.metrics();
    const two = await second.registry.metrics();
    expect(one).toContain(
      'nslab_check_results_total{lab="uts",exercise="own-namespace",verdict="passed"} 1',
    );
    expect(one).toContain('nslab_terminal_bytes_total{direction="in"} 12');
    expect(one).toContain('nslab_pool_sessions 3');
    expect(two).not.toContain('verdict="passed"');
    expect(two).toContain('nslab_pool_sessions 0');
    expect(await register.metrics()).not.toContain('nslab_');
  });
});
