// Vetting for lab definitions, run when the catalogue loads: a malformed lab stops the
// server at start-up instead of reaching Docker with a surprise.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { LAB_ID_PATTERN, NAME_PATTERN } from '../protocol/api-types.ts';
import { inLang } from './lab-text.ts';
import { PLATFORM_LIMITS } from './platform-limits.ts';
import { playgroundProblems, playgroundStepProblems } from './validate-playground.ts';
import {
  SOCKET_ENGINE,
  type ContainerProfile,
  type LabDefinition,
  type SessionEngineSpec,
} from './lab-definition.ts';

/** NaN fails every comparison, so `x < min || x > max` would let it through as "no limit". */
function inRange(value: number, min: number, max: number): boolean {
  return Number.isFinite(value) && value >= min && value <= max;
}

const HOSTNAME_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Capabilities that let root in a container reach the host: escape labs only. */
const ESCAPE_CAPABILITIES: readonly string[] = ['SYS_ADMIN', 'SYS_PTRACE', 'ALL'];

/** What only an escape lab may ask for, and what an escape lab must not (see LabDefinition.escape). */
function escapeProblems(lab: LabDefinition, where: string): string[] {
  const problems: string[] = [];
  const escape = lab.escape === true;
  const engines = lab.sessionEngines ?? [];
  if (engines.length > 0 && !escape)
    problems.push(`${where}: only an escape lab may start a session engine`);
  problems.push(...engineProblems(lab, engines, where));
  if (lab.hostDisk !== undefined && !escape)
    problems.push(`${where}: only an escape lab may make a disk`);
  if (lab.hostDisk !== undefined && !inRange(lab.hostDisk.sizeMb, 8, 64))
    problems.push(`${where}: a lab disk must be 8..64 MiB`);
  for (const c of lab.containers) {
    const at = `${where}: container "${c.name}"`;
    const added = c.capAdd ?? [];
    const dangerous = added.filter((cap) => ESCAPE_CAPABILITIES.includes(cap));
    if (!escape) {
      // A container made for one solo-only exercise (availability.ts) may add SYS_ADMIN alone
      // and may turn AppArmor off beside it: the lsm lab's mount denial needs both.
      const forExercise = c.onlyFor !== undefined && c.networkMode === undefined;
      const allowed: string[] = forExercise ? dangerous.filter((cap) => cap === 'SYS_ADMIN') : [];
      const refused = dangerous.filter((cap) => !allowed.includes(cap));
      if (refused.length > 0)
        problems.push(`${at} adds ${refused.join(', ')}, which only an escape lab may`);
      if (c.pidMode === 'host' && added.length > 0)
        problems.push(`${at} combines --pid=host with added capabilities: escape labs only`);
      if ((c.securityOpt ?? []).includes('apparmor=unconfined') && added.length > 0 && !forExercise)
        problems.push(
          `${at} combines apparmor=unconfined with added capabilities: escape labs only`,
        );
      if (c.sessionEngineSocket !== undefined)
        problems.push(`${at} mounts an engine socket, which only an escape lab may`);
      if (c.hostDisk !== undefined)
        problems.push(`${at} receives a disk device, which only an escape lab may`);
      continue;
    }
    // An escape lands on the host: it must not also reach the network. A lab network is
    // internal (no route out), so it carries traffic between the session's containers only.
    const network = typeof c.networkMode === 'object' ? c.networkMode.network : undefined;
    const onLabNetwork = (lab.networks ?? []).some((n) => n.name === network);
    if (c.networkMode !== undefined && c.networkMode !== 'none' && !onLabNetwork)
      problems.push(`${at} is in an escape lab and may join only the lab's internal networks`);
    if (c.engine !== undefined && c.engine !== 'default')
      problems.push(`${at} is in an escape lab and must run on the main engine`);
    if (c.hostDisk !== undefined) {
      if (lab.hostDisk === undefined)
        problems.push(`${at} receives the session's disk, but the lab makes none`);
      if (!/^\/dev\/[a-z0-9-]+$/.test(c.hostDisk))
        problems.push(`${at} disk path must be a device name under /dev`);
    }
    if (c.sessionEngineSocket !== undefined) {
      if (!engines.some((e) => e.name === SOCKET_ENGINE))
        problems.push(
          `${at} mounts the session engine's socket, but the lab starts no engine named "${SOCKET_ENGINE}"`,
        );
      if (!c.sessionEngineSocket.startsWith('/') || c.sessionEngineSocket.includes('..'))
        problems.push(`${at} engine socket target must be an absolute path`);
    }
  }
  return problems;
}

/**
 * Session engines: unique names; one that listens on TCP or joins a network namespace does so
 * only in a terminal-less helper on a lab network; plain-HTTP registries named host:port.
 */
