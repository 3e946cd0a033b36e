// The playground's form: every option the server's allowlist offers and nothing else, set
// from the profile running now. Options only solo mode allows are disabled in a workshop,
// saying why; the server refuses them there either way.
import {
  ADDABLE_CAPABILITIES,
  DROPPABLE_CAPABILITIES,
  PLAYGROUND_LIMITS,
  PLAYGROUND_USERS,
  SECCOMP_DEFAULT,
  SECCOMP_UNCONFINED,
  SHAREABLE_NAMESPACES,
  SOLO_ONLY,
  type PlaygroundRequest,
  type PlaygroundView,
} from '../../server/protocol/playground-types.ts';
import { el } from './dom.ts';

export interface PlaygroundForm {
  element: HTMLElement;
  /** The profile as the form shows it now: what Start sends. */
  read(): PlaygroundRequest;
}

const SOLO_NOTE = 'Escape-prone: solo mode only';

function checkbox(
  name: string,
  value: string,
  label: string,
  checked: boolean,
  soloOnly: boolean,
  workshop: boolean,
): HTMLLabelElement {
  const input = el('input', { attrs: { type: 'checkbox', name, value } });
  input.checked = checked;
  const blocked = soloOnly && workshop;
  input.disabled = blocked;
  return el(
    'label',
    {
      className: `choice${soloOnly ? ' solo-only' : ''}`,
      attrs: soloOnly ? { title: blocked ? `${SOLO_NOTE}; refused in a workshop` : SOLO_NOTE } : {},
    },
    [input, ` ${label}`],
  );
}

function group(legend: string, children: HTMLElement[], note?: string): HTMLFieldSetElement {
  return el('fieldset', { className: 'pg-group' }, [
    el('legend', { text: legend }),
    el('div', { className: 'choices' }, children),
    ...(note === undefined ? [] : [el('p', { className: 'pg-note', text: note })]),
  ]);
}

function select(name: string, options: string[], value: string, label: string): HTMLLabelElement {
  const box = el('select', { attrs: { name } });
  box.replaceChildren(...options.map((o) => el('option', { text: o, attrs: { value: o } })));
  box.value = value;
  return el('label', { className: 'pg-field' }, [`${label} `, box]);
}

function number(
  name: keyof typeof PLAYGROUND_LIMITS,
  value: number,
  label: string,
): HTMLLabelElement {
  const { min, max, step } = PLAYGROUND_LIMITS[name];
  const input = el('input', {
    attrs: { type: 'number', name, min: String(min), max: String(max), step: String(step) },
  });
  input.value = String(value);
  return el('label', { className: 'pg-field' }, [`${label} `, input]);
}

function limitsGroup(p: PlaygroundRequest): HTMLFieldSetElement {
  return group('Limits', [
    number('memoryMb', p.memoryMb, 'memory (MiB)'),
    number('pidsLimit', p.pidsLimit, 'pids'),
    number('cpus', p.cpus, 'CPUs'),
  ]);
}

/** One fieldset per kind of option, set from the profile running now. */
function fieldsets(view: PlaygroundView): HTMLFieldSetElement[] {
  const p = view.profile;
  const workshop = view.mode === 'workshop';
  const solo = (list: readonly string[], value: string): boolean => list.includes(value);
  return [
    group(
      'Share with the host',
      SHAREABLE_NAMESPACES.map((ns) =>
        checkbox(
          'share',
          ns,
          `--${ns === 'net' ? 'network' : ns}=host`,
          p.share.includes(ns),
          solo(SOLO_ONLY.share, ns),
          workshop,
        ),
      ),
      'The user namespace is not here: remapping is engine-wide (--userns-remap; the user lab).',
    ),
    group(
      'Drop capabilities',
      DROPPABLE_CAPABILITIES.map((cap) =>
        checkbox('capDrop', cap, cap, (p.capDrop as string[]).includes(cap), false, workshop),
      ),
    ),
    group(
      'Add capabilities',
      ADDABLE_CAPABILITIES.map((cap) =>
        checkbox(
          'capAdd',
          cap,
          cap,
          (p.capAdd as string[]).includes(cap),
          solo(SOLO_ONLY.capAdd, cap),
          workshop,
        ),
      ),
    ),
    group('Hardening', [
      checkbox(
        'readOnly',
        'on',
        'Read-only root file system (with a 16 MiB tmpfs on /tmp)',
        p.readOnly,
        false,
        workshop,
      ),
      checkbox('noNewPrivileges', 'on', 'no-new-privileges', p.noNewPrivileges, false, workshop),
      select(
        'seccomp',
        [SECCOMP_DEFAULT, ...(workshop ? [] : [SECCOMP_UNCONFINED]), ...view.seccompProfiles],
        p.seccomp,
        'seccomp',
      ),
      select('user', [...PLAYGROUND_USERS], p.user, 'user'),
    ]),
    limitsGroup(p),
  ];
}

export function playgroundForm(view: PlaygroundView): PlaygroundForm {
  const note =
    view.mode === 'workshop'
      ? 'Options in red are escape-prone: this workshop refuses them (solo mode only).'
      : 'Options in red are escape-prone: offered because this is a solo machine.';
  const element = el('form', { className: 'pg-form', attrs: { 'aria-label': 'Your profile' } }, [
    el('p', { className: 'pg-note', text: note }),
    ...fieldsets(view),
  ]);
  const checked = (name: string): string[] =>
    [...element.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map(
      (i) => i.value,
    );
  const value = (name: string): string =>
    element.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`)?.value ?? '';
  return {
    element,
    // The page sends what the form says; the server decides whether it is allowed.
    read: () =>
      ({
        share: checked('share'),
        capDrop: checked('capDrop'),
        capAdd: checked('capAdd'),
        readOnly: checked('readOnly').length > 0,
        noNewPrivileges: checked('noNewPrivileges').length > 0,
        seccomp: value('seccomp'),
        user: value('user'),
        memoryMb: Number(value('memoryMb')),
        pidsLimit: Number(value('pidsLimit')),
        cpus: Number(value('cpus')),
      }) as PlaygroundRequest,
  };
}
