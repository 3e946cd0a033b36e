import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { labs } from '../../labs/index.ts';
import { Catalogue } from '../../server/catalogue/catalogue.ts';
import { hasInternalDnsFix } from '../../server/host/host-facts.ts';
import { dockerNetworkCommand, dockerRunCommand } from '../../server/plans/docker-run-command.ts';
import { planContainer } from '../../server/plans/container-plan.ts';
import { planNetwork } from '../../server/plans/network-plan.ts';
import {
  renderLesson,
  type LessonCondition,
  type LessonInputs,
} from '../../server/lessons/render-lesson.ts';

const COMMAND =
  'docker run -it --rm --init \\\n    --label a="b" && echo <c> \'d\' \\\n    img bash';

const inputs: LessonInputs = {
  dockerRun: new Map([['isolated', COMMAND]]),
  exerciseIds: new Set(['own-namespace']),
};

/** Decodes the few entities an HTML serializer may use, to compare text with the source. */
function decodeEntities(html: string): string {
  return html
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

describe('renderLesson', () => {
  it('renders a docker-run placeholder as a pre block with the escaped command', () => {
    const html = renderLesson('Intro\n\n{{docker-run:isolated}}\n\nAfter', inputs);
    const match =
      /<pre class="docker-run" data-container="isolated"><code>([\s\S]*?)<\/code><\/pre>/.exec(
        html,
      );
    expect(match).not.toBeNull();
    const inner = match?.[1] ?? '';
    expect(inner).not.toMatch(/<c>/);
    expect(inner).toContain('&lt;c&gt;');
    expect(inner).toContain('&amp;&amp;');
    expect(decodeEntities(inner)).toBe(COMMAND);
    expect(html).toContain('<p>Intro</p>');
    expect(html).toContain('<p>After</p>');
  });

  it('renders an exercise placeholder as an empty exercise div', () => {
    const html = renderLesson('Before\n\n{{exercise:own-namespace}}\n\nAfter', inputs);
    expect(html).toContain('<div class="exercise" data-exercise="own-namespace"></div>');
  });

  it('throws for a docker-run placeholder naming an unknown container', () => {
    expect(() => renderLesson('{{docker-run:ghost}}', inputs)).toThrow(/unknown container "ghost"/);
  });

  it('throws for an exercise placeholder naming an unknown exercise', () => {
    expect(() => renderLesson('{{exercise:ghost}}', inputs)).toThrow(/unknown exercise "ghost"/);
  });

  it('leaves text that only looks like a placeholder alone', () => {
    const html = renderLesson('{{shell:isolated}} and {{exercise:Bad}}', inputs);
    expect(html).toContain('{{shell:isolated}}');
    expect(html).not.toContain('data-exercise');
  });

  it('removes script tags', () => {
    const html = renderLesson(
      'Hello\n\n<script>alert(1)</script>\n\n<p>x<script src="https://evil.example/x.js"></script></p>',
      inputs,
    );
    expect(html.toLowerCase()).not.toContain('<script');
    expect(html).not.toContain('alert(1)');
    expect(html).not.toContain('evil.example');
  });

  it('removes event-handler attributes', () => {
    const html = renderLesson(
      '<img src="x.png" onerror="alert(1)">\n\n<p onclick="alert(2)">hi</p>\n\n<div class="exercise" onmouseover="alert(3)"></div>',
      inputs,
    );
    expect(html).not.toMatch(/\bon[a-z]+\s*=/i);
    expect(html).not.toContain('alert(');
    expect(html).toContain('hi');
  });

  it('removes javascript: links from markdown and from raw HTML', () => {
    const html = renderLesson(
      '[click](javascript:alert(1)) <a href="JaVaScRiPt:alert(2)">b</a> <a href="  javascript:alert(3)">c</a>',
      inputs,
    );
    expect(html.toLowerCase()).not.toContain('javascript:');
    expect(html).toContain('click');
  });

  it('keeps https links', () => {
    const html = renderLesson('[docs](https://docs.docker.com/engine/security/)', inputs);
    expect(html).toContain('<a href="https://docs.docker.com/engine/security/">docs</a>');
  });

  it('drops iframes, styles and forms', () => {
    const html = renderLesson(
      '<iframe src="https://evil.example"></iframe><style>body{}</style><form action="/x"><input></form>',
      inputs,
    );
    expect(html).not.toMatch(/<iframe|<style|<form|<input/i);
  });

  it('cannot be used to forge a docker-run block with attacker-chosen attributes', () => {
    const html = renderLesson(
      '<pre class="docker-run" data-container="x" onclick="alert(1)" style="color:red">fake</pre>',
      inputs,
    );
    expect(html).not.toContain('onclick');
    expect(html).not.toContain('style=');
  });

  it('renders the real lessons with the real plans of their labs', () => {
    const catalogue = new Catalogue(labs, path.resolve(import.meta.dirname, '../../content'));
    for (const lab of catalogue.all()) {
      const dockerRun = new Map(
        lab.containers.map((profile) => [
          profile.name,
          dockerRunCommand(
            planContainer({
              profile,
              image: 'img',
              instance: 'ci',
              sessionId: 'S'.repeat(22),
              sessionToken: 'feedface',
              hostFacts: { dataDisk: '/dev/vda' },
              sessionDir: '/var/lib/nslab/ci/sessions/test',
              labId: lab.id,
            }),
          ),
        ]),
      );
      const dockerNetwork = new Map(
        (lab.networks ?? []).map((network) => [
          network.name,
          dockerNetworkCommand(
            planNetwork(network, { instance: 'ci', sessionId: 'S'.repeat(22), labId: lab.id }),
          ),
        ]),
      );
      // Every lesson must render on both kinds of host: v1 without AppArmor, v2 with it.
      const variants: ReadonlySet<LessonCondition>[] = [
        new Set<LessonCondition>(['cgroup-v1', 'no-apparmor']),
        new Set<LessonCondition>(['cgroup-v2', 'apparmor']),
      ];
      const [html = ''] = variants.map((conditions) =>
        renderLesson(catalogue.lessonMarkdown(lab.id), {
          dockerRun,
          dockerNetwork,
          conditions,
          exerciseIds: new Set(lab.exercises.map((e) => e.id)),
          terminals: new Set(lab.containers.filter((c) => c.terminal !== false).map((c) => c.name)),
        }),
      );
      for (const exercise of lab.exercises)
        expect(html).toContain(`data-exercise="${exercise.id}"`);
      expect(html).not.toMatch(/\{\{(docker-run|exercise):/);
    }
  });
});

describe("a lesson's engine", () => {
  it('names the running engine and keeps the block for its CVE-2024-29018 state', () => {
    const markdown =
      'Docker {{engine-version}}{{#engine-dns-unfixed}} leaks{{/engine-dns-unfixed}}';
    const render = (engineVersion: string) =>
      renderLesson(markdown, {
        dockerRun: new Map(),
        exerciseIds: new Set(),
        engineVersion,
        conditions: new Set([
          hasInternalDnsFix(engineVersion) ? 'engine-dns-fixed' : 'engine-dns-unfixed',
        ]),
      });
    expect(render('20.10.24+dfsg1')).toContain('<code>20.10.24+dfsg1</code> leaks');
    expect(render('26.1.5+dfsg1')).not.toContain('leaks');
    // Only a version's own characters reach the page.
    expect(render('1.2<script>')).toContain('<code>1.2script</code>');
  });

  it('knows which upstream versions have the fix', () => {
    const fixed = ['26.0.0', '27.3.1', '25.0.5', '25.1.0', '23.0.11'];
    const unfixed = ['20.10.24+dfsg1', '24.0.9', '25.0.4', '23.0.10', 'unknown'];
    for (const v of fixed) expect({ v, fixed: hasInternalDnsFix(v) }).toEqual({ v, fixed: true });
    for (const v of unfixed)
      expect({ v, fixed: hasInternalDnsFix(v) }).toEqual({ v, fixed: false });
  });
});
