// TLS material for a session engine that listens on TCP with `--tlsverify`: a CA of its own
// (one per engine, thrown away with the session) and a server certificate for the helper
// container's DNS name. The CA signs no client certificate at all: the point of the lab is
// that a client without one is refused, and nobody in the session is meant to hold one.
import { execFile } from 'node:child_process';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const DAYS = '2';
const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/**
 * Writes ca.pem, cert.pem and key.pem (the names dockerd's --tlscacert, --tlscert and --tlskey
 * take) into `dir`, 0700, and returns `dir`. The CA's key is deleted once it has signed.
 */
export async function makeEngineTls(dir: string, serverName: string): Promise<string> {
  if (!/^[a-z0-9-]{1,63}$/.test(serverName)) throw new Error(`bad TLS server name ${serverName}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const at = (name: string): string => path.join(dir, name);
  await run('openssl', [
    'req',
    '-x509',
    ...KEY,
    '-keyout',
    at('ca-key.pem'),
    '-out',
    at('ca.pem'),
    '-days',
    DAYS,
    '-subj',
    '/CN=nslab session CA',
  ]);
  await run('openssl', [
    'req',
    ...KEY,
    '-keyout',
    at('key.pem'),
    '-out',
    at('server.csr'),
    '-subj',
    `/CN=${serverName}`,
  ]);
  await writeFile(
    at('server.ext'),
    `subjectAltName=DNS:${serverName}\nextendedKeyUsage=serverAuth\n`,
  );
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    at('server.csr'),
    '-CA',
    at('ca.pem'),
    '-CAkey',
    at('ca-key.pem'),
    '-CAcreateserial',
    '-out',
    at('cert.pem'),
    '-days',
    DAYS,
    '-extfile',
    at('server.ext'),
  ]);
  await Promise.all(
    ['ca-key.pem', 'server.csr', 'server.ext', 'ca.srl'].map((f) => rm(at(f), { force: true })),
  );
  return dir;
}
