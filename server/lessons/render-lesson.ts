// Renders a lesson's markdown to sanitized HTML. Two placeholders tie the prose to the
// session: {{docker-run:<container>}} becomes the exact command the server used, and
// {{exercise:<id>}} marks where the page puts that exercise's Check card.
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

const PLACEHOLDER = /\{\{(docker-run|docker-network|exercise):([a-z0-9-]+)\}\}/g;

export interface LessonInputs {
  dockerRun: ReadonlyMap<string, string>;
  dockerNetwork?: ReadonlyMap<string, string>;
  exerciseIds: ReadonlySet<string>;
}

const marked = new Marked({ gfm: true, async: false });

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderLesson(markdown: string, inputs: LessonInputs): string {
  const withPlaceholders = markdown.replace(PLACEHOLDER, (_match, kind: string, name: string) => {
    if (kind === 'docker-run') {
      const command = inputs.dockerRun.get(name);
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
  });
  const html = marked.parse(withPlaceholders) as string;
  return sanitizeHtml(html, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'h1', 'h2', 'img', 'details', 'summary'],
    allowedAttributes: {
      a: ['href', 'title'],
      img: ['src', 'alt', 'title'],
      code: ['class'],
      pre: ['class', 'data-container', 'data-network'],
      div: ['class', 'data-exercise'],
      th: ['align'],
      td: ['align'],
    },
    allowedSchemes: ['http', 'https'],
    // Lessons work offline: images are inlined as data: URLs or served by nslab itself.
    allowedSchemesByTag: { img: ['data'] },
  });
}
