/**
 * At most `size` pieces of work under way at once; the rest wait their turn, first come first
 * served. Waiting holds nothing: no socket, no request.
 */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/**
 * Deliveries (claim, send, mark) under way at once in this process, across all its fan-outs.
 * On Lambda a process runs one invocation, whose fan-out (sendConcurrency) stays below this;
 * locally one process runs every handler, and this keeps their claims and sends within what
 * an SDK client's socket pool serves (50 sockets), with room left for the handlers' reads.
 */
export const sendSlots = new Slots(32);
