// Iterates an async source one item ahead: while the consumer works on item n (awaits the database
// storing it), item n+1 is already being produced (the report parsed from the download), so the
// parser's JavaScript and PostgreSQL's work overlap. The sync's ingest loop reads
// `for await (const batch of readAhead(rows)) await writer.write(batch.rows)`.
// Stopping early (break, throw) waits for the item in flight, then closes the source.

export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | undefined = iterator.next();
  let finished = false;
  try {
    for (;;) {
      const result: IteratorResult<T> = await pending!;
      if (result.done) {
        finished = true;
        return;
      }
      pending = iterator.next();
      // Rejections are seen at the next await; until then this keeps Node from calling them unhandled.
      pending.catch(() => undefined);
      yield result.value;
    }
  } catch (error) {
    finished = true; // the source threw: it is closed already
    throw error;
  } finally {
    if (!finished) {
      const last = await pending!.catch(() => ({ done: true }) as IteratorResult<T>);
      if (!last.done) await iterator.return?.();
    }
  }
}
