/**
 * Let the event loop run (timers, I/O, worker messages) before going on. Long synchronous
 * work, such as writing a source into the embedded store, calls it between batches: a build
 * worker that finished meanwhile would otherwise have its result, and its next job
 * (ingest/build-pool.ts), wait for the end of the whole load, idle.
 */
export function turnOfTheEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
