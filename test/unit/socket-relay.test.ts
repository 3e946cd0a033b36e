// The workshop's socket relay: bytes both ways, any number of connections, nothing left
// behind when it closes.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { relaySocket } from '../../server/docker/socket-relay.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'nslab-relay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An upstream that answers every chunk with "echo:" + the chunk. */
async function echoServer(socketPath: string): Promise<net.Server> {
  const server = net.createServer((c) => c.on('data', (d) => c.write(`echo:${d.toString()}`)));
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return server;
}

function ask(socketPath: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect(socketPath, () => c.write(text));
    c.once('data', (d) => {
      resolve(d.toString());
      c.end();
    });
    c.once('error', reject);
  });
}

describe('relaySocket', () => {
  it('carries each connection to the target and back, and removes its socket when closed', async () => {
    const upstream = await echoServer(path.join(dir, 'upstream.sock'));
    const relay = await relaySocket(
      path.join(dir, 'session', 'engine', 'docker.sock'),
      path.join(dir, 'upstream.sock'),
    );
    const answers = await Promise.all(['a', 'b', 'c'].map((t) => ask(relay.path, t)));
    expect(answers).toEqual(['echo:a', 'echo:b', 'echo:c']);
    await relay.close();
    expect(existsSync(relay.path)).toBe(false);
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  it('passes a half-close on and still carries the answer back', async () => {
    // Like a hijacked `docker attach`: the client is done sending, the engine is not.
    const upstream = net.createServer({ allowHalfOpen: true }, (c) => {
      let got = '';
      c.on('data', (d) => (got += d.toString()));
      c.on('end', () => c.end(`after the end:${got}`));
    });
    const target = path.join(dir, 'half-upstream.sock');
    await new Promise<void>((resolve) => upstream.listen(target, resolve));
    const relay = await relaySocket(path.join(dir, 'half.sock'), target);
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      const c = net.connect({ path: relay.path, allowHalfOpen: true }, () => c.end('input'));
      c.on('data', (d) => (text += d.toString()));
      c.on('end', () => resolve(text));
      c.on('error', reject);
    });
    expect(answer).toBe('after the end:input');
    await relay.close();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  it('drops a client whose target is gone instead of hanging', async () => {
    const relay = await relaySocket(path.join(dir, 'lonely.sock'), path.join(dir, 'missing.sock'));
    const closed = await new Promise<boolean>((resolve) => {
      const c = net.connect(relay.path);
      c.on('close', () => resolve(true));
      c.on('error', () => undefined);
    });
    expect(closed).toBe(true);
    await relay.close();
  });
});
