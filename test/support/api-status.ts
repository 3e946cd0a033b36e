// What a test wants to know of a refused API call: its HTTP status. A call that was
// accepted counts as 200; anything that is not the API's refusal is the test's failure.
import { ApiRequestError } from '../../server/protocol/api-client.ts';

/** The status an API call ended with: 200 if it was accepted, else the refusal's. */
export async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    if (error instanceof ApiRequestError) return error.status;
    throw error;
  }
}
