package vn.customs.cw.trs;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Formatting of release-time durations for reports and the CLI. Statistics are stored as exact
 * (double) seconds; they are rounded half-up to whole seconds only here, at display time, so a
 * mean of 36347.5 s prints as 10:05:48 like the published figures.
 *
 * <ul>
 *   <li>{@link #hms(double)}: {@code 10:05:48}; hours are not wrapped at 24 (TRS 2013: {@code 115:00:17})</li>
 *   <li>{@link #vietnamese(double)}: {@code 10 giờ 5 phút 48 giây}; zero units are left out</li>
 *   <li>{@link #signedVietnamese(double)}: {@code −31 phút 6 giây} with a real minus sign (U+2212)</li>
 *   <li>{@link #signedPercent(double, boolean)}: {@code −4.88%} or Vietnamese {@code −4,88%}</li>
 * </ul>
 */
public final class Durations {
    /** U+2212 MINUS SIGN, as printed in the published reports, not a hyphen. */
    public static final String MINUS = "\u2212";

    private Durations() {}

    /** Whole seconds, rounded half-up (half away from zero for negative changes). */
    public static long round(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("not a duration: " + seconds);
        }
        return BigDecimal.valueOf(seconds).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    public static String hms(double seconds) {
        long s = round(seconds);
        String sign = s < 0 ? MINUS : "";
        s = Math.abs(s);
        return String.format("%s%d:%02d:%02d", sign, s / 3600, (s % 3600) / 60, s % 60);
    }

    /** {@code hms} with an explicit sign: {@code +0:05:00}, {@code −0:31:06}, {@code 0:00:00}. */
    public static String signedHms(double seconds) {
        long s = round(seconds);
        return (s > 0 ? "+" : "") + hms(s);
    }

    public static String vietnamese(double seconds) {
        long s = round(seconds);
        String sign = s < 0 ? MINUS : "";
        s = Math.abs(s);
        long h = s / 3600, m = (s % 3600) / 60, sec = s % 60;
        StringBuilder b = new StringBuilder();
        if (h > 0) b.append(h).append(" giờ");
        if (m > 0) b.append(b.isEmpty() ? "" : " ").append(m).append(" phút");
        if (sec > 0 || b.isEmpty()) b.append(b.isEmpty() ? "" : " ").append(sec).append(" giây");
        return sign + b;
    }

    /** A change: {@code −31 phút 6 giây}, {@code +5 phút}, {@code 0 giây}. */
    public static String signedVietnamese(double seconds) {
        long s = round(seconds);
        return (s > 0 ? "+" : "") + vietnamese(s);
    }

    /**
     * A percentage already in percent units (−4.88 means −4.88%), two decimals.
     * @param vietnameseComma true for the Vietnamese decimal comma ({@code −4,88%})
     */
    public static String signedPercent(double pct, boolean vietnameseComma) {
        BigDecimal v = BigDecimal.valueOf(pct).setScale(2, RoundingMode.HALF_UP);
        String abs = v.abs().toPlainString();
        if (vietnameseComma) abs = abs.replace('.', ',');
        String sign = v.signum() < 0 ? MINUS : v.signum() > 0 ? "+" : "";
        return sign + abs + "%";
    }

    /** A share in [0, 1] as a percentage with one decimal: 0.068 → {@code 6.8%}. */
    public static String share(double share, boolean vietnameseComma) {
        String s = BigDecimal.valueOf(share * 100).setScale(1, RoundingMode.HALF_UP).toPlainString();
        return (vietnameseComma ? s.replace('.', ',') : s) + "%";
    }
}
