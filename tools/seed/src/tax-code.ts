import { taxCodeCheckDigit } from '@lienket/reference';
import type { Rng } from './prng';

/**
 * A fresh valid 10-digit tax code (the check digit by the rule the registry applies) not in `taken`.
 * Enterprise codes start with 0 and a non-zero digit, like the codes the tax offices issue
 * (e.g. 0100109106, 0300588569).
 */
export function newTaxCode(rng: Rng, taken: Set<string>): string {
  for (;;) {
    const nine = `0${rng.int(1, 9)}${rng.digits(7)}`;
    const digit = taxCodeCheckDigit(nine);
    if (digit === undefined) continue;
    const code = `${nine}${digit}`;
    if (taken.has(code)) continue;
    taken.add(code);
    return code;
  }
}
