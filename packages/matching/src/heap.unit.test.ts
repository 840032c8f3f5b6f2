import { prng } from './fixtures.test';
import { MinHeap } from './heap';

describe('MinHeap', () => {
  const numbers = () => new MinHeap<number>((a, b) => a < b);

  it('is empty at first', () => {
    const heap = numbers();
    expect(heap.size).toBe(0);
    expect(heap.peek()).toBeUndefined();
    expect(heap.pop()).toBeUndefined();
    expect(heap.drain()).toEqual([]);
  });

  it('pops in order whatever the push order', () => {
    const heap = numbers();
    for (const n of [5, 3, 8, 1, 9, 2, 7, 3]) heap.push(n);
    expect(heap.size).toBe(8);
    expect(heap.peek()).toBe(1);
    expect(heap.pop()).toBe(1);
    expect(heap.pop()).toBe(2);
    expect(heap.drain()).toEqual([3, 3, 5, 7, 8, 9]);
    expect(heap.size).toBe(0);
  });

  it('replaceTop swaps out the least in one step', () => {
    const heap = numbers();
    for (const n of [4, 6, 5]) heap.push(n);
    expect(heap.replaceTop(10)).toBe(4);
    expect(heap.drain()).toEqual([5, 6, 10]);
    expect(heap.replaceTop(1)).toBeUndefined();
    expect(heap.drain()).toEqual([1]);
  });

  it('keeps the k largest of a random stream, as a sort does', () => {
    const random = prng(7);
    const values = Array.from({ length: 5000 }, () => Math.floor(random() * 1000));
    const k = 25;
    const heap = numbers();
    for (const v of values) {
      if (heap.size < k) heap.push(v);
      else if (v > (heap.peek() ?? Number.NEGATIVE_INFINITY)) heap.replaceTop(v);
    }
    const expected = [...values].sort((a, b) => b - a).slice(0, k);
    expect(heap.drain().reverse()).toEqual(expected);
  });

  it('orders by any comparator, here score then id', () => {
    type Item = { id: string; score: number };
    const heap = new MinHeap<Item>((a, b) => a.score < b.score || (a.score === b.score && a.id > b.id));
    for (const [id, score] of [
      ['b', 1],
      ['a', 1],
      ['c', 0.5],
      ['d', 2],
    ] as const) {
      heap.push({ id, score });
    }
    expect(heap.drain().map((i) => i.id)).toEqual(['c', 'b', 'a', 'd']);
  });
});
