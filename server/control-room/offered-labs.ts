// The labs a workshop offers, in the instructor's order, kept in the progress store so the
// choice survives a restart. Nobody chose yet: every lab, in the catalogue's order. The
// learners' catalogue shows only these, and a learner cannot start any other.
import { NO_SUCH_LAB, type Catalogue } from '../catalogue/catalogue.ts';
import type { LabDefinition } from '../catalogue/lab-definition.ts';
import { AppError } from '../errors/app-error.ts';
import { message } from '../errors/server-message.ts';
import type { ProgressStore } from '../store/progress-store.ts';

const LAB_IDS_BODY = message(
  'offer_body',
  'The body must be {"labIds": ["<lab id>", ...]}.',
  '请求体必须是 {"labIds": ["<lab id>", ...]}。',
);
const OFFER_ONE = message(
  'offer_none',
  'Offer at least one lab, or learners have nothing to do.',
  '至少提供一个实验，否则学员无事可做。',
);
const OFFERED_TWICE = message(
  'offer_twice',
  'Each lab may be offered once.',
  '每个实验只能提供一次。',
);

export class OfferedLabs {
  constructor(
    private readonly store: Pick<ProgressStore, 'offeredLabs' | 'setOfferedLabs'>,
    private readonly catalogue: Catalogue,
  ) {}

  /** Offered lab ids in order; a stored id the catalogue no longer has is left out. */
  ids(): string[] {
    const every = this.catalogue.all().map((lab) => lab.id);
    const chosen = this.store.offeredLabs()?.filter((id) => this.catalogue.find(id) !== undefined);
    return chosen === undefined || chosen.length === 0 ? every : chosen;
  }

  labs(): LabDefinition[] {
    return this.ids().flatMap((id) => this.catalogue.find(id) ?? []);
  }

  isOffered(labId: string): boolean {
    return this.ids().includes(labId);
  }

  /** Checks and stores the instructor's choice: known labs, each once, at least one. */
  choose(body: unknown): string[] {
    const value: unknown = body ?? {};
    const record = typeof value === 'object' && value !== null ? value : {};
    const labIds = (record as { labIds?: unknown }).labIds;
    if (
      Object.keys(record).length !== 1 ||
      !Array.isArray(labIds) ||
      !labIds.every((id): id is string => typeof id === 'string')
    )
      throw new AppError('bad_request', LAB_IDS_BODY());
    if (labIds.length === 0) throw new AppError('bad_request', OFFER_ONE());
    const unknown = labIds.filter((id) => this.catalogue.find(id) === undefined);
    if (unknown.length > 0)
      throw new AppError('bad_request', NO_SUCH_LAB({ lab: unknown[0] ?? '' }));
    if (new Set(labIds).size !== labIds.length) throw new AppError('bad_request', OFFERED_TWICE());
    this.store.setOfferedLabs(labIds);
    return this.ids();
  }
}
