// Shared by the escape lab tests: an exercise of a lab by its id.
import type { Exercise, LabDefinition } from '../../../server/catalogue/lab-definition.ts';

export function exercise(lab: LabDefinition, id: string): Exercise {
  const found = lab.exercises.find((e) => e.id === id);
  if (found === undefined) throw new Error(`no exercise ${id}`);
  return found;
}
