/** A value computed on first use: keeps heavy modules out of activation. */
export class Lazy<T> {
  private value: T | undefined;
  private done = false;
  constructor(private readonly factory: () => T) {}
  get(): T {
    if (!this.done) {
      this.value = this.factory();
      this.done = true;
    }
    return this.value as T;
  }
  get created(): boolean {
    return this.done;
  }
}
