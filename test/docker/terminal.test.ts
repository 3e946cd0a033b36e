// The terminal path, end to end over a real WebSocket into a real container: bytes both
// ways, resize reaching the TTY, reconnect replay, shell restart, and the upgrade refusals
// that keep other pages and other users out.
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { TerminalDriver } from '../../server/verify/terminal-driver.ts';
import { startTestServer } from '../support/test-server.ts';

function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('error', (error) => {
      if (!String(error).includes('Unexpected server response')) reject(error);
    });
  });
}

describe('terminal over WebSocket', () => {
  it('runs commands, follows resizes, replays on reconnect and restarts an exited shell', async () => {
    await using t = await startTestServer('test-terminal');
    const session = await t.api.startSession('uts');
    const first = await t.openTerminal(session.id, 'isolated');
    expect(await first.run('echo $((6*7)) $TERM')).toBe('42 xterm-256color');
    first.resize(133, 41);
    await expect.poll(async () => first.run('stty size'), { timeout: 5_000 }).toBe('41 133');
    // Out-of-range sizes are clamped, never passed to Docker as they are.
    first.resize(1e9, -5);
    await expect.poll(async () => first.run('stty size'), { timeout: 5_000 }).toBe('3 500');
    await first.close();

    const second = await t.openTerminal(session.id, 'isolated');
    expect(second.controls).toContainEqual({ type: 'ready', terminal: 'isolated', replayed: true });
    expect(second.text).toContain('42 xterm-256color');

    second.send('exit\r');
    await second.waitFor(() => second.controls.some((c) => c.type === 'exit'), 'the exit message');
    // A keystroke brings a new shell; the command typed while it starts still runs.
    second.send('\r');
    expect(await second.run('echo fresh-$((1+1))')).toMatch(/^fresh-2$/m);
    await second.close();
  });

  it('hands every key to the shell: Ctrl-P at once, Ctrl-P Ctrl-Q, Ctrl-S before a big paste', async () => {
    await using t = await startTestServer('test-keys');
    const session = await t.api.startSession('uts');
    const driver = await t.openTerminal(session.id, 'isolated');
    expect(await driver.run('echo recalled-$((2*3))')).toBe('recalled-6');

    // Docker's default detach keys would hold a lone Ctrl-P back until the next key. (The
    // last line typed is run()'s marker printf, so that is what comes back.)
    const beforeCtrlP = driver.text.length;
    driver.send('\x10');
    await driver.waitFor(
      () => driver.text.slice(beforeCtrlP).includes('NSLAB_DONE 1'),
      'Ctrl-P to recall the last command on its own',
      5_000,
    );
    // ...and Ctrl-P Ctrl-Q would end the shell ("read escape sequence"). Here Ctrl-Q is
    // readline's quoted-insert (it takes the x), and Ctrl-U clears the line.
    driver.send('\x10\x11x\x15');
    expect(await driver.run('echo alive-$((3*3))')).toBe('alive-9');

    // With XON/XOFF on, Ctrl-S stops the shell's output; bash blocks writing, a paste fills the
    // TTY's input queue, and the Ctrl-Q queued behind it never arrives (measured: 300 KB does it).
    driver.send('\x13');
    const line = `: ${'p'.repeat(1_000)}\r`;
    for (let i = 0; i < 5; i++) driver.send(line.repeat(60));
    const afterPaste = driver.text.length;
    driver.send('\x15echo unfrozen-$((4*4))\r');
    await driver.waitFor(
      () => /^unfrozen-16\r?$/m.test(driver.text.slice(afterPaste)),
      'the shell to answer after Ctrl-S and the paste',
      60_000,
    );
    expect(driver.controls.filter((c) => c.type === 'exit')).toEqual([]);
    await driver.close();
  });

  it('refuses upgrades without the token, from a foreign origin, or for unknown sessions', async () => {
    await using t = await startTestServer('test-upgrade');
    const session = await t.api.startSession('uts');
    const url = t.api.terminalUrl(session.id, 'isolated');
    const cookie = `nslab_token=${t.api.token}`;
    const origin = t.api.origin;
    expect(await upgradeStatus(url, { origin })).toBe(401);
    expect(await upgradeStatus(url, { origin, cookie: 'nslab_token=wrong' })).toBe(401);
    expect(await upgradeStatus(url, { origin: 'http://evil.example', cookie })).toBe(403);
    expect(await upgradeStatus(url, { cookie })).toBe(403);
    expect(
      await upgradeStatus(t.api.terminalUrl('AAAAAAAAAAAAAAAAAAAAAA', 'isolated'), {
        origin,
        cookie,
      }),
    ).toBe(404);
    expect(await upgradeStatus(t.api.terminalUrl(session.id, '../..'), { origin, cookie })).toBe(
      404,
    );
    expect(await upgradeStatus(t.api.terminalUrl(session.id, 'nope'), { origin, cookie })).toBe(
      404,
    );
    // The language is checked as the API checks it: a bad value is a 400, not English.
    expect(await upgradeStatus(`${url}?lang=fr`, { origin, cookie })).toBe(400);
    expect(await upgradeStatus(`${url}?lang=zh&lang=en`, { origin, cookie })).toBe(400);
    expect(await upgradeStatus(url, { origin, cookie })).toBe(101);
  });

  it('closes oversized frames with 1009 and survives malformed control messages', async () => {
    await using t = await startTestServer('test-frames');
    const session = await t.api.startSession('uts');
    const driver = await t.openTerminal(session.id, 'isolated');
    for (const junk of [
      '{',
      'null',
      '[]',
      '{"type":"resize","cols":"x"}',
      '{"type":"rm -rf"}',
      '{"type":"resize","cols":NaN}',
    ]) {
      driver.sendRawControl(junk);
    }
    expect(await driver.run('echo still-here')).toBe('still-here');
    expect(driver.controls.filter((c) => c.type === 'error').length).toBeGreaterThanOrEqual(5);

    const big = await TerminalDriver.open(t.api.terminalUrl(session.id, 'host-uts'), {
      token: t.api.token,
      origin: t.api.origin,
    });
    big.send('x'.repeat(70 * 1024));
    await big.waitFor(() => big.closeInfo !== undefined, 'the close');
    expect(big.closeInfo?.code).toBe(1009);
    // The other terminal of the same session is unaffected.
    expect(await driver.run('echo after-big-frame')).toBe('after-big-frame');
    await driver.close();
  });
});
