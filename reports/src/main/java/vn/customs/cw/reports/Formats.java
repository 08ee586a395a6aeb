package vn.customs.cw.reports;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Number, share, date and duration formats of the reports: vi-VN (1.425; 7,5%; "10 giờ 5 phút
 * 48 giây") or English (1,425; 7.5%; "10 h 5 min 48 s"). A missing value prints as an em dash, never 0.
 */
public final class Formats {
    public static final String MISSING = "—";
    private final boolean vi;
    private final Locale locale;
    private final DecimalFormatSymbols symbols;

    private Formats(boolean vi) {
        this.vi = vi;
        this.locale = vi ? Locale.forLanguageTag("vi-VN") : Locale.forLanguageTag("en-GB");
        symbols = new DecimalFormatSymbols(Locale.ROOT);
        symbols.setGroupingSeparator(vi ? '.' : ',');
        symbols.setDecimalSeparator(vi ? ',' : '.');
        symbols.setMinusSign('-');
    }

    public static Formats of(String lang) {
        return switch (lang) {
            case "vi" -> new Formats(true);
            case "en" -> new Formats(false);
            default -> throw new IllegalArgumentException("unknown language '" + lang + "': expected vi or en");
        };
    }

    public Locale locale() { return locale; }

    public String integer(Number n) {
        if (n == null) return MISSING;
        return new DecimalFormat("#,##0", symbols).format(n.longValue());
    }

    public String decimal(Double d, int digits) {
        if (d == null || d.isNaN() || d.isInfinite()) return MISSING;
        DecimalFormat f = new DecimalFormat(digits == 0 ? "#,##0" : "#,##0." + "0".repeat(digits), symbols);
        f.setRoundingMode(RoundingMode.HALF_UP);
        return f.format(BigDecimal.valueOf(d));
    }

    /** A share in [0, 1] as a percentage with one decimal: 0.075 → "7,5%". */
    public String pct(Double share) {
        if (share == null || share.isNaN() || share.isInfinite()) return MISSING;
        return decimal(share * 100, 1) + "%";
    }

    /** A signed change as a percentage: -0.075 → "-7,5%", 0.22 → "+22,0%". */
    public String signedPct(Double share) {
        if (share == null || share.isNaN() || share.isInfinite()) return MISSING;
        String s = pct(Math.abs(share));
        return (share < 0 ? "-" : "+") + s;
    }

    /** x of y as a share, or null when y is 0 or missing. */
    public static Double share(Number x, Number y) {
        if (x == null || y == null || y.doubleValue() == 0) return null;
        return x.doubleValue() / y.doubleValue();
    }

    /** Relative change, or null when there is no previous value. */
    public static Double change(Number now, Number prev) {
        if (now == null || prev == null || prev.doubleValue() == 0) return null;
        return (now.doubleValue() - prev.doubleValue()) / prev.doubleValue();
    }

    /** 36348 s → "10 giờ 5 phút 48 giây"; leading zero units left out, inner ones kept. */
    public String duration(Long seconds) {
        if (seconds == null) return MISSING;
        long s = Math.abs(seconds);
        long h = s / 3600, m = (s % 3600) / 60, sec = s % 60;
        String hu = vi ? " giờ" : " h", mu = vi ? " phút" : " min", su = vi ? " giây" : " s";
        StringBuilder b = new StringBuilder(seconds < 0 ? "-" : "");
        if (h > 0) b.append(integer(h)).append(hu).append(' ');
        if (h > 0 || m > 0) b.append(m).append(mu).append(' ');
        b.append(sec).append(su);
        return b.toString();
    }

    public String duration(Double seconds) {
        return seconds == null || seconds.isNaN() ? MISSING : duration(Math.round(seconds));
    }

    /** A change of duration with its sign: "-31 phút 6 giây", "+5 giây". */
    public String signedDuration(Long seconds) {
        if (seconds == null) return MISSING;
        return (seconds < 0 ? "" : "+") + duration(seconds);
    }

    /** 36348 s → "10:05:48" (hours may exceed 24). */
    public static String hms(Long seconds) {
        if (seconds == null) return MISSING;
        long s = Math.abs(seconds);
        return (seconds < 0 ? "-" : "") + String.format("%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
    }

    public String date(LocalDate d) {
        if (d == null) return MISSING;
        return d.format(DateTimeFormatter.ofPattern(vi ? "dd/MM/yyyy" : "yyyy-MM-dd"));
    }

    public String dateTime(java.time.ZonedDateTime t) {
        return t.format(DateTimeFormatter.ofPattern(vi ? "dd/MM/yyyy HH:mm:ss" : "yyyy-MM-dd HH:mm:ss"));
    }
}
