// Renders a lesson's markdown to sanitized HTML. Placeholders tie the prose to the session
// and the host: {{docker-run:<container>}} and {{docker-network:<name>}} become the exact
// commands the server used, {{exercise:<id>}} marks where the page puts that exercise's
// Check card, and {{#<condition>}}...{{/<condition>}} keeps a block only on hosts where it
// is true (cgroup-v1, cgroup-v2, apparmor, no-apparmor), so a lesson shows the files and
// features of the machine the learner is actually on. Fenced code blocks may be marked
// runnable (code-block.ts); the page adds their Copy and Run buttons.
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { escapeHtml, renderCodeBlock } from './code-block.ts';

const PLACEHOLDER = /\{\{(docker-run|docker-network|exercise):([a-z0-9-]+)\}\}/g;
/** The running engine's version, as `docker version` prints it: lessons say what runs here. */
const ENGINE_VERSION = /\{\{engine-version\}\}/g;

export const LESSON_CONDITIONS = [
  'cgroup-v1',
  'cgroup-v2',
  'apparmor',
  'no-apparmor',
  'solo',
  'workshop',
  // Whether the engine's upstream version has the fix for CVE-2024-29018 (internal networks
  // forwarding unknown names to the host's DNS): 26.0.0, 25.0.5 and 23.0.11 have it.
  'engine-dns-fixed',
  'engine-dns-unfixed',
  // Whether the engine's runsc runtime carries runsc's own --network=none (set-up registers
  // it so where gVisor's network set-up failed), or keeps gVisor's network stack.
  'runsc-no-network',
  'runsc-network',
] as const;
export type LessonCondition = (typeof LESSON_CONDITIONS)[number];
const CONDITIONAL = /\{\{#([a-z0-9-]+)\}\}([\s\S]*?)\{\{\/\1\}\}/g;

export interface LessonInputs {
  dockerRun: ReadonlyMap<string, string>;
  /** Containers of the lab this session did not make (ContainerProfile.onlyFor): their tag renders as nothing. */
  absent?: ReadonlySet<string>;
  dockerNetwork?: ReadonlyMap<string, string>;
  exerciseIds: ReadonlySet<string>;
  /** The lab's terminals: a code block that runs in another is an error. Unchecked when absent. */
  terminals?: ReadonlySet<string>;
  /** Conditions true on this host; blocks for other conditions are dropped. */
  conditions?: ReadonlySet<LessonCondition>;
  engineVersion?: string;
}

function applyConditions(markdown: string, conditions: ReadonlySet<string>): string {
  return markdown.replace(CONDITIONAL, (_match, name: string, body: string) => {
    if (!(LESSON_CONDITIONS as readonly string[]).includes(name)) {
      throw new Error(`lesson uses unknown condition "${name}"`);
    }
    return conditions.has(name) ? body : '';
  });
}

export function renderLesson(markdown: string, inputs: LessonInputs): string {
  const conditioned = applyConditions(markdown, inputs.conditions ?? new Set()).replace(
    ENGINE_VERSION,
    `\`${(inputs.engineVersion ?? 'unknown').replace(/[^\w.+~-]/g, '')}\``,
  );
  const withPlaceholders = conditioned.replace(
    PLACEHOLDER,
    (_match, kind: string, name: string) => {
      if (kind === 'docker-run') {
        const command = inputs.dockerRun.get(name);
        if (command === undefined && inputs.absent?.has(name) === true) return '';
        if (command === undefined) throw new Error(`lesson names unknown container "${name}"`);
        return `\n<pre class="docker-run" data-container="${name}"><code>${escapeHtml(command)}</code></pre>\n`;
      }
      if (kind === 'docker-network') {
        const command = inputs.dockerNetwork?.get(name);
        if (command === undefined) throw new Error(`lesson names unknown network "${name}"`);
        return `\n<pre class="docker-run" data-network="${name}"><code>${escapeHtml(command)}</code></pre>\n`;
      }
      if (!inputs.exerciseIds.has(name)) throw new Error(`lesson names unknown exercise "${name}"`);
      return `\n<div class="exercise" data-exercise="${name}"></div>\n`;
    },
  );
  // One parser per lesson: the code renderer checks Run markings against this lab's terminals.
  const marked = new Marked({
    gfm: true,
    async: false,
    renderer: { code: (token) => renderCodeBlock(token.text, token.lang, inputs.terminals) },
  });
  const html = marked.parse(withPlaceholders) as string;
  return sanitizeHtml(html, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'h1', 'h2', 'img', 'details', 'summary'],
    allowedAttributes: {
      a: ['href', 'title'],
      img: ['src', 'alt', 'title'],
      code: ['class'],
      pre: ['class', 'data-container', 'data-network', 'data-terminal', 'data-enter'],
      div: ['class', 'data-exercise'],
      th: ['align'],
      td: ['align'],
    },
    allowedSchemes: ['http', 'https'],
    // Lessons work offline: images are inlined as data: URLs or served by nslab itself.
    allowedSchemesByTag: { img: ['data'] },
  });
}
