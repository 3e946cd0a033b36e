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
import { ui } from './i18n/i18n.ts';

export interface PlaygroundForm {
  element: HTMLElement;
  /** The profile as the form shows it now: what Start sends. */
  read(): PlaygroundRequest;
}

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
      attrs: soloOnly ? { title: blocked ? ui().pgSoloOnlyRefused : ui().pgSoloOnly } : {},
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

/** A select of [value, what the option shows] pairs. */
function select(
  name: string,
  options: readonly (readonly [string, string])[],
  value: string,
  label: string,
): HTMLLabelElement {
  const box = el('select', { attrs: { name } });
  box.replaceChildren(...options.map(([v, text]) => el('option', { text, attrs: { value: v } })));
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
  const text = ui();
  return group(text.pgLimits, [
    number('memoryMb', p.memoryMb, text.pgMemory),
    number('pidsLimit', p.pidsLimit, text.pgPids),
    number('cpus', p.cpus, text.pgCpus),
  ]);
}

/** One fieldset per kind of option, set from the profile running now. */
function fieldsets(view: PlaygroundView): HTMLFieldSetElement[] {
  const p = view.profile;
  const workshop = view.mode === 'workshop';
  const solo = (list: readonly string[], value: string): boolean => list.includes(value);
  const text = ui();
  const seccompOptions: [string, string][] = [
    [SECCOMP_DEFAULT, text.pgSeccompDefault],
    ...(workshop ? [] : [[SECCOMP_UNCONFINED, text.pgSeccompUnconfined] as [string, string]]),
    ...view.seccompProfiles.map((name): [string, string] => [name, text.pgSeccompLab(name)]),
  ];
  return [
    group(
      text.pgShareWithHost,
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
      text.pgUserNamespaceNote,
    ),
    group(
      text.pgDropCapabilities,
      DROPPABLE_CAPABILITIES.map((cap) =>
        checkbox('capDrop', cap, cap, (p.capDrop as string[]).includes(cap), false, workshop),
      ),
    ),
    group(
      text.pgAddCapabilities,
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
    group(text.pgHardening, [
      checkbox('readOnly', 'on', text.pgReadOnly, p.readOnly, false, workshop),
      checkbox('noNewPrivileges', 'on', 'no-new-privileges', p.noNewPrivileges, false, workshop),
      select('seccomp', seccompOptions, p.seccomp, text.pgSeccomp),
      select(
        'user',
        PLAYGROUND_USERS.map((u) => [u, u] as const),
        p.user,
        text.pgUser,
      ),
    ]),
    limitsGroup(p),
  ];
}

export function playgroundForm(view: PlaygroundView): PlaygroundForm {
  const note = view.mode === 'workshop' ? ui().pgWorkshopNote : ui().pgSoloNote;
  const element = el(
    'form',
    { className: 'pg-form', attrs: { 'aria-label': ui().pgYourProfile } },
    [el('p', { className: 'pg-note', text: note }), ...fieldsets(view)],
  );
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
