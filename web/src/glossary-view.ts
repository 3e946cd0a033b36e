// The glossary page (#glossary): every term the lessons use, Chinese and English side by
// side, with what it means in the reader's language.
import { el } from './dom.ts';
import { GLOSSARY } from './i18n/glossary.ts';
import { currentLang, ui } from './i18n/i18n.ts';

export function glossaryView(onBack: () => void): HTMLElement {
  const lang = currentLang();
  const text = ui();
  const rows = GLOSSARY.map((entry) =>
    el('tr', { attrs: { 'data-term': entry.en } }, [
      el('th', { attrs: { scope: 'row' } }, [
        el('span', { className: 'term-zh', text: entry.zh, attrs: { lang: 'zh-Hans' } }),
        el('span', { className: 'term-en', text: entry.en, attrs: { lang: 'en' } }),
      ]),
      el('td', { text: entry.meaning[lang] }),
    ]),
  );
  const back = el('button', {
    className: 'back',
    text: text.backToLabs,
    attrs: { type: 'button' },
  });
  back.addEventListener('click', onBack);
  return el('div', { className: 'glossary' }, [
    el('h1', { text: text.glossary }),
    el('p', { className: 'lead', text: text.glossaryLead }),
    el('table', { className: 'glossary-table' }, [
      el('thead', {}, [
        el('tr', {}, [
          el('th', { text: text.glossaryTerm, attrs: { scope: 'col' } }),
          el('th', { text: text.glossaryMeaning, attrs: { scope: 'col' } }),
        ]),
      ]),
      el('tbody', {}, rows),
    ]),
    back,
  ]);
}
