// The playground's server side with a fake engine: a refused request makes no engine call
// at all, an accepted one creates exactly the vetted container and removes the one it
// replaces, and starts are limited per session.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/errors/app-error.ts';
import type { ContainerClient } from '../../server/docker/container-client.ts';
import type { ContainerClients } from '../../server/docker/container-clients.ts';
import { Playgrounds } from '../../server/playground/playgrounds.ts';
import type { Session, SessionContainer } from '../../server/sessions/session.ts';
import { playgroundLab } from '../../labs/playground/playground-lab.ts';
import { TEST_FACTS } from './support/fake-check-context.ts';
import { HARDENED_NOBODY as PROFILE } from '../support/playground-request.ts';

/** An engine that records what it was asked to do. */
function fakeEngine() {
  const calls: string[] = [];
  const created: unknown[] = [];
  let next = 1;
  const client = {
    createAndStart: (options: unknown) => {
      calls.push('create');
      created.push(options);
      return Promise.resolve(`id-${++next}`);
    },
    remove: (id: string) => {
      calls.push(`remove ${id}`);
      return Promise.resolve();
    },
    inspect: () => Promise.reject(new Error('not needed')),
  } as unknown as ContainerClient;
  const clients = {
    get: () => client,
    main: client,
    all: () => [client],
  } as unknown as ContainerClients;
  return { calls, created, client, clients };
}

/** A session of the playground lab holding its first container, id-1. */
function fakeSession(client: ContainerClient) {
  const containers = new Map<string, SessionContainer>([
    [
      'playground',
      { plan: {} as SessionContainer['plan'], id: 'id-1', client, terminal: undefined },
    ],
  ]);
  return {
    id: 'aaaaaaaaaaaaaaaaaaaaaa',
    token: 'token',
    dir: '/tmp/nslab-test-play',
    lab: playgroundLab,
    isEnded: false,
    clock: { touch: () => undefined },
    containers,
    replaceContainer: (name: string, c: SessionContainer) => {
      const previous = containers.get(name);
      containers.set(name, c);
      return previous;
    },
  } as unknown as Session;
}

function playgrounds(clients: ContainerClients, mode: 'solo' | 'workshop' = 'solo') {
  const service = new Playgrounds(
    { image: 'nslab/lab:test', instance: 'test-play-unit', hostFacts: TEST_FACTS, clients },
    mode,
  );
  // The view reads the engine's inspect; these tests look at what was created instead.
  service.view = () => Promise.resolve({} as Awaited<ReturnType<Playgrounds['view']>>);
  return service;
}

describe('Playgrounds', () => {
  it('makes no engine call for a refused request', async () => {
    const engine = fakeEngine();
    const service = playgrounds(engine.clients, 'workshop');
    const session = fakeSession(engine.client);
    for (const body of [
      { ...PROFILE, binds: ['/:/host'] },
      { ...PROFILE, image: 'alpine' },
      { ...PROFILE, privileged: true },
      { ...PROFILE, memoryMb: 4096 },
      { ...PROFILE, capAdd: ['SYS_ADMIN'] },
    ])
      await expect(service.start(session, body)).rejects.toBeInstanceOf(AppError);
    expect(engine.calls).toEqual([]);
  });

  it('creates the vetted container, with nslab labels and limits, and removes the one it replaces', async () => {
    const engine = fakeEngine();
    const service = playgrounds(engine.clients);
    const session = fakeSession(engine.client);
    await service.start(session, PROFILE);
    expect(engine.calls).toEqual(['create', 'remove id-1']);
    expect(session.containers.get('playground')?.id).toBe('id-2');
    expect(engine.created[0]).toMatchObject({
      name: `nslab-test-play-unit-${session.id}-playground-2`,
      Image: 'nslab/lab:test',
      User: '65534:65534',
      Labels: { 'nslab.instance': 'test-play-unit', 'nslab.session': session.id },
      HostConfig: {
        NetworkMode: 'none',
        CapDrop: ['ALL'],
        CapAdd: [],
        ReadonlyRootfs: true,
        SecurityOpt: ['no-new-privileges'],
        Memory: 64 * 1048576,
        PidsLimit: 64,
        NanoCpus: 5e8,
        Mounts: [],
      },
    });
    await service.start(session, PROFILE);
    expect(engine.calls.slice(2)).toEqual(['create', 'remove id-2']);
  });

  it('limits starts per session', async () => {
    const engine = fakeEngine();
    const service = playgrounds(engine.clients);
    const session = fakeSession(engine.client);
    for (let i = 0; i < 5; i++) await service.start(session, PROFILE);
    await expect(service.start(session, PROFILE)).rejects.toMatchObject({ status: 429 });
    // Another learner's session has its own budget.
    await service.start(fakeSession(engine.client), PROFILE);
  });
});
