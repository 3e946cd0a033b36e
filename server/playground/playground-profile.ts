// The one gate between a learner's playground request and Docker. Docker's security docs
// warn that a web server which creates containers must check its parameters so a malicious
// user cannot create arbitrary containers: every field here is checked against an allowlist
// (playground-types.ts), anything else is refused with a 400 that names the field, and only
// the vetted value this returns goes on to be planned. Pure: no engine, no session.
import { AppError } from '../errors/app-error.ts';
import {
  ADDABLE_CAPABILITIES,
  DROPPABLE_CAPABILITIES,
  PLAYGROUND_FIELDS,
  PLAYGROUND_LIMITS,
  PLAYGROUND_USERS,
  SECCOMP_DEFAULT,
  SECCOMP_UNCONFINED,
  SHAREABLE_NAMESPACES,
  SOLO_ONLY,
  type PlaygroundRequest,
} from '../protocol/playground-types.ts';

export interface PlaygroundPolicy {
  mode: 'solo' | 'workshop';
  /** The lab's own seccomp profiles, by file name (LabDefinition.playground). */
  seccompProfiles: readonly string[];
}

/** Fields people try first, refused with the reason rather than only "unexpected". */
const NEVER: Record<string, string> = {
  image: 'the playground runs nslab’s own lab image, never one a request names',
  bind: 'the playground never mounts a host path into the container',
  binds: 'the playground never mounts a host path into the container',
  volume: 'the playground never mounts a host path or volume into the container',
  volumes: 'the playground never mounts a host path or volume into the container',
  mount: 'the playground never mounts a host path into the container',
  mounts: 'the playground never mounts a host path into the container',
  device: 'the playground passes no host device into the container',
  devices: 'the playground passes no host device into the container',
  privileged:
    '--privileged switches off every isolation this lab is about (recommendation 5); it is never offered',
  cmd: 'the container runs nslab’s fixed command; you type yours in its terminal',
  command: 'the container runs nslab’s fixed command; you type yours in its terminal',
  entrypoint: 'the container runs nslab’s fixed command; you type yours in its terminal',
  env: 'the container’s environment is nslab’s own',
  sysctls: 'sysctls are not among the playground’s options',
  securityopt: 'choose seccomp and no-new-privileges with their own fields',
  hostconfig: 'name each option by its own field; raw engine options are never accepted',
};

function bad(field: string, why: string): AppError {
  return new AppError('bad_request', `Field "${field}" ${why}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    throw bad(field, `must be one of ${allowed.join(', ')}.`);
  return value as T;
}

/** A list of distinct allowed names (at most the whole allowlist, so no huge arrays). */
function listOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T[] {
  if (!Array.isArray(value)) throw bad(field, 'must be a list.');
  if (value.length > allowed.length) throw bad(field, 'lists more entries than there are options.');
  const out: T[] = [];
  for (const item of value as unknown[]) {
    const name = oneOf(field, item, allowed);
    if (out.includes(name)) throw bad(field, `names ${name} twice.`);
    out.push(name);
  }
  return out;
}

function flag(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw bad(field, 'must be true or false.');
  return value;
}

function limit(field: keyof typeof PLAYGROUND_LIMITS, value: unknown): number {
  const { min, max, step } = PLAYGROUND_LIMITS[field];
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw bad(field, `must be a number from ${min} to ${max}.`);
  if (value < min || value > max) throw bad(field, `must be from ${min} to ${max}.`);
  // Whole steps only: 0.1000001 CPUs is no choice a learner makes.
  const steps = value / step;
  if (Math.abs(steps - Math.round(steps)) > 1e-9)
    throw bad(field, `must be a multiple of ${step}.`);
  return value;
}

/** Every field, each against its allowlist; an unknown or missing field is refused. */
function fields(body: unknown, policy: PlaygroundPolicy): PlaygroundRequest {
  if (!isRecord(body)) throw new AppError('bad_request', 'The request body must be a JSON object.');
  for (const key of Object.keys(body)) {
    if ((PLAYGROUND_FIELDS as readonly string[]).includes(key)) continue;
    const never = NEVER[key.toLowerCase()];
    throw bad(
      key,
      never === undefined
        ? `is not a playground option (the options are ${PLAYGROUND_FIELDS.join(', ')}).`
        : `is not allowed: ${never}.`,
    );
  }
  for (const key of PLAYGROUND_FIELDS) if (!(key in body)) throw bad(key, 'is required.');
  return {
    share: listOf('share', body.share, SHAREABLE_NAMESPACES),
    capDrop: listOf('capDrop', body.capDrop, DROPPABLE_CAPABILITIES),
    capAdd: listOf('capAdd', body.capAdd, ADDABLE_CAPABILITIES),
    readOnly: flag('readOnly', body.readOnly),
    noNewPrivileges: flag('noNewPrivileges', body.noNewPrivileges),
    seccomp: oneOf('seccomp', body.seccomp, [
      SECCOMP_DEFAULT,
      SECCOMP_UNCONFINED,
      ...policy.seccompProfiles,
    ]),
    user: oneOf('user', body.user, PLAYGROUND_USERS),
    memoryMb: limit('memoryMb', body.memoryMb),
    pidsLimit: limit('pidsLimit', body.pidsLimit),
    cpus: limit('cpus', body.cpus),
  };
}

/** Combinations Docker would take but that say two things at once. */
function coherent(profile: PlaygroundRequest): void {
  if (profile.capDrop.includes('ALL') && profile.capDrop.length > 1)
    throw bad('capDrop', 'names ALL and more: ALL already drops every capability.');
  const both = profile.capAdd.filter((cap) => (profile.capDrop as string[]).includes(cap));
  if (both.length > 0)
    throw bad('capAdd', `adds ${both.join(', ')}, which capDrop drops: choose one of the two.`);
}

/** A workshop shares one machine between learners: what reaches the host stays solo-only. */
function allowedInMode(profile: PlaygroundRequest, mode: PlaygroundPolicy['mode']): void {
  if (mode === 'solo') return;
  const why = 'is escape-prone and allowed only in solo mode, where the VM is yours alone';
  const shared = profile.share.filter((ns) => (SOLO_ONLY.share as readonly string[]).includes(ns));
  if (shared.length > 0)
    throw bad('share', `asks for the host's ${shared.join(', ')} namespace: that ${why}.`);
  const added = profile.capAdd.filter((c) => (SOLO_ONLY.capAdd as readonly string[]).includes(c));
  if (added.length > 0) throw bad('capAdd', `adds ${added.join(', ')}: that ${why}.`);
  if ((SOLO_ONLY.seccomp as readonly string[]).includes(profile.seccomp))
    throw bad('seccomp', `asks for no seccomp filter at all: that ${why}.`);
}

/** The vetted profile, or an AppError('bad_request') that names the first field refused. */
export function parsePlaygroundProfile(body: unknown, policy: PlaygroundPolicy): PlaygroundRequest {
  const profile = fields(body, policy);
  coherent(profile);
  allowedInMode(profile, policy.mode);
  return profile;
}
