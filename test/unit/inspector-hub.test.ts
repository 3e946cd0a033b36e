// The inspector's subscriptions: a session is read only while someone watches it, once for all
// its watchers, and its watchers hear when it ends.
import { describe, expect, it } from 'vitest';
import type { EngineFacts } from '../../server/host/host-facts.ts';
import { InspectorHub, type InspectableSession } from '../../server/inspector/inspector-hub.ts';
import type { InspectorSnapshot } from '../../server/protocol/inspector-types.ts';

const FACTS = { cgroupVersion: 1, apparmor: false } as EngineFacts;

/** A session with no containers: its readings need no engine, and count how often it was read. */
function fakeSession(): InspectableSession & { reads: number; ended: boolean } {
  const session = {
    id: 'AAAAAAAAAAAAAAAAAAAAAA',
    reads: 0,
    ended: false,
    get isEnded() {
      return session.ended;
    },
    inspectedContainers: () => {
      session.reads += 1;
      return [];
    },
  };
  return session;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the inspector hub', () => {
  it('reads a watched session on its interval, once for all watchers, and stops when none is left', async () => {
    const hub = new InspectorHub(FACTS, 20);
    const session = fakeSession();
    const first: InspectorSnapshot[] = [];
    const second: InspectorSnapshot[] = [];
    const stopFirst = hub.subscribe(session, (s) => s !== 'ended' && first.push(s));
    await expect.poll(() => first.length).toBeGreaterThanOrEqual(2);
    const stopSecond = hub.subscribe(session, (s) => s !== 'ended' && second.push(s));
    // The second page gets the latest reading at once, then the shared ones.
    await expect.poll(() => second.length).toBeGreaterThanOrEqual(2);
    expect(hub.watched).toBe(1);
    expect(session.reads).toBeLessThanOrEqual(first.length + 1);
    stopFirst();
    stopSecond();
    expect(hub.watched).toBe(0);
    const reads = session.reads;
    await sleep(80);
    expect(session.reads).toBe(reads);
  });

  it('tells watchers when the session ended, and stops reading it', async () => {
    const hub = new InspectorHub(FACTS, 20);
    const session = fakeSession();
    const heard: string[] = [];
    hub.subscribe(session, (s) => heard.push(s === 'ended' ? 'ended' : 'reading'));
    await sleep(50);
    session.ended = true;
    await expect.poll(() => heard.at(-1)).toBe('ended');
    expect(hub.watched).toBe(0);
  });
});
