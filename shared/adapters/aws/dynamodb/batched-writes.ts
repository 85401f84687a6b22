import { BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Item, Key } from "./item-kind.ts";

/** The most BatchWriteItem takes in one request. */
const batchLimit = 25;

type Request = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Key } };

interface Queued {
  request: Request;
  key: string;
  written: () => void;
  failed: (error: unknown) => void;
}

/**
 * Single-item puts and deletes that need no condition, coalesced: the calls made within a
 * short window (the answers of many concurrent sends, say) go out together as BatchWriteItem
 * requests of up to 25, and each call resolves once its own item is written, or rejects with
 * the error of its batch. A write's meaning is the one PutItem or DeleteItem would have; what
 * it saves is requests (one for up to 25), not capacity.
 */
export class BatchedWrites {
  private queue: Queued[] = [];
  private scheduled: { cancel(): void } | undefined;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
    /**
     * How long the first write of a batch waits for others to join it (25 go at once); 0 waits
     * only for the I/O callbacks of the current turn of the event loop.
     */
    private readonly windowMs = 0,
  ) {}

  /** Writes a whole item (its PK and SK included), as an unconditional PutItem would. */
  put(item: Item): Promise<void> {
    const request = { PutRequest: { Item: item } };
    return this.enqueue(request, keyOf(request));
  }

  delete(key: Key): Promise<void> {
    return this.enqueue({ DeleteRequest: { Key: { PK: key.PK, SK: key.SK } } }, key);
  }

  private enqueue(request: Request, key: Key): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({
        request,
        key: `${key.PK}\u0000${key.SK}`,
        written: resolve,
        failed: (error) => reject(error instanceof Error ? error : new Error(String(error))),
      });
      if (this.queue.length >= batchLimit) this.flush();
      else if (!this.scheduled) {
        const flush = () => this.flush();
        if (this.windowMs > 0) {
          const timer = setTimeout(flush, this.windowMs);
          this.scheduled = { cancel: () => clearTimeout(timer) };
        } else {
          const immediate = setImmediate(flush);
          this.scheduled = { cancel: () => clearImmediate(immediate) };
        }
      }
    });
  }

  /**
   * Sends what is queued, 25 a request. A key queued twice (BatchWriteItem refuses a key twice
   * in one request) waits until this flush's requests are answered, so the later write wins.
   */
  private flush(): void {
    this.scheduled?.cancel();
    this.scheduled = undefined;
    const queued = this.queue;
    this.queue = [];
    const keys = new Set<string>();
    const later: Queued[] = [];
    const batches: Queued[][] = [];
    for (const q of queued) {
      if (keys.has(q.key)) later.push(q);
      else {
        keys.add(q.key);
        if ((batches.at(-1)?.length ?? batchLimit) >= batchLimit) batches.push([]);
        batches.at(-1)!.push(q);
      }
    }
    const written = Promise.all(batches.map((batch) => this.write(batch)));
    if (later.length > 0)
      void written.then(() => {
        for (const q of later) this.enqueue(q.request, keyOf(q.request)).then(q.written, q.failed);
      });
  }

  private async write(batch: readonly Queued[]): Promise<void> {
    let pending: Request[] = batch.map((q) => q.request);
    try {
      // Some may be left unprocessed under load: written again, after a growing pause.
      for (let round = 0; pending.length > 0; round++) {
        if (round > 0) await sleep(Math.min(1000, 20 * 2 ** round) * (0.5 + Math.random()));
        const out = await this.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }),
        );
        pending = (out.UnprocessedItems?.[this.tableName] ?? []) as Request[];
      }
      for (const q of batch) q.written();
    } catch (error) {
      for (const q of batch) q.failed(error);
    }
  }
}

const keyOf = (request: Request): Key => {
  const k = "PutRequest" in request ? request.PutRequest.Item : request.DeleteRequest.Key;
  return { PK: String(k.PK), SK: String(k.SK) };
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
