/**
 * Seeded random numbers for reproducible workloads and schedules: the same
 * seed gives the same prompts, lengths and arrival times on every run and
 * machine (Math.random cannot be seeded).
 */

/** A uniform generator on [0, 1) with 53 bits of resolution. */
export type Uniform = () => number;

/** sfc32 (Small Fast Counter), seeded through splitmix32 so that small seeds spread well. */
export function seededUniform(seed: number): Uniform {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next32 = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next32();
  return () => (next32() * 2 ** 21 + (next32() >>> 11)) / 2 ** 53;
}

/** Exponential variate with the given mean (inverse CDF; 1−u keeps log away from 0). */
export function exponential(rand: Uniform, mean: number): number {
  return -Math.log(1 - rand()) * mean;
}

/** Standard normal variate (Box–Muller). */
export function standardNormal(rand: Uniform): number {
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Gamma variate with shape k and scale θ (Marsaglia–Tsang; for k < 1 the
 * k+1 draw is boosted by U^(1/k)). Mean kθ, as numpy's `random.gamma(shape, scale)`.
 */
export function gamma(rand: Uniform, shape: number, scale: number): number {
  if (!(shape > 0) || !(scale > 0)) throw new RangeError('gamma: shape and scale must be positive');
  if (shape < 1) return gamma(rand, shape + 1, scale) * Math.pow(1 - rand(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(rand);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rand();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

/**
 * Inter-arrival time (seconds) for a target rate and burstiness as in vLLM's
 * `--burstiness`: gamma with shape = burstiness and scale = 1/(rate·burstiness),
 * so the mean is 1/rate whatever the burstiness; burstiness 1 is a Poisson
 * process (exponential gaps), < 1 burstier, > 1 more even, ∞ constant.
 */
export function interArrival(rand: Uniform, rate: number, burstiness = 1): number {
  if (rate === Infinity) return 0;
  if (burstiness === Infinity) return 1 / rate;
  if (burstiness === 1) return exponential(rand, 1 / rate);
  return gamma(rand, burstiness, 1 / (rate * burstiness));
}
