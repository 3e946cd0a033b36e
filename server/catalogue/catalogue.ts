// The vetted set of labs. Lookups take a client-supplied id, check it against the id
// pattern and then look it up in this map: an id is never used to build a path.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LAB_ID_PATTERN, type LabSummary } from '../protocol/api-types.ts';
import type { LabDefinition } from './lab-definition.ts';
import type { ServerMode } from '../config.ts';
import type { EngineFacts } from '../host/host-facts.ts';
import { labUnavailable } from './availability.ts';
import { validateLab } from './validate-lab.ts';

export class Catalogue {
  private readonly byId = new Map<string, LabDefinition>();
  private readonly lessons = new Map<string, string>();

  constructor(labs: readonly LabDefinition[], contentDir: string) {
    const problems = labs.flatMap((lab) => validateLab(lab, contentDir));
    for (const lab of labs) {
      if (this.byId.has(lab.id)) problems.push(`lab id "${lab.id}" is repeated`);
      this.byId.set(lab.id, lab);
    }
    if (problems.length > 0) throw new Error(`invalid lab catalogue:\n  ${problems.join('\n  ')}`);
    for (const lab of labs) {
      this.lessons.set(lab.id, readFileSync(path.join(contentDir, lab.lesson), 'utf8'));
    }
  }

  find(id: string): LabDefinition | undefined {
    return LAB_ID_PATTERN.test(id) ? this.byId.get(id) : undefined;
  }

  lessonMarkdown(id: string): string {
    const markdown = this.lessons.get(id);
    if (markdown === undefined) throw new Error(`no lesson loaded for lab ${id}`);
    return markdown;
  }

  all(): LabDefinition[] {
    return [...this.byId.values()];
  }

  /** What the page lists: `labs` (by default every lab), each with why it cannot start here. */
  summaries(facts: EngineFacts, mode: ServerMode, labs = this.all()): LabSummary[] {
    return labs.map((lab) => summarize(lab, labUnavailable(lab, facts, mode)));
  }

  /** The lab after this one on the path that can run here: where a finished lab points. */
  nextAfter(id: string, facts: EngineFacts, mode: ServerMode): LabSummary | undefined {
    const labs = this.summaries(facts, mode);
    const at = labs.findIndex((lab) => lab.id === id);
    return labs.slice(at + 1).find((lab) => lab.unavailable === undefined);
  }
}

export function summarize(lab: LabDefinition, unavailable?: string): LabSummary {
  return {
    id: lab.id,
    title: lab.title,
    topic: lab.topic,
    summary: lab.summary,
    minutes: lab.minutes,
    ...(unavailable === undefined ? {} : { unavailable }),
  };
}
