// Vetting for lab definitions, run when the catalogue loads: a malformed lab stops the
// server at start-up instead of reaching Docker with a surprise.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { LAB_ID_PATTERN, NAME_PATTERN } from '../protocol/api-types.ts';
import { PLATFORM_LIMITS } from './container-plan.ts';
import type { LabDefinition } from './lab-definition.ts';

/** NaN fails every comparison, so `x < min || x > max` would let it through as "no limit". */
function inRange(value: number, min: number, max: number): boolean {
  return Number.isFinite(value) && value >= min && value <= max;
}

const HOSTNAME_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function validateLab(lab: LabDefinition, contentDir: string): string[] {
  const problems: string[] = [];
  const where = `lab "${lab.id}"`;
  if (!LAB_ID_PATTERN.test(lab.id))
    problems.push(`${where}: id must match ${LAB_ID_PATTERN.source}`);
  if (!/^[a-z0-9-]+\.md$/.test(lab.lesson) || !existsSync(path.join(contentDir, lab.lesson))) {
    problems.push(`${where}: lesson "${lab.lesson}" is not a markdown file in content/`);
  }
  if (lab.containers.length === 0) problems.push(`${where}: needs at least one container`);
  const names = new Set<string>();
  for (const c of lab.containers) {
    if (!NAME_PATTERN.test(c.name))
      problems.push(`${where}: container name "${c.name}" is invalid`);
    if (names.has(c.name)) problems.push(`${where}: container name "${c.name}" is repeated`);
    names.add(c.name);
    if (c.hostname !== undefined && !HOSTNAME_PATTERN.test(c.hostname)) {
      problems.push(`${where}: container "${c.name}" hostname is invalid`);
    }
    if (c.hostname !== undefined && c.utsMode === 'host') {
      problems.push(
        `${where}: container "${c.name}" cannot set a hostname and share the host's UTS namespace`,
      );
    }
    if (c.memoryMb !== undefined && !inRange(c.memoryMb, 6, PLATFORM_LIMITS.memoryMb.max)) {
      problems.push(
        `${where}: container "${c.name}" memory must be 6..${PLATFORM_LIMITS.memoryMb.max} MiB`,
      );
    }
    if (
      c.pidsLimit !== undefined &&
      (!Number.isInteger(c.pidsLimit) || !inRange(c.pidsLimit, 8, PLATFORM_LIMITS.pidsLimit.max))
    ) {
      problems.push(
        `${where}: container "${c.name}" pids limit must be 8..${PLATFORM_LIMITS.pidsLimit.max}`,
      );
    }
    if (c.cpus !== undefined && !inRange(c.cpus, 0.01, PLATFORM_LIMITS.cpus.max)) {
      problems.push(
        `${where}: container "${c.name}" cpus must be in (0, ${PLATFORM_LIMITS.cpus.max}]`,
      );
    }
  }
  if (lab.exercises.length === 0) problems.push(`${where}: needs at least one exercise`);
  const exerciseIds = new Set<string>();
  for (const ex of lab.exercises) {
    const at = `${where} exercise "${ex.id}"`;
    if (!NAME_PATTERN.test(ex.id)) problems.push(`${at}: id is invalid`);
    if (exerciseIds.has(ex.id)) problems.push(`${at}: id is repeated`);
    exerciseIds.add(ex.id);
    if (ex.hints.length === 0) problems.push(`${at}: needs at least one hint`);
    if (ex.solution.length === 0) problems.push(`${at}: needs a reference solution`);
    for (const step of ex.solution) {
      if (!names.has(step.terminal))
        problems.push(`${at}: solution types into unknown terminal "${step.terminal}"`);
    }
    const captures = ex.solution.filter((step) => step.capture !== undefined).length;
    if (ex.answer !== undefined && captures !== 1) {
      problems.push(
        `${at}: an answer exercise needs exactly one solution step that captures the answer`,
      );
    }
    if (ex.answer === undefined && captures > 0)
      problems.push(`${at}: captures an answer but asks for none`);
  }
  return problems;
}
