// The one reading of the engine's error answers. dockerode rejects with an error carrying the
// HTTP status of the engine's reply; these say what that status means for the caller.

/** The HTTP status of the engine's answer, or undefined when the error is not one. */
export function engineStatus(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    return typeof error.statusCode === 'number' ? error.statusCode : undefined;
  }
  return undefined;
}

/** 404: the container, image, network or volume does not exist (any more). */
export function isGone(error: unknown): boolean {
  return engineStatus(error) === 404;
}

/** 304: the engine had nothing to do (a container already stopped, or already started). */
export function isNotModified(error: unknown): boolean {
  return engineStatus(error) === 304;
}

/** 409: the request conflicts with the object's state (e.g. its removal is already in progress). */
export function isConflict(error: unknown): boolean {
  return engineStatus(error) === 409;
}
