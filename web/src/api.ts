// The page's API client: same origin, so the cookie set from the start-up token (or a
// workshop learner's cookie) travels with every request and no token is held here.
import { ApiClient } from '../../server/protocol/api-client.ts';

export const api = new ApiClient(location.origin);
