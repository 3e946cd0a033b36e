// The control room's workshop tools (token holder only): which labs the workshop offers and
// in which order, preflight of those labs on this machine, and the progress export.
import type express from 'express';
import type { Response } from 'express';
import type { Catalogue } from '../catalogue/catalogue.ts';
import type { OfferedLabs } from '../control-room/offered-labs.ts';
import type { PreflightRunner } from '../control-room/preflight-runner.ts';
import { AppError } from '../errors/app-error.ts';
import { message } from '../errors/server-message.ts';
import type { EngineFacts } from '../host/host-facts.ts';
import { EXPORT_FORMATS, type ExportFormat, type OfferedLabsView } from '../protocol/api-types.ts';
import { toCsv } from '../store/export-csv.ts';
import type { Progress } from '../store/progress.ts';
import type { Gate } from './auth.ts';
import { instructorRoute } from './instructor-routes.ts';
import { langOf } from './route-kit.ts';

const BAD_EXPORT_FORMAT = message(
  'export_format',
  'Export formats are csv and json.',
  '导出格式只有 csv 和 json。',
);

export interface WorkshopDeps {
  gate: Pick<Gate, 'mode'>;
  catalogue: Catalogue;
  facts: EngineFacts;
  offered: OfferedLabs;
  preflight: PreflightRunner;
  progress: Progress;
}

function isFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** A download, named by the day, that no cache keeps (it holds learners' names). */
function download(res: Response, format: ExportFormat, body: string): void {
  const day = new Date().toISOString().slice(0, 10);
  res
    .status(200)
    .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
    .setHeader('content-disposition', `attachment; filename="nslab-progress-${day}.${format}"`)
    .setHeader('cache-control', 'no-store')
    .send(body);
}

export function workshopRoutes(router: express.Router, deps: WorkshopDeps): void {
  // The lab chooser lists titles in the instructor's page language.
  const view = (res: Response): OfferedLabsView => ({
    offered: deps.offered.ids(),
    labs: deps.catalogue.summaries(deps.facts, deps.gate.mode, undefined, langOf(res)),
  });
  instructorRoute(router, 'offeredLabs', (_req, res) => {
    res.json(view(res));
  });
  instructorRoute(router, 'chooseLabs', (req, res) => {
    deps.offered.choose(req.body);
    res.json(view(res));
  });
  instructorRoute(router, 'preflight', (_req, res) => {
    res.json(deps.preflight.current());
  });
  instructorRoute(router, 'startPreflight', (_req, res) => {
    res.status(202).json(deps.preflight.start());
  });
  instructorRoute(router, 'exportProgress', (req, res) => {
    const { format } = req.params;
    if (!isFormat(format)) throw new AppError('not_found', BAD_EXPORT_FORMAT());
    const rows = deps.progress.exportRows();
    download(res, format, format === 'csv' ? toCsv(rows) : `${JSON.stringify(rows, null, 2)}\n`);
  });
}
