/** A value read once per `ttlMs`, shared by the requests that ask meanwhile. */
export class Cached<T> {
  private value: { at: number; promise: Promise<T> } | null = null;
  constructor(
    private readonly ttlMs: number,
    private readonly load: () => Promise<T>,
  ) {}
  get(): Promise<T> {
    if (!this.value || Date.now() - this.value.at > this.ttlMs) {
      const entry = { at: Infinity, promise: this.load() };
      this.value = entry;
      // Fresh from when it arrived; a failure is not kept (unless a newer read replaced it meanwhile).
      entry.promise.then(
        () => (entry.at = Date.now()),
        () => {
          if (this.value === entry) this.value = null;
        },
      );
    }
    return this.value.promise;
  }
}
