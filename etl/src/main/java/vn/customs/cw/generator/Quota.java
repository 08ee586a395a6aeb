package vn.customs.cw.generator;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Spreads a yearly volume over the days of the year by a day profile, so that a day's count depends
 * only on (seed, stream, day) and a year's counts add up to the yearly volume (to rounding). Counts
 * are the steps of floor(cumulative expected + offset), which keeps small streams (Vạn Gia, C/O) at
 * their rate without Poisson noise that would blur the published year-on-year changes.
 */
final class Quota {
    private final long seed;
    private final Map<String, double[]> cumulative = new HashMap<>();

    Quota(long seed) {
        this.seed = seed;
    }

    /** Share of the year's volume falling up to and including each day (index = day of year). */
    private double[] cum(String stream, int year, ToDoubleFunction<LocalDate> profile, double noise) {
        return cumulative.computeIfAbsent(stream + "@" + year, k -> {
            LocalDate first = LocalDate.of(year, 1, 1);
            int n = first.lengthOfYear();
            double[] c = new double[n + 1];
            for (int i = 1; i <= n; i++) {
                LocalDate d = first.plusDays(i - 1);
                double jitter = 1 + noise * (2 * Rng.unit(seed, "quota-noise", stream, d.toEpochDay()) - 1);
                c[i] = c[i - 1] + profile.applyAsDouble(d) * jitter;
            }
            double total = c[n];
            for (int i = 1; i <= n; i++) c[i] /= total;
            return c;
        });
    }

    /** Records of a stream on a day, given its yearly volume. */
    long count(String stream, LocalDate d, double perYear, ToDoubleFunction<LocalDate> profile, double noise) {
        double[] c = cum(stream, d.getYear(), profile, noise);
        int i = d.getDayOfYear();
        double u = Rng.unit(seed, "quota-offset", stream, d.getYear());
        return (long) Math.floor(perYear * c[i] + u) - (long) Math.floor(perYear * c[i - 1] + u);
    }

    /** A continuous amount (revenue) of a stream on a day, given its yearly total. */
    double amount(String stream, LocalDate d, double perYear, ToDoubleFunction<LocalDate> profile, double noise) {
        double[] c = cum(stream, d.getYear(), profile, noise);
        int i = d.getDayOfYear();
        return perYear * (c[i] - c[i - 1]);
    }

    /** Share of the year's volume up to and including the day (for a sum over days without generating them). */
    double shareTo(String stream, LocalDate d, ToDoubleFunction<LocalDate> profile, double noise) {
        return cum(stream, d.getYear(), profile, noise)[d.getDayOfYear()];
    }
}
