// The baseline's aggregation expressions evaluated in the driver, for a store that serves no expression operators.
import type { Document } from 'mongodb';

/**
 * The aggregation expressions the baseline uses, evaluated in the driver for a server that lacks them (FerretDB
 * 1.24 runs $match, $sort and $limit but no expression operators in $addFields). Same expression object, same
 * meaning, so the pipeline is defined once.
 */
export function evaluate(expr: unknown, doc: Document, vars: Record<string, unknown> = {}): unknown {
  if (typeof expr === 'string') {
    if (expr.startsWith('$$')) return vars[expr.slice(2)] ?? null;
    if (expr.startsWith('$')) return doc[expr.slice(1)] ?? null;
    return expr;
  }
  if (expr === null || typeof expr !== 'object' || expr instanceof Date) return expr;
  if (Array.isArray(expr)) return expr.map((e) => evaluate(e, doc, vars));
  const [op, arg] = Object.entries(expr)[0] as [string, unknown];
  const args = () => (Array.isArray(arg) ? arg : [arg]).map((e) => evaluate(e, doc, vars));
  const number = (x: unknown) => (x instanceof Date ? x.getTime() : (x as number));
  switch (op) {
    case '$literal':
      return arg;
    case '$switch': {
      const s = arg as { branches: { case: unknown; then: unknown }[]; default: unknown };
      for (const branch of s.branches)
        if (truthy(evaluate(branch.case, doc, vars))) return evaluate(branch.then, doc, vars);
      return evaluate(s.default, doc, vars);
    }
    case '$cond': {
      const [c, t, f] = arg as unknown[];
      return truthy(evaluate(c, doc, vars)) ? evaluate(t, doc, vars) : evaluate(f, doc, vars);
    }
    case '$let': {
      const l = arg as { vars: Record<string, unknown>; in: unknown };
      const scope = { ...vars };
      for (const [name, value] of Object.entries(l.vars)) scope[name] = evaluate(value, doc, vars);
      return evaluate(l.in, doc, scope);
    }
    case '$and':
      return args().every(truthy);
    case '$eq':
    case '$ne':
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      const [a, b] = args();
      const c = compare(a, b);
      return op === '$eq'
        ? c === 0
        : op === '$ne'
          ? c !== 0
          : op === '$gt'
            ? c > 0
            : op === '$gte'
              ? c >= 0
              : op === '$lt'
                ? c < 0
                : c <= 0;
    }
    case '$in': {
      const [x, list] = args();
      return (list as unknown[]).some((y) => compare(x, y) === 0);
    }
    case '$size':
      return (args()[0] as unknown[]).length;
    case '$setIntersection': {
      const [first = [], ...rest] = args() as unknown[][];
      return [...new Set(first)].filter((x) => rest.every((set) => set.includes(x)));
    }
    case '$min':
      return Math.min(
        ...args()
          .filter((x) => x !== null)
          .map(number),
      );
    case '$add':
      return args().reduce<number>((sum, x) => sum + number(x), 0);
    case '$multiply':
      return args().reduce<number>((product, x) => product * number(x), 1);
    case '$subtract': {
      const [a, b] = args();
      return number(a) - number(b);
    }
    case '$divide': {
      const [a, b] = args();
      return number(a) / number(b);
    }
    default:
      throw new Error(`evaluate: ${op} is not implemented here`);
  }
}

function truthy(x: unknown): boolean {
  return !(x === false || x === null || x === undefined || x === 0);
}

// BSON order for the types the baseline compares: null < numbers < strings < booleans < dates.
function typeRank(x: unknown): number {
  if (x === null || x === undefined) return 0;
  if (typeof x === 'number') return 1;
  if (typeof x === 'string') return 2;
  if (typeof x === 'boolean') return 8;
  if (x instanceof Date) return 9;
  return 3;
}

function compare(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  const x = a instanceof Date ? a.getTime() : a;
  const y = b instanceof Date ? b.getTime() : b;
  return x === y ? 0 : (x as number | string) < (y as number | string) ? -1 : 1;
}
