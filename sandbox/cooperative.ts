/** Gives the event loop a turn once a synchronous producer has run for `sliceMs`, so one long
 * generation (a large document, the ground-truth pass) does not stall other requests. */
export function cooperative(sliceMs = 25): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < sliceMs) return;
    await new Promise((r) => setImmediate(r));
    last = performance.now();
  };
}
