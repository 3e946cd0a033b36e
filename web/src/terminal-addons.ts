// The xterm.js add-ons beyond fitting and links: Unicode 11 widths (emoji and CJK take the
// cells the shell expects), OSC 52 clipboard writes, search, and the WebGL renderer with the
// DOM renderer as its fallback when WebGL is missing, fails or loses its context.
import { ClipboardAddon, type IClipboardProvider } from '@xterm/addon-clipboard';
import { SearchAddon } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebglAddon } from '@xterm/addon-webgl';
import type { Terminal } from '@xterm/xterm';

export type Renderer = 'webgl' | 'dom';

/**
 * A program in the container may put text on the learner's clipboard (OSC 52), never read it:
 * the container must not learn what the learner copied elsewhere.
 */
const WRITE_ONLY_CLIPBOARD: IClipboardProvider = {
  readText: () => '',
  writeText: async (_selection, text) => {
    if (window.isSecureContext) await navigator.clipboard.writeText(text);
  },
};

export class TerminalAddons {
  readonly search = new SearchAddon({ highlightLimit: 500 });
  private webgl: WebglAddon | undefined;

  constructor(
    private readonly term: Terminal,
    private readonly onRenderer: (renderer: Renderer) => void,
  ) {
    term.loadAddon(new Unicode11Addon());
    term.unicode.activeVersion = '11';
    term.loadAddon(new ClipboardAddon(undefined, WRITE_ONLY_CLIPBOARD));
    term.loadAddon(this.search);
  }

  /** After term.open(): WebGL needs the terminal's element. */
  useWebgl(on: boolean): void {
    if (!on) {
      this.dropWebgl();
      return;
    }
    if (this.webgl !== undefined) return;
    try {
      const addon = new WebglAddon();
      // The GPU went away (driver reset, too many contexts): back to the DOM renderer.
      addon.onContextLoss(() => this.dropWebgl());
      this.term.loadAddon(addon);
      this.webgl = addon;
      this.onRenderer('webgl');
    } catch {
      // No WebGL2 here: the DOM renderer xterm started with stays.
      this.onRenderer('dom');
    }
  }

  private dropWebgl(): void {
    const addon = this.webgl;
    this.webgl = undefined;
    addon?.dispose();
    this.onRenderer('dom');
  }
}
