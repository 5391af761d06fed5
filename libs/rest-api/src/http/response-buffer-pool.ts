import type { ServerResponse } from 'node:http';

/** Smallest pooled size; smaller bodies come from Node's own small-buffer pool already. */
const MIN_POOLED_BYTES = 16 * 1024;

/**
 * Reusable memory for large response bodies (list pages run to ~160 KB) and
 * for the chunks whole lists are written in.
 * Every fresh buffer of that size is an ArrayBuffer outside the JS heap, and
 * V8 answers a stream of them with young-generation collections for
 * "external memory pressure": several a second under load, each one a pause
 * in the middle of some request. Buffers return to the pool once their
 * response is finished (handed to the OS) or abandoned, or, for chunks, once
 * their write has completed, so a reused buffer is never still being sent.
 */
export class ResponseBufferPool {
  private readonly free = new Map<number, Buffer[]>();
  private retainedBytes = 0;

  /** `maxRetainedBytes` caps what idle buffers may hold; beyond it they are left to the collector. */
  constructor(private readonly maxRetainedBytes = 32 * 1024 * 1024) {}

  /**
   * A buffer of exactly `size` bytes (uninitialised) whose memory goes back to
   * the pool when `response` ends.
   */
  acquireFor(response: ServerResponse, size: number): Buffer {
    if (size < MIN_POOLED_BYTES) return Buffer.allocUnsafe(size);
    const backing = this.acquire(size);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.release(backing);
    };
    response.once('finish', release);
    response.once('close', release);
    return backing.subarray(0, size);
  }

  /**
   * A whole pooled buffer of at least `size` bytes (uninitialised), for a
   * caller that knows when the bytes it wrote have left the process (a
   * write's callback) and hands the buffer back with `release` only then.
   */
  acquire(size: number): Buffer {
    const capacity = sizeClass(size);
    const pooled = this.free.get(capacity)?.pop();
    if (pooled === undefined) return Buffer.allocUnsafeSlow(capacity);
    this.retainedBytes -= pooled.length;
    return pooled;
  }

  /** Takes back a buffer from `acquire`; nothing may read or write it afterwards. */
  release(buffer: Buffer): void {
    // Only whole buffers of a size class: a view into one would hand out its neighbours' bytes.
    if (buffer.byteOffset !== 0 || buffer.length !== sizeClass(buffer.length)) return;
    if (this.retainedBytes + buffer.length > this.maxRetainedBytes) return;
    let list = this.free.get(buffer.length);
    if (list === undefined) this.free.set(buffer.length, (list = []));
    list.push(buffer);
    this.retainedBytes += buffer.length;
  }

  /** Bytes held by idle buffers. */
  get retained(): number {
    return this.retainedBytes;
  }
}

/** Powers of two, so that a handful of sizes serve every body. */
function sizeClass(size: number): number {
  let capacity = MIN_POOLED_BYTES;
  while (capacity < size) capacity *= 2;
  return capacity;
}