function engineProblems(
  lab: LabDefinition,
  engines: readonly SessionEngineSpec[],
  where: string,
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const engine of engines) {
    const at = `${where}: session engine "${engine.name}"`;
    if (!NAME_PATTERN.test(engine.name)) problems.push(`${at} has an invalid name`);
    if (seen.has(engine.name)) problems.push(`${at} is repeated`);
    seen.add(engine.name);
    for (const registry of engine.insecureRegistries ?? [])
      if (!/^[a-z0-9][a-z0-9.-]{0,62}:[0-9]{2,5}$/.test(registry))
        problems.push(`${at} insecure registry "${registry}" must be host:port`);
    if (engine.listen !== undefined && engine.joins !== undefined)
      problems.push(`${at} cannot both listen in one container and join another`);
    const container = engine.listen?.container ?? engine.joins?.container;
    if (container === undefined) continue;
    const host = lab.containers.find((c) => c.name === container);
    if (host === undefined) {
      problems.push(`${at} joins container "${container}", which the lab does not have`);
      continue;
    }
    if (host.terminal !== false)
      problems.push(`${at} joins "${container}", which must be a terminal-less helper`);
    if (typeof host.networkMode !== 'object')
      problems.push(`${at} joins "${container}", which must be on a lab network`);
    const port = engine.listen?.port;
    if (port !== undefined && (!Number.isInteger(port) || port < 1024 || port > 65535))
      problems.push(`${at} port must be 1024..65535`);
  }
  return problems;
}

function containerProblems(lab: LabDefinition, where: string): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const c of lab.containers) {
    const at = `${where}: container "${c.name}"`;
    if (!NAME_PATTERN.test(c.name))
      problems.push(`${where}: container name "${c.name}" is invalid`);
    if (names.has(c.name)) problems.push(`${where}: container name "${c.name}" is repeated`);
    names.add(c.name);
    if (c.hostname !== undefined && !HOSTNAME_PATTERN.test(c.hostname))
      problems.push(`${at} hostname is invalid`);
    if (c.hostname !== undefined && c.utsMode === 'host')
      problems.push(`${at} cannot set a hostname and share the host's UTS namespace`);
    if (c.memoryMb !== undefined && !inRange(c.memoryMb, 6, PLATFORM_LIMITS.memoryMb.max))
      problems.push(`${at} memory must be 6..${PLATFORM_LIMITS.memoryMb.max} MiB`);
    if (
      c.pidsLimit !== undefined &&
      (!Number.isInteger(c.pidsLimit) || !inRange(c.pidsLimit, 8, PLATFORM_LIMITS.pidsLimit.max))
    )
      problems.push(`${at} pids limit must be 8..${PLATFORM_LIMITS.pidsLimit.max}`);
    if (c.cpus !== undefined && !inRange(c.cpus, 0.01, PLATFORM_LIMITS.cpus.max))
      problems.push(`${at} cpus must be in (0, ${PLATFORM_LIMITS.cpus.max}]`);
    problems.push(...perSessionProblems(c, at));
    problems.push(...runtimeProblems(lab, c, at));
  }
  return problems;
}

/**
 * gVisor: only on the main engine, with no network (its network set-up failed on the test
 * machines' kernel), and only in a lab that says when the engine has no runsc.
 */
function runtimeProblems(lab: LabDefinition, c: ContainerProfile, at: string): string[] {
  if (c.runtime === undefined) return [];
  const problems: string[] = [];
  if (c.networkMode !== undefined && c.networkMode !== 'none')
    problems.push(`${at} runs under runsc and must have no network`);
  if (c.engine !== undefined && c.engine !== 'default')
    problems.push(`${at} runs under runsc and must run on the main engine`);
  if (lab.unavailable === undefined)
    problems.push(`${at} runs under runsc, so the lab must say when the engine has none`);
  return problems;
}

/** Per-session limits: a choice of at least two valid values, instead of (not beside) a fixed one. */
function perSessionProblems(c: ContainerProfile, at: string): string[] {
  const problems: string[] = [];
  const { memoryMb, blkioWriteBps, oneCpu } = c.perSession ?? {};
  if (memoryMb !== undefined) {
    if (c.memoryMb !== undefined) problems.push(`${at} sets memory both fixed and per session`);
    if (memoryMb.length < 2 || memoryMb.some((mb) => !inRange(mb, 6, PLATFORM_LIMITS.memoryMb.max)))
      problems.push(
        `${at} per-session memory needs two or more limits of 6..${PLATFORM_LIMITS.memoryMb.max} MiB`,
      );
  }
  if (blkioWriteBps !== undefined) {
    if (c.blkioWriteBps !== undefined)
      problems.push(`${at} sets the write limit both fixed and per session`);
    if (
      blkioWriteBps.length < 2 ||
      blkioWriteBps.some((bps) => !Number.isInteger(bps) || !inRange(bps, 65_536, 1e9))
    )
      problems.push(
        `${at} per-session write limits need two or more whole rates of 64 KiB/s..1 GB/s`,
      );
  }
  if (oneCpu === true && c.cpusetCpus !== undefined)
    problems.push(`${at} pins its CPUs both fixed and per session`);
  return problems;
}

