// Jobs run one at a time per key (a promise chain per client), in the order they were queued;
// a failed job does not stop the ones after it. Different keys run concurrently.

export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, job: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(job, job);
    const tail = result.catch(() => {});
    this.tails.set(key, tail);
    tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves when every job queued so far has finished. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.tails.values()]);
  }
}
