// Setuid lab: a setuid-root program run by `nobody` starts with effective uid 0 (the kernel
// does this at execve, no capability needed); --cap-drop SETUID --cap-drop SETGID, which the
// seed recommends for this, does not stop it; --security-opt no-new-privileges does. The
// learner audits the image with `find / -perm -4000`, uses a planted setuid copy of `tee` to
// write into root's home, and lets the host read the helper's credentials in both cases.
// The checks run nothing in the containers (the helper writes anywhere as root, /usr/bin
// included): they read owners and modes with the host's lstat through /proc/<pid>/root, and
// the helper's credentials from the host's /proc.
import type { ContainerProfile, LabDefinition } from '../../server/lab-kit.ts';
import { runWithPlantedValue } from '../shared/planted-value.ts';
import { t } from '../shared/localized.ts';
import { helperPath } from './setuid-helper.ts';
import { auditExercise, escalateExercise } from './setuid-exercises.ts';
import { noNewPrivilegesExercise } from './no-new-privileges-exercise.ts';

export { effectiveUid, HELPER_DIR, helperPath } from './setuid-helper.ts';

/**
 * A vendor's "log helper": a setuid-root copy of tee, as careless images really contain,
 * copied, owned and moded in one process so its per-session path is on no command line.
 */
const PLANT_HELPER = `import shutil
os.makedirs(os.path.dirname(planted), exist_ok=True)
shutil.copyfile("/usr/bin/tee", planted)
os.chown(planted, 0, 0)
os.chmod(planted, 0o4755)
`;

const common: Omit<ContainerProfile, 'name' | 'title'> = {
  user: 'nobody',
  memoryMb: 128,
  pidsLimit: 128,
  cpus: 0.5,
};

export const setuidLab: LabDefinition = {
  id: 'setuid',
  title: t('Setuid binaries and no-new-privileges', 'Setuid 程序与 no-new-privileges'),
  topic: 'least privilege',
  summary: t(
    'Audit an image for setuid programs, use one to become root as nobody, and see which docker run flag really stops it: --cap-drop SETUID or no-new-privileges.',
    '审计镜像中的 setuid 程序，以 nobody 身份借其中一个变成 root，并看看哪个 docker run 参数真正能阻止它：--cap-drop SETUID 还是 no-new-privileges。',
  ),
  minutes: 12,
  learned: [
    t(
      'A setuid-root program in an image turns any user into root: audit images with find -perm -4000.',
      '镜像中的 setuid-root 程序能把任何用户变成 root：用 find -perm -4000 审计镜像。',
    ),
    t(
      '--security-opt no-new-privileges stops setuid from raising privileges; dropping SETUID alone does not stop a setuid binary.',
      '--security-opt no-new-privileges 阻止 setuid 提升权限；仅丢掉 SETUID 能力阻止不了 setuid 程序。',
    ),
  ],
  lesson: 'setuid.md',
  containers: [
    {
      name: 'plain',
      title: t('plain (--user nobody)', 'plain（--user nobody）'),
      hostname: 'plain',
      ...common,
    },
    {
      name: 'capdrop',
      title: t('capdrop (--cap-drop SETUID,SETGID)', 'capdrop（--cap-drop SETUID,SETGID）'),
      hostname: 'capdrop',
      capDrop: ['SETUID', 'SETGID'],
      ...common,
    },
    {
      name: 'nnp',
      title: t('nnp (no-new-privileges)', 'nnp（no-new-privileges）'),
      hostname: 'nnp',
      securityOpt: ['no-new-privileges'],
      ...common,
    },
  ],
  setup: async (ctx) => {
    for (const container of ['plain', 'capdrop', 'nnp'])
      await runWithPlantedValue(ctx, container, helperPath(ctx.sessionToken), PLANT_HELPER);
  },
  exercises: [auditExercise, escalateExercise, noNewPrivilegesExercise],
};
