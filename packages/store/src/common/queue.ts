/**
 * Runs async tasks one at a time, in call order. DuckDB allows one writer per connection and the
 * append protocol (stage → dedupe → insert → commit) must not interleave with another append.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    // Keep the chain alive whatever the task's outcome; callers see the real result.
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** resolves when every task queued so far has settled */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
