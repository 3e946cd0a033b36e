// The top bar's language switch: 中文 / English, each written in its own language so a reader
// who cannot read the current one still finds theirs. The choice is remembered per browser.
import type { Lang } from '../../server/protocol/lang.ts';
import { el } from './dom.ts';
import { currentLang, setLang, ui } from './i18n/i18n.ts';

const CHOICES: readonly { lang: Lang; label: string; htmlLang: string }[] = [
  { lang: 'zh', label: '中文', htmlLang: 'zh-Hans' },
  { lang: 'en', label: 'English', htmlLang: 'en' },
];

/** `onSwitch` re-renders the page after the language changed. */
export function languageSwitch(onSwitch: () => void): HTMLElement {
  const group = el('span', {
    className: 'lang-switch',
    attrs: { id: 'lang-switch', role: 'group', 'aria-label': ui().languageSwitch },
  });
  const buttons = CHOICES.map((choice) => {
    const button = el('button', {
      className: `lang-choice lang-${choice.lang}`,
      text: choice.label,
      attrs: { type: 'button', lang: choice.htmlLang, 'data-lang': choice.lang },
    });
    button.addEventListener('click', () => {
      if (currentLang() === choice.lang) return;
      setLang(choice.lang);
      mark();
      onSwitch();
    });
    return button;
  });
  const mark = (): void => {
    group.setAttribute('aria-label', ui().languageSwitch);
    for (const [i, choice] of CHOICES.entries())
      buttons[i]?.setAttribute('aria-pressed', String(choice.lang === currentLang()));
  };
  group.append(...buttons);
  mark();
  return group;
}
