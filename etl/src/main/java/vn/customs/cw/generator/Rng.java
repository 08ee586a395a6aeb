package vn.customs.cw.generator;

import java.util.SplittableRandom;

/** Deterministic seeding and the few distributions the generator needs. */
final class Rng {
    private Rng() {}

    /** SplitMix64 finaliser: a well-mixed 64-bit value from any input. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static long key(long seed, Object... parts) {
        long h = mix(seed + 0x9E3779B97F4A7C15L);
        for (Object p : parts) {
            long v = p instanceof Number n ? n.longValue() : p.toString().hashCode();
            h = mix(h ^ (v + 0x9E3779B97F4A7C15L + (h << 6) + (h >>> 2)));
        }
        return h;
    }

    /** One independent stream per (seed, parts): the same day gives the same records whatever the range. */
    static SplittableRandom stream(long seed, Object... parts) {
        return new SplittableRandom(key(seed, parts));
    }

    /** Uniform in [0, 1) from a hash, without a stream. */
    static double unit(long seed, Object... parts) {
        return (key(seed, parts) >>> 11) * 0x1.0p-53;
    }

    static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble(), u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Log-normal with the given mean (seconds) and shape sigma, capped at 8 × the mean (bounded landing lag). */
    static long logn(SplittableRandom r, double mean, double sigma) {
        double x = mean * Math.exp(sigma * gaussian(r) - sigma * sigma / 2);
        return Math.max(1, Math.round(Math.min(x, 8 * mean)));
    }

    static boolean chance(SplittableRandom r, double p) {
        return r.nextDouble() < p;
    }

    static <T> T pick(SplittableRandom r, T[] a) {
        return a[r.nextInt(a.length)];
    }

    static <T> T pick(SplittableRandom r, java.util.List<T> a) {
        return a.get(r.nextInt(a.size()));
    }
}
