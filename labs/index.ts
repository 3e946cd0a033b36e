// The catalogue: every lab nslab offers, in the order the page lists them. A lab reaches
// Docker only by being listed here and passing validation at start-up.
import type { LabDefinition } from '../server/labs/lab-definition.ts';
import { userLab } from './user/user-lab.ts';
import { utsLab } from './uts/uts-lab.ts';

export const labs: readonly LabDefinition[] = [utsLab, userLab];
