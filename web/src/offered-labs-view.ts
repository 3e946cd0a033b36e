// The control room's lab chooser: every lab with a box to offer it and buttons to move it,
// offered labs first in their order. Save sends the ticked labs in the order shown; learners'
// catalogues follow at their next visit.
import type { LabSummary, OfferedLabsView } from '../../server/protocol/api-types.ts';
import { api } from './api.ts';
import { el } from './dom.ts';
import { ui } from './i18n/i18n.ts';

function move(row: HTMLElement, by: -1 | 1): void {
  const sibling = by < 0 ? row.previousElementSibling : row.nextElementSibling;
  if (sibling === null) return;
  if (by < 0) sibling.before(row);
  else sibling.after(row);
}

function labRow(lab: LabSummary, offered: boolean): HTMLElement {
  const box = el('input', {
    className: 'offer',
    attrs: { type: 'checkbox', 'aria-label': ui().offer(lab.title) },
  });
  box.checked = offered;
  const row = el('li', { className: 'offered-lab', attrs: { 'data-lab': lab.id } });
  const arrow = (text: string, label: string, by: -1 | 1): HTMLButtonElement => {
    const node = el('button', {
      className: by < 0 ? 'up' : 'down',
      text,
      attrs: { type: 'button', 'aria-label': `${label} ${lab.title}` },
    });
    node.addEventListener('click', () => move(row, by));
    return node;
  };
  const about = [el('span', { className: 'lab-id', text: lab.id })];
  if (lab.unavailable !== undefined)
    about.push(
      el('span', {
        className: 'lab-note',
        text: ui().notOnThisServer,
        attrs: { title: lab.unavailable },
      }),
    );
  row.append(
    el('label', {}, [
      box,
      el('span', { className: 'lab-text' }, [
        el('span', { className: 'lab-title', text: lab.title }),
        el('span', { className: 'lab-about' }, about),
      ]),
    ]),
    el('span', { className: 'move' }, [arrow('↑', ui().moveUp, -1), arrow('↓', ui().moveDown, 1)]),
  );
  return row;
}

/** Offered labs in their order, then the rest in the catalogue's. */
function ordered(view: OfferedLabsView): { lab: LabSummary; offered: boolean }[] {
  const byId = new Map(view.labs.map((lab) => [lab.id, lab]));
  const first = view.offered.flatMap((id) => {
    const lab = byId.get(id);
    return lab === undefined ? [] : [{ lab, offered: true }];
  });
  const rest = view.labs.filter((lab) => !view.offered.includes(lab.id));
  return [...first, ...rest.map((lab) => ({ lab, offered: false }))];
}

export function offeredLabsView(report: (text: string) => void): HTMLElement {
  const list = el('ol', { className: 'offered-labs' });
  const show = (view: OfferedLabsView): void => {
    list.replaceChildren(...ordered(view).map(({ lab, offered }) => labRow(lab, offered)));
  };
  const save = el('button', { className: 'save-offered', text: ui().saveOffered });
  const form = el('form', { className: 'offered-form' }, [list, save]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const ids = [...list.querySelectorAll<HTMLElement>('li.offered-lab')]
      .filter((row) => row.querySelector<HTMLInputElement>('input.offer')?.checked === true)
      .map((row) => row.dataset.lab ?? '');
    api.chooseLabs(ids).then(
      (view) => {
        show(view);
        report(ui().offeredSaved(view.offered.length, view.offered.join(', ')));
      },
      (error: unknown) => report(error instanceof Error ? error.message : ui().notSaved),
    );
  });
  api
    .offeredLabs()
    .then(show, (error: unknown) =>
      report(error instanceof Error ? error.message : ui().labsNotRead),
    );
  return form;
}
