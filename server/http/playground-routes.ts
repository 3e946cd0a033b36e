// The profile playground's API, for the learner's own session of a playground lab: the
// profile running now, a new profile (parsed against the allowlist before anything reaches
// Docker: playground/playground-profile.ts) and one fixed probe. Anyone else's session is 404.
// The score's and the probes' words come in the request's language (`?lang`).
import type express from 'express';
import type { Playgrounds } from '../playground/playgrounds.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import { langOf, ownSession, route } from './route-kit.ts';

export function playgroundRoutes(
  router: express.Router,
  deps: { sessions: SessionManager; playgrounds: Playgrounds },
): void {
  const own = ownSession(deps);
  route(router, 'playground', async (req, res) => {
    res.json(await deps.playgrounds.view(own(req, res), langOf(res)));
  });
  route(router, 'startPlayground', async (req, res) => {
    // The body as express parsed it: the parser checks every field and refuses the rest.
    res
      .status(201)
      .json(await deps.playgrounds.start(own(req, res), req.body as unknown, langOf(res)));
  });
  route(router, 'playgroundProbe', async (req, res) => {
    res.json(await deps.playgrounds.probe(own(req, res), req.params.probe, langOf(res)));
  });
}
