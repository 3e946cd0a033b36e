// Starts a real nslab server on a free port under its own instance label, so tests never
// touch a learner's nslab or each other's containers; `await using` stops it and sweeps.
import Dockerode from 'dockerode';
import type { ServerConfig } from '../../server/config.ts';
import { NslabServer } from '../../server/nslab-server.ts';
import { ApiClient } from '../../server/protocol/api-client.ts';
import { TerminalDriver } from '../../server/verify/terminal-driver.ts';

export interface TestServer extends AsyncDisposable {
  server: NslabServer;
  api: ApiClient;
  docker: Dockerode;
  openTerminal(sessionId: string, name: string): Promise<TerminalDriver>;
}

export async function startTestServer(
  instance: string,
  graceMs = 60_000,
  config: Partial<ServerConfig> = {},
): Promise<TestServer> {
  const server = await NslabServer.start({
    config: { host: '127.0.0.1', port: 0, instance, graceMs, ...config },
  });
  const api = new ApiClient(server.origin, server.config.token);
  return {
    server,
    api,
    docker: new Dockerode(),
    openTerminal: async (sessionId, name) => {
      const driver = await TerminalDriver.open(api.terminalUrl(sessionId, name), {
        token: api.token,
        origin: api.origin,
      });
      await driver.waitForPrompt();
      return driver;
    },
    [Symbol.asyncDispose]: () => server.stop(),
  };
}

/** Every container on the engine carrying this instance label (or this session's). */
export async function labelled(
  docker: Dockerode,
  instance: string,
  sessionId?: string,
): Promise<Dockerode.ContainerInfo[]> {
  const label = [`nslab.instance=${instance}`];
  if (sessionId !== undefined) label.push(`nslab.session=${sessionId}`);
  return docker.listContainers({ all: true, filters: { label } });
}
