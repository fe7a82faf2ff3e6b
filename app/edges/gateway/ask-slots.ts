/**
 * How many answers this instance streams or waits on at once. Each waiting ask holds a manual watcher
 * and buffers; without a cap a few sockets asking about a stalled manual grew the heap without bound.
 */
export class AskSlots {
  private used = 0;

  constructor(readonly max: number) {}

  get inFlight(): number {
    return this.used;
  }

  tryTake(): boolean {
    if (this.used >= this.max) return false;
    this.used += 1;
    return true;
  }

  release(count = 1): void {
    this.used = Math.max(0, this.used - count);
  }
}
