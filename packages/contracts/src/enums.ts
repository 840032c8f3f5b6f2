/**
 * Maps a lower_snake domain value to a generated protobuf enum and back by the buf naming rule
 * (`TRANSFER_MODE_LICENCE` ↔ `licence`). Unknown or UNSPECIFIED numbers map to undefined.
 */
export function enumCodec<V extends string>(
  values: Record<string, string | number>,
  prefix: string,
): { toProto(value: V): number; fromProto(value: number): V | undefined; readonly values: readonly V[] } {
  const head = `${prefix}_`;
  const names = Object.keys(values).filter(
    (name) => name.startsWith(head) && name !== `${head}UNSPECIFIED` && typeof values[name] === 'number',
  );
  return {
    /** Every domain value, e.g. for an API's enum. */
    values: names.map((name) => name.slice(head.length).toLowerCase() as V),
    toProto(value) {
      const number = values[`${head}${value.toUpperCase()}`];
      return typeof number === 'number' ? number : 0;
    },
    fromProto(value) {
      const name = values[value];
      if (typeof name !== 'string' || !name.startsWith(head) || name === `${head}UNSPECIFIED`)
        return undefined;
      return name.slice(head.length).toLowerCase() as V;
    },
  };
}
