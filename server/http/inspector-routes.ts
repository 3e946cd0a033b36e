// The isolation inspector's API: one reading (GET .../inspection) and a Server-Sent Events
// stream of readings (GET .../inspection/stream) for the learner's own session; anyone
// else's is 404. The stream is the subscription: the page opens it while the panel is
// visible and closes it when hidden, and the server reads nothing for a session nobody
// watches (inspector/inspector-hub.ts).
import type express from 'express';
import type { Request, Response } from 'express';
import type { InspectableSession, InspectorHub } from '../inspector/inspector-hub.ts';
import type { InspectedContainer } from '../inspector/inspect-session.ts';
import { INSPECTOR_EVENT } from '../protocol/inspector-types.ts';
import { API_ROUTES } from '../protocol/routes.ts';
import { DEFAULT_LANG, type Lang } from '../protocol/lang.ts';
import { inLang } from '../catalogue/lab-text.ts';
import { langOf } from './route-kit.ts';
import type { Session } from '../sessions/session.ts';

/** Keeps proxies and browsers from closing the stream while a reading is slow. */
const KEEPALIVE_MS = 20_000;

/**
 * A session as the inspector sees it: every container, in the lab's order, with its title in
 * `lang`. Readings of a session are shared by all its watchers (inspector-hub.ts), so the
 * titles are in the language of the page that opened the first watch: two tabs of one
 * learner in two languages is the one case that sees the other's titles.
 */
export function inspectable(session: Session, lang: Lang = DEFAULT_LANG): InspectableSession {
  return {
    id: session.id,
    get isEnded() {
      return session.isEnded;
    },
    inspectedContainers: (): InspectedContainer[] =>
      [...session.containers.values()].map((c) => ({
        name: c.plan.name,
        title: inLang(
          session.lab.containers.find((p) => p.name === c.plan.name)?.title ?? c.plan.name,
          lang,
        ),
        id: c.id,
        client: c.client,
      })),
  };
}

function stream(
  hub: InspectorHub,
  own: (req: Request<{ sessionId: string }>, res: Response) => Session,
): (req: Request<{ sessionId: string }>, res: Response) => void {
  return (req, res) => {
    // Throws not_found before any header is written: the error handler answers 404.
    const session = own(req, res);
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.flushHeaders();
    const unsubscribe = hub.subscribe(inspectable(session, langOf(res)), (snapshot) => {
      if (snapshot === 'ended') {
        res.end('event: ended\ndata: {}\n\n');
        return;
      }
      res.write(`event: ${INSPECTOR_EVENT}\ndata: ${JSON.stringify(snapshot)}\n\n`);
    });
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    res.on('close', () => {
      clearInterval(keepalive);
      unsubscribe();
    });
  };
}

export function inspectorRoutes(
  router: express.Router,
  hub: InspectorHub,
  own: (req: Request<{ sessionId: string }>, res: Response) => Session,
): void {
  router.get(API_ROUTES.inspection.path, async (req: Request<{ sessionId: string }>, res) => {
    res.json(await hub.readOnce(inspectable(own(req, res), langOf(res))));
  });
  router.get(API_ROUTES.inspectionStream.path, stream(hub, own));
}
