// Exact integer division with a stated rounding rule. Money never passes through floating point.
//
// - "half-even" (banker's rounding): ties go to the even neighbour, so rounding errors do not
//   drift one way over many conversions. Used for every FX conversion and the platform fee.
// - "down" (toward zero for the non-negative amounts we handle): used where a rounded value is a
//   discount given away (points), so the shop never gives more than the rule says.
export type Rounding = "half-even" | "down";

export function divideRounded(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  if (denominator === 0n) throw new RangeError("division by zero");
  if (denominator < 0n) return divideRounded(-numerator, -denominator, rounding);
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  let q = n / denominator;
  const r = n % denominator;
  if (rounding === "half-even" && r !== 0n) {
    const twice = r * 2n;
    if (twice > denominator || (twice === denominator && q % 2n === 1n)) q += 1n;
  }
  return negative ? -q : q;
}

/** `amount × bps / 10 000`, rounded as stated. */
export function applyBps(amount: bigint, bps: number | bigint, rounding: Rounding): bigint {
  return divideRounded(amount * BigInt(bps), 10_000n, rounding);
}
