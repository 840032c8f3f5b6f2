import { changeVersioned } from './versioned';

describe('changeVersioned', () => {
  it('re-reads and re-decides when another writer won, and saves on the version read', async () => {
    const stored = { value: 1, version: 1 };
    let interfere = true;
    const saves: number[] = [];
    const result = await changeVersioned(
      async () => ({ ...stored }),
      (current) => ({ next: { ...current, value: current.value * 10 }, events: ['changed'] }),
      async (next, expectedVersion) => {
        saves.push(expectedVersion);
        if (interfere) {
          interfere = false;
          Object.assign(stored, { value: 2, version: 2 }); // someone else wrote first
          return false;
        }
        if (stored.version !== expectedVersion) return false;
        Object.assign(stored, next);
        return true;
      },
    );
    expect(saves).toEqual([1, 2]);
    expect(result).toEqual({ value: { value: 20, version: 3 }, changed: true });
    expect(stored).toEqual({ value: 20, version: 3 });
  });

  it('writes nothing when the decision is no change', async () => {
    const save = jest.fn();
    const result = await changeVersioned(
      async () => ({ version: 4 }),
      () => undefined,
      save,
    );
    expect(result).toEqual({ value: { version: 4 }, changed: false });
    expect(save).not.toHaveBeenCalled();
  });

  it('gives up with VERSION_CONFLICT after the attempts', async () => {
    const attempt = changeVersioned(
      async () => ({ version: 1 }),
      (current) => ({ next: current, events: [] }),
      async () => false,
      2,
    );
    await expect(attempt).rejects.toMatchObject({ kind: 'FAILED_PRECONDITION', code: 'VERSION_CONFLICT' });
  });
});
