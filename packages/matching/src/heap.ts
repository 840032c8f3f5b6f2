/** A binary min-heap; `before(a, b)` is true when a belongs nearer the top than b. */
export class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  /** The top item (the least), without removing it. */
  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    this.items.push(item);
    this.siftUp(this.items.length - 1);
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  /** Pops the top and pushes `item` in one sift; the bounded top-k step. Returns the old top. */
  replaceTop(item: T): T | undefined {
    const top = this.items[0];
    if (top === undefined) {
      this.items.push(item);
      return undefined;
    }
    this.items[0] = item;
    this.siftDown(0);
    return top;
  }

  /** Empties the heap, returning its items top first. */
  drain(): T[] {
    const out: T[] = [];
    while (this.items.length > 0) out.push(this.pop() as T);
    return out;
  }

  private siftUp(start: number): void {
    const items = this.items;
    const item = items[start] as T;
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as T;
      if (!this.before(item, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  private siftDown(start: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[start] as T;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      let c = items[left] as T;
      if (right < n) {
        const r = items[right] as T;
        if (this.before(r, c)) {
          child = right;
          c = r;
        }
      }
      if (!this.before(c, item)) break;
      items[i] = c;
      i = child;
    }
    items[i] = item;
  }
}
