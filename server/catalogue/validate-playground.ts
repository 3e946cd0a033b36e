// Vetting for a profile playground (LabDefinition.playground), part of validate-lab.ts: the
// first container and every profile `verify` starts must be ones the server's own parser
// accepts, so nothing about a playground reaches Docker unvetted, not even the lab's own.
import { playgroundContainer, profileOf } from '../playground/playground-container.ts';
import { parsePlaygroundProfile } from '../playground/playground-profile.ts';
import type { LabDefinition } from './lab-definition.ts';

/**
 * A profile `verify` starts must be one the server accepts in every mode, since a workshop's
 * preflight runs the same steps: checked with the workshop's stricter allowlist.
 */
export function playgroundStepProblems(
  lab: LabDefinition,
  terminal: string,
  profile: unknown,
  at: string,
): string[] {
  const spec = lab.playground;
  if (spec?.container !== terminal)
    return [`${at}: starts a profile, but "${terminal}" is no playground`];
  try {
    parsePlaygroundProfile(profile, {
      mode: 'workshop',
      seccompProfiles: spec.seccompProfiles.map((p) => p.name),
    });
    return [];
  } catch (error) {
    return [`${at}: starts a profile the server refuses: ${String(error)}`];
  }
}

/** Object keys in order, so two profiles compare by content, not by how they were written. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * A playground: around one typed container of a lab that is no escape lab, offering seccomp
 * profiles by distinct file names, and starting from a profile the form itself could compose,
 * so the first container is as vetted as every later one.
 */
export function playgroundProblems(lab: LabDefinition, where: string): string[] {
  const spec = lab.playground;
  if (spec === undefined) return [];
  const at = `${where}: playground`;
  const base = lab.containers.find((c) => c.name === spec.container && c.terminal !== false);
  if (base === undefined) return [`${at} must name a container with a terminal`];
  const problems: string[] = [];
  if (lab.escape === true) problems.push(`${at} cannot be an escape lab`);
  const names = spec.seccompProfiles.map((p) => p.name);
  if (
    new Set(names).size !== names.length ||
    names.some((n) => !/^[a-z0-9][a-z0-9.-]{0,63}\.json$/.test(n))
  )
    problems.push(`${at} seccomp profiles need distinct file names (name.json)`);
  try {
    const start = parsePlaygroundProfile(profileOf(base), { mode: 'solo', seccompProfiles: names });
    if (canonical(playgroundContainer(base, start, spec.seccompProfiles)) !== canonical(base))
      problems.push(
        `${at}: container "${base.name}" is not a profile the playground's form composes`,
      );
  } catch (error) {
    problems.push(`${at}: container "${base.name}" starts outside the allowlist: ${String(error)}`);
  }
  return problems;
}