function exerciseProblems(lab: LabDefinition, where: string): string[] {
  const problems: string[] = [];
  const terminals = new Set(lab.containers.map((c) => c.name));
  const exerciseIds = new Set<string>();
  if (lab.exercises.length === 0) problems.push(`${where}: needs at least one exercise`);
  for (const ex of lab.exercises) {
    const at = `${where} exercise "${ex.id}"`;
    if (!NAME_PATTERN.test(ex.id)) problems.push(`${at}: id is invalid`);
    if (exerciseIds.has(ex.id)) problems.push(`${at}: id is repeated`);
    exerciseIds.add(ex.id);
    if (ex.hints.length === 0) problems.push(`${at}: needs at least one hint`);
    if (ex.solution.length === 0) problems.push(`${at}: needs a reference solution`);
    for (const step of [...ex.solution, ...(ex.cheat ?? [])]) {
      if (!terminals.has(step.terminal))
        problems.push(`${at}: solution types into unknown terminal "${step.terminal}"`);
      const onlyFor = lab.containers.find((c) => c.name === step.terminal)?.onlyFor;
      if (onlyFor !== undefined && onlyFor !== ex.id)
        problems.push(`${at}: types into "${step.terminal}", which is made only for "${onlyFor}"`);
      if (step.playground !== undefined)
        problems.push(...playgroundStepProblems(lab, step.terminal, step.playground, at));
    }
    const captures = ex.solution.filter((step) => step.capture !== undefined).length;
    if (ex.answer !== undefined && captures !== 1)
      problems.push(
        `${at}: an answer exercise needs exactly one solution step that captures the answer`,
      );
    if (ex.answer === undefined && captures > 0)
      problems.push(`${at}: captures an answer but asks for none`);
  }
  for (const c of lab.containers)
    if (c.onlyFor !== undefined && !exerciseIds.has(c.onlyFor))
      problems.push(`${where}: container "${c.name}" is made for unknown exercise "${c.onlyFor}"`);
  return problems;
}

/** What the catalogue's path shows: the time a lab takes and what it leaves the learner with. */
function pathProblems(lab: LabDefinition, where: string): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(lab.minutes) || lab.minutes < 1 || lab.minutes > 120)
    problems.push(`${where}: minutes must be a whole number from 1 to 120`);
  if (lab.learned.length === 0 || lab.learned.length > 5)
    problems.push(`${where}: learned needs one to five sentences`);
  for (const text of lab.learned) {
    // Chinese says as much in fewer characters: only the English has a lower bound here
    // (a missing Chinese sentence is validate-translation.ts's to report).
    const sentence = inLang(text, 'en');
    if (sentence.trim().length < 10 || sentence.length > 200)
      problems.push(`${where}: each learned sentence is 10 to 200 characters`);
    if (inLang(text, 'zh').length > 200)
      problems.push(`${where}: each learned sentence is at most 200 characters in Chinese`);
  }
  return problems;
}

/** Side by side shows two different containers a learner types into. */
function sideBySideProblems(lab: LabDefinition, where: string): string[] {
  if (lab.sideBySide === undefined) return [];
  const [left, right] = lab.sideBySide;
  const typed = (name: string): boolean =>
    lab.containers.some((c) => c.name === name && c.terminal !== false && c.onlyFor === undefined);
  if (left === right || !typed(left) || !typed(right))
    return [`${where}: sideBySide must name two different containers with terminals`];
  return [];
}

export function validateLab(lab: LabDefinition, contentDir: string): string[] {
  const problems: string[] = [];
  const where = `lab "${lab.id}"`;
  if (!LAB_ID_PATTERN.test(lab.id))
    problems.push(`${where}: id must match ${LAB_ID_PATTERN.source}`);
  if (!/^[a-z0-9-]+\.md$/.test(lab.lesson) || !existsSync(path.join(contentDir, lab.lesson))) {
    problems.push(`${where}: lesson "${lab.lesson}" is not a markdown file in content/`);
  }
  if (lab.containers.length === 0) problems.push(`${where}: needs at least one container`);
  problems.push(...containerProblems(lab, where));
  problems.push(...escapeProblems(lab, where));
  problems.push(...exerciseProblems(lab, where));
  problems.push(...pathProblems(lab, where));
  problems.push(...sideBySideProblems(lab, where));
  problems.push(...playgroundProblems(lab, where));
  return problems;
}
