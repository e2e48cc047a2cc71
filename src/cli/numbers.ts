/** Parsers of numeric flags: a value outside its range is a usage error that names the range. */
import { InvalidArgumentError } from "commander";

/** A whole number from `min` to `max`. */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): (v: string) => number {
  return (v) => {
    const n = v.trim() === "" ? Number.NaN : Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected a whole number ${range(min, max)}`);
    return n;
  };
}

/** A number from `min` to `max` (inclusive). */
export function numberIn(min: number, max = Number.POSITIVE_INFINITY): (v: string) => number {
  return (v) => {
    const n = v.trim() === "" ? Number.NaN : Number(v);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected a number ${range(min, max)}`);
    return n;
  };
}

function range(min: number, max: number): string {
  return max >= Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
}
