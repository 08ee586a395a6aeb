package vn.customs.cw.generator;

import vn.customs.cw.config.CwConfig;
import vn.customs.cw.contracts.Milestone;
import vn.customs.cw.contracts.Source;
import vn.customs.cw.generator.Reference.Office;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The demo-data generator behind {@code ./cw generate}: writes every {@link Source} landing file for
 * a range of days, deterministically for a seed.
 *
 * <p>A record lands on the day it was produced or updated (its {@code updated_at}/{@code recorded_at}
 * in +07:00). Declarations are simulated per (seed, department, registration day) stream; each one
 * yields a header version at registration, another at clearance or cancellation, and one event per
 * milestone on the day it happened. To make a day's file the same whatever the range, declarations
 * registered up to {@link #MAX_LAG_DAYS} days before {@code from} (and 2 days after {@code to}, for
 * arrivals) are simulated too, and only what lands inside the range is written.
 */
public final class DemoDataGenerator {

    /** Latest a record of a declaration lands after its registration (long tail, late clearance, rating). */
    static final int MAX_LAG_DAYS = 50;
    /** Earliest: goods arrive up to 36 h before the declaration is registered. */
    static final int ARRIVAL_LEAD_DAYS = 2;
    /** Departments per number block (the department digit of a declaration number: 0-4, 5-9). */
    static final int NUMBER_BLOCK_SIZE = 5;
    private static final long H = 3600, M = 60, D = 86400;

    /**
     * @param numberBlock 0 or 1: the declaration numbers' department digit is the department's index,
     *                    plus 5 in block 1. Two runs over the same days in different blocks never share a
     *                    number: the bench loads national-scale days on top of a year generated at its own
     *                    scale, and a shared number would mix two declarations' headers and step events.
     */
    public record Params(LocalDate from, LocalDate to, double scale, long seed, double badShare, Path out,
                         List<String> departments, int numberBlock) {
        public Params(LocalDate from, LocalDate to, double scale, long seed, double badShare, Path out, List<String> departments) {
            this(from, to, scale, seed, badShare, out, departments, 0);
        }

        public Params {
            if (to.isBefore(from)) throw new IllegalArgumentException("--to " + to + " is before --from " + from);
            if (numberBlock != 0 && numberBlock != 1) throw new IllegalArgumentException("--number-block must be 0 or 1, got " + numberBlock);
            if (!(scale > 0) || scale > 1000) throw new IllegalArgumentException("--scale must be in (0, 1000], got " + scale);
            if (badShare < 0 || badShare > 0.5) throw new IllegalArgumentException("--bad-share must be in [0, 0.5], got " + badShare);
            departments = departments.stream().distinct().sorted().toList();
        }
    }

    public record Summary(Map<Source, Long> rows, Map<BadKind, Long> badRecords, double seconds) {
        public long totalRows() {
            return rows.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final CwConfig cfg;
    private final Params p;
    private final Reference ref;
    private final Quota quota;
    private final int offset;
    private final List<String> allDepartments;
    private final Map<String, Enterprise[]> enterprises = new LinkedHashMap<>();

    record Enterprise(String taxCode, String name) {}

    public DemoDataGenerator(CwConfig cfg, Params params) {
        this.cfg = cfg;
        this.p = params;
        this.ref = Reference.load(cfg.paths().reference());
        this.quota = new Quota(params.seed());
        this.offset = cfg.zone().getRules().getOffset(LocalDateTime.of(2020, 1, 1, 0, 0)).getTotalSeconds();
        // Sorted: the config map has no stable order, and the index is a digit of every declaration number.
        this.allDepartments = allDepartments(cfg);
        // The department's index is one digit of a declaration number; block 1 adds 5 to it.
        int digits = params.numberBlock() == 0 ? 2 * NUMBER_BLOCK_SIZE : NUMBER_BLOCK_SIZE;
        if (allDepartments.size() > digits) {
            throw new IllegalArgumentException("cw.generator.declarations-per-year has " + allDepartments.size()
                    + " departments; a declaration number's department digit holds " + digits
                    + (params.numberBlock() == 0 ? "" : " in --number-block " + params.numberBlock()));
        }
        for (String d : params.departments()) {
            if (!allDepartments.contains(d)) {
                throw new IllegalArgumentException("unknown department '" + d + "': cw.generator.declarations-per-year has "
                        + allDepartments);
            }
            if (!ref.officesByDepartment().containsKey(d)) {
                throw new IllegalArgumentException("department " + d + " has no office in conf/reference/offices.csv");
            }
            for (Office o : ref.officesByDepartment().get(d)) {
                if (!cfg.generator().officeWeights().containsKey(o.code())) {
                    throw new IllegalArgumentException("cw.generator.office-weights has no weight for office " + o.code());
                }
            }
        }
    }

    /** Every department of cw.generator.declarations-per-year, sorted by code. */
    public static List<String> allDepartments(CwConfig cfg) {
        return cfg.generator().declarationsPerYear().keySet().stream().sorted().toList();
    }

    public Summary run() {
        long t0 = System.nanoTime();
        if (p.out().toString().contains("://")) {
            throw new IllegalArgumentException("--out must be a local folder, got " + p.out());
        }
        for (String d : p.departments()) enterprises.put(d, enterprisePool(d));
        TreeMap<LocalDate, List<Pending>> planned = plannedRecords();
        try (LandingSink sink = new LandingSink(p.out(), p.from(), p.to(), p.seed(), p.badShare(), offset)) {
            LocalDate start = p.from().minusDays(MAX_LAG_DAYS), end = p.to().plusDays(ARRIVAL_LEAD_DAYS);
            for (LocalDate r = start; !r.isAfter(end); r = r.plusDays(1)) {
                sink.closeBefore(r.minusDays(ARRIVAL_LEAD_DAYS));
                for (Pending x : planned.getOrDefault(r, List.of())) sink.emit(x.source(), x.at(), x.fields());
                for (String dept : p.departments()) {
                    declarations(sink, dept, r);
                    // Admin dossiers land up to 3 days after receipt: start early enough that the first day is complete.
                    if (!r.isBefore(p.from().minusDays(4)) && !r.isAfter(p.to())) dailyStreams(sink, dept, r);
                }
            }
            sink.touchAllDays();
            sink.close();
            Summary s = new Summary(new EnumMap<>(sink.rows()), new EnumMap<>(sink.badCounts()),
                    (System.nanoTime() - t0) / 1e9);
            writeGenerationJson(s);
            return s;
        }
    }

    // ---------------------------------------------------------------- declarations and their events

    private record SiDecl(String declarationNo, String office, long submittedAt, long resultAt) {}

    /** Release-time model, in seconds at factor 1 (Quảng Ninh 2020); see the calibration test. */
    private static final class Model {
        static final double IMPORT_GREEN = 0.1221, IMPORT_RED = 0.022, EXPORT_GREEN = 0.736, EXPORT_RED = 0.024;
        static final double SWITCH_YELLOW_TO_RED = 0.03;
    }

    private void declarations(LandingSink sink, String dept, LocalDate r) {
        SplittableRandom rng = Rng.stream(p.seed(), "declarations", dept, r.toEpochDay());
        int deptIndex = allDepartments.indexOf(dept) + NUMBER_BLOCK_SIZE * p.numberBlock();
        double perYear = cfg.generator().declarationsPerYear().get(dept) * p.scale();
        int[] seq = new int[2];
        List<SiDecl> siToday = new ArrayList<>();
        List<String> importsToday = new ArrayList<>();
        for (Office o : ref.officesByDepartment().get(dept)) {
            double w = cfg.generator().officeWeights().get(o.code());
            long n = quota.count("decl:" + o.code(), r, perYear * w, d -> ref.dayFactor(o, d), 0.15);
            for (long i = 0; i < n; i++) {
                boolean imp = rng.nextDouble() < importShare(dept);
                int s = ++seq[imp ? 0 : 1];
                if (s > 99_999) {
                    throw new IllegalArgumentException("more than 99,999 " + (imp ? "import" : "export")
                            + " declarations on " + r + " in department " + dept + ": --scale " + p.scale() + " is too large");
                }
                String no = (imp ? "1" : "3") + pad(r.toEpochDay() - EPOCH_2000, 5) + deptIndex + pad(s, 5);
                declaration(sink, rng, dept, o, r, no, imp, siToday, importsToday);
            }
        }
        nsw(sink, dept, r, siToday);
        certificatesOfOrigin(sink, dept, r, importsToday);
    }

    private static double importShare(String dept) {
        return switch (dept) {
            case "20" -> 0.613; // 778 of 1,269 in the May 2020 week
            case "03" -> 0.52;
            default -> 0.55;
        };
    }

    /** Office and year factors on the release-time model: Hòn Gai is fast; 2019 was slower. */
    private static double factor(String office, int year, boolean imp) {
        double of = switch (office) {
            case "20BB" -> imp ? 1.15 : 1.05;
            case "20BC" -> imp ? 1.05 : 1.05;
            case "20CF" -> imp ? 0.40 : 0.80;
            case "20CG" -> imp ? 1.15 : 1.08;
            default -> imp ? 0.96 : 0.99;
        };
        double yf;
        if (year <= 2018) yf = imp ? 1.10 : 1.18;
        else if (year == 2019) yf = imp ? 1.0513 : 1.1214; // 10 h 37 min and 2 h 47 min in May 2019
        else if (year == 2020) yf = 1.0;
        else if (year == 2021) yf = imp ? 0.95 : 0.95;
        else yf = imp ? 0.92 : 0.93;
        return of * yf;
    }

    private long registrationTime(SplittableRandom rng, LocalDate r) {
        double u = rng.nextDouble();
        double sod;
        if (u < 0.85) sod = 7 * H + rng.nextDouble() * 10.5 * H;
        else if (u < 0.95) sod = 17.5 * H + rng.nextDouble() * 4.5 * H;
        else sod = 5.5 * H + rng.nextDouble() * 1.5 * H;
        return r.toEpochDay() * D - offset + (long) sod;
    }

    private int transportMode(SplittableRandom rng, Office o) {
        boolean port = o.code().startsWith("03") && !o.code().equals("03NK")
                || Set.of("20CE", "20CF", "20CG").contains(o.code());
        double u = rng.nextDouble();
        if (port) return u < 0.55 ? 2 : u < 0.93 ? 3 : u < 0.96 ? 4 : 6;
        if (o.code().equals("03NK")) return u < 0.7 ? 2 : u < 0.95 ? 4 : 1;
        return u < 0.9 ? 4 : u < 0.95 ? 9 : u < 0.98 ? 6 : 1;
    }

    private static final String[] HS_IMPORT = {"84713020", "85176249", "39011099", "72085100", "08051020", "03061719",
            "87032363", "52051200", "10059090", "23040090", "44071100", "27011290"};
    private static final String[] HS_EXPORT = {"27011210", "08109010", "08045030", "03028990", "44123300", "25232990",
            "72142031", "61091010", "85423900", "40012210"};

    private void declaration(LandingSink sink, SplittableRandom rng, String dept, Office o, LocalDate r, String no,
                             boolean imp, List<SiDecl> siToday, List<String> importsToday) {
        long reg = registrationTime(rng, r);
        double f = factor(o.code(), r.getYear(), imp);
        List<String> types = imp ? ref.importTypeCodes() : ref.exportTypeCodes();
        // A11/B11 (business import/export) dominate, as in the published extracts.
        String type = rng.nextDouble() < 0.45 ? types.get(0) : Rng.pick(rng, types);
        List<String> teams = ref.teamsByOffice().get(o.code());
        String team = rng.nextDouble() < 0.85 ? teams.get(0) : Rng.pick(rng, teams);
        Enterprise[] pool = enterprises.get(dept);
        Enterprise ent = pool[(int) (pool.length * Math.pow(rng.nextDouble(), 2.2))];
        int mode = transportMode(rng, o);
        String officer = "CB" + o.code() + pad(1 + rng.nextInt(12 + (int) (60 * cfg.generator().officeWeights().get(o.code()))), 3);

        double u = rng.nextDouble();
        int initial = imp ? (u < Model.IMPORT_GREEN ? 1 : u < Model.IMPORT_GREEN + Model.IMPORT_RED ? 3 : 2)
                : (u < Model.EXPORT_GREEN ? 1 : u < Model.EXPORT_GREEN + Model.EXPORT_RED ? 3 : 2);
        boolean switched = initial == 2 && Rng.chance(rng, Model.SWITCH_YELLOW_TO_RED);
        int fin = switched ? 3 : initial;
        boolean taxed = imp ? Rng.chance(rng, type.startsWith("A") ? 0.95 : 0.35) : Rng.chance(rng, 0.60);
        // Specialised inspection is most of the import time; common and short for exports (fruit, seafood to China).
        boolean si = Rng.chance(rng, imp ? 0.80 : 0.50);
        // Long tails come from agricultural goods held at land gates; Hòn Gai (bulk coal port) has none.
        boolean longTail = imp && !o.code().equals("20CF") && Rng.chance(rng, 0.003);
        if (longTail) si = true;
        boolean supplement = fin >= 2 && Rng.chance(rng, imp ? 0.12 : 0.08);
        boolean releasedNotCleared = Rng.chance(rng, 0.03);
        double cu = rng.nextDouble();
        int status = cu < 0.008 ? 1 : cu < 0.011 ? 2 : 0;

        long[] at = new long[Milestone.values().length];
        Arrays.fill(at, -1);
        if ((imp && mode >= 2 && mode <= 4 && Rng.chance(rng, 0.75)) || (!imp && Rng.chance(rng, 0.3))) {
            at[Milestone.ARRIVAL.ordinal()] = reg - Math.min(36 * H, 1800 + Rng.logn(rng, 8 * H, 0.9));
        }
        long t = reg;
        at[Milestone.REGISTRATION.ordinal()] = t;
        t += Math.max(5, Rng.logn(rng, 60, 0.5));
        at[Milestone.CHANNEL_ASSIGNED.ordinal()] = t;
        if (switched) at[Milestone.CHANNEL_CHANGED.ordinal()] = t += Rng.logn(rng, 20 * M * f, 0.6);
        if (fin >= 2) {
            at[Milestone.DOC_CHECK_START.ordinal()] = t += Rng.logn(rng, 15 * M * f, 0.7);
            at[Milestone.DOC_CHECK_END.ordinal()] = t += Rng.logn(rng, (imp ? 25 : 30) * M * f, 0.6);
        }
        if (supplement) {
            at[Milestone.SUPPLEMENT_REQUESTED.ordinal()] = t += Rng.logn(rng, 5 * M, 0.5);
            at[Milestone.SUPPLEMENT_SUBMITTED.ordinal()] = t += Rng.logn(rng, (imp ? 2.5 : 1.5) * H * f, 0.6);
        }
        if (si) {
            at[Milestone.SI_SUBMITTED.ordinal()] = t += Rng.logn(rng, (imp ? 40 : 30) * M * f, 0.6);
            t += Rng.logn(rng, (imp ? 9.9 : 2.3) * H * f, 0.45);
            // The long tail: an agency holding the goods for days; one in twenty of those for weeks (up to
            // 4 weeks after registration), like the 1,400 h single imports of the 2013 study.
            if (longTail) {
                long extra = Rng.chance(rng, 0.05) ? 10 * D + (long) (rng.nextDouble() * 18 * D) : D + (long) (rng.nextDouble() * 4 * D);
                t += Math.min(Math.max(0, reg + 28 * D - t), extra);
            }
            at[Milestone.SI_RESULT.ordinal()] = t;
        }
        if (fin == 3) {
            at[Milestone.PHYSICAL_INSPECTION_START.ordinal()] = t += Rng.logn(rng, (imp ? 1.5 : 1.0) * H * f, 0.6);
            at[Milestone.PHYSICAL_INSPECTION_END.ordinal()] = t += Rng.logn(rng, (imp ? 60 : 45) * M * f, 0.5);
        }
        if (taxed) at[Milestone.TAX_PAID.ordinal()] = t += Rng.logn(rng, (imp ? 1.2 : 1.0) * H * f, 0.5);
        at[Milestone.RELEASE.ordinal()] = t += Rng.logn(rng, (imp ? 8 : 12) * M * f, 0.5);
        // Released but not yet cleared (Customs Law art. 36): clearance follows days later.
        at[Milestone.CLEARANCE.ordinal()] = t += releasedNotCleared ? D + (long) (rng.nextDouble() * 9 * D)
                : Rng.logn(rng, 3 * M, 0.5);
        at[Milestone.GATE_OUT.ordinal()] = t += Rng.logn(rng, (imp ? 3 : 1.5) * H, 0.8);
        long cancelledAt = -1;
        int channelAtEnd = fin;
        if (status == 1) {
            // Cancelled during clearance: the steps stop somewhere before release.
            int cut = Milestone.CHANNEL_ASSIGNED.ordinal() + rng.nextInt(Milestone.RELEASE.ordinal() - Milestone.CHANNEL_ASSIGNED.ordinal());
            long last = reg;
            for (int k = 0; k < at.length; k++) {
                if (k > cut && at[k] >= 0) at[k] = -1;
                else if (at[k] > last) last = at[k];
            }
            if (at[Milestone.CHANNEL_CHANGED.ordinal()] < 0) channelAtEnd = initial;
            cancelledAt = last + Rng.logn(rng, 6 * H, 0.8);
        } else if (status == 2) {
            cancelledAt = at[Milestone.GATE_OUT.ordinal()] + Rng.logn(rng, D, 0.6);
        }
        if (cancelledAt >= 0) at[Milestone.CANCELLATION.ordinal()] = cancelledAt;

        String hs = Rng.pick(rng, imp ? HS_IMPORT : HS_EXPORT);
        double value = Math.round(Rng.logn(rng, 35_000_00, 1.2)) / 100.0;
        long tax = taxed ? Math.round(value * (0.03 + rng.nextDouble() * 0.15) * 23_200 / 1000.0) * 1000 : 0;
        int items = 1 + (int) (-Math.log(1 - rng.nextDouble()) * 2.5);
        String finalChannel = channelAtEnd == 3 && Rng.chance(rng, 0.2) ? "3D" : String.valueOf(channelAtEnd);

        // Header versions: at channel assignment, then at clearance or cancellation.
        long v1 = at[Milestone.CHANNEL_ASSIGNED.ordinal()] + 2;
        String[] h = {no, type, o.code(), team, ent.taxCode(), ent.name(), String.valueOf(mode), String.valueOf(initial),
                "0", ts(reg), hs, BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).toPlainString(), String.valueOf(tax), String.valueOf(items), ts(v1)};
        sink.emit(Source.DECLARATIONS, v1, h);
        if (status == 1) {
            emitHeader(sink, h, finalChannel, 1, cancelledAt + 5);
        } else {
            emitHeader(sink, h, finalChannel, 0, at[Milestone.CLEARANCE.ordinal()] + 5);
            if (status == 2) emitHeader(sink, h, finalChannel, 2, cancelledAt + 5);
        }

        boolean regInRange = !sink.day(reg).isBefore(p.from());
        for (Milestone m : Milestone.values()) {
            long e = at[m.ordinal()];
            if (e < 0) continue;
            long rec = e + 1 + rng.nextInt(30);
            if (!sink.accepts(sink.day(rec))) continue; // warm-up or future: skip the formatting
            String ch = m == Milestone.CHANNEL_ASSIGNED ? String.valueOf(initial) : m == Milestone.CHANNEL_CHANGED ? "3" : null;
            String off = m.usualActor() == vn.customs.cw.contracts.Actor.CUSTOMS ? officer : null;
            sink.emit(Source.DECLARATION_EVENTS, rec, new String[]{no + "-" + pad(m.ordinal() + 1, 2),
                    no, m.name(), ts(e), m.usualActor().name(), o.code(), off, ch, ts(rec)}, regInRange ? reg : -1);
        }

        if (imp) importsToday.add(no + "|" + o.code());
        if (si && at[Milestone.SI_SUBMITTED.ordinal()] >= 0) {
            siToday.add(new SiDecl(no, o.code(), at[Milestone.SI_SUBMITTED.ordinal()], at[Milestone.SI_RESULT.ordinal()]));
        }
        long released = at[Milestone.RELEASE.ordinal()];
        if (released >= 0 && !r.isBefore(RATINGS_PILOT)) rating(sink, rng, o, team, officer, no, r, released);
    }

    private void emitHeader(LandingSink sink, String[] h, String channel, int status, long updated) {
        String[] v = h.clone();
        v[7] = channel;
        v[8] = String.valueOf(status);
        v[14] = ts(updated);
        sink.emit(Source.DECLARATIONS, updated, v);
    }

    // ---------------------------------------------------------------- satisfaction ratings

    static final LocalDate RATINGS_PILOT = LocalDate.of(2020, 3, 25);
    static final LocalDate RATINGS_START = LocalDate.of(2020, 4, 1);

    private void rating(LandingSink sink, SplittableRandom rng, Office o, String team, String officer, String no,
                        LocalDate r, long released) {
        if (!Rng.chance(rng, r.isBefore(RATINGS_START) ? 0.03 : 0.097)) return;
        long at = released + Math.min(2 * D, Rng.logn(rng, 5 * H, 1.0));
        int[] lv = new int[3];
        String comment = null;
        if (Rng.chance(rng, 0.955)) {
            for (int i = 0; i < 3; i++) lv[i] = Rng.chance(rng, 0.6) ? 5 : 4;
            if (Rng.chance(rng, 0.15)) comment = Rng.pick(rng, VnText.POSITIVE);
        } else {
            double u = rng.nextDouble();
            int worst = u < 0.72 ? 3 : u < 0.92 ? 2 : 1;
            for (int i = 0; i < 3; i++) lv[i] = worst + rng.nextInt(6 - worst);
            lv[rng.nextInt(3)] = worst;
            comment = Rng.pick(rng, worst == 3 ? VnText.NEUTRAL : VnText.NEGATIVE);
        }
        sink.emit(Source.SATISFACTION_RATINGS, at, new String[]{"DG-" + o.code() + "-" + no, no, o.code(), team,
                Rng.chance(rng, 0.9) ? officer : null, String.valueOf(lv[0]), String.valueOf(lv[1]), String.valueOf(lv[2]),
                comment, ts(at), ts(at)});
    }

    // ---------------------------------------------------------------- NSW and C/O (tied to the day's declarations)

    /** Quảng Ninh's published Jan–Sep counts (seed 001); other departments in proportion to volume. */
    private double janSepTarget(String what, String dept, int year) {
        double qn = switch (what) {
            case "nsw" -> year <= 2019 ? 1540 : year == 2020 ? 1425 : 1480;
            case "emanifest" -> year <= 2019 ? 3001 : year == 2020 ? 3661 : 4100;
            case "co-d-electronic" -> year <= 2019 ? 154 : year == 2020 ? 130 : 150;
            case "co-d-paper" -> 45;
            case "co-e" -> 700;
            case "co-other" -> 60;
            case "admin-online" -> year <= 2019 ? 104_000 : year == 2020 ? 119_910 : 131_000;
            case "admin-in-person" -> year <= 2019 ? 10_300 : year == 2020 ? 6_050 : 4_200;
            case "admin-post" -> year <= 2019 ? 2_100 : year == 2020 ? 1_279 : 900;
            default -> throw new IllegalStateException(what);
        };
        return qn * volumeRatio(dept) * p.scale();
    }

    private double volumeRatio(String dept) {
        return cfg.generator().declarationsPerYear().get(dept) / 60_000.0;
    }

    /** Dept-level working calendar for streams not tied to one office: border gates work Saturdays. */
    private double deptDay(LocalDate d) {
        if (ref.holidays().contains(d)) return 0.03;
        return switch (d.getDayOfWeek()) {
            case SUNDAY -> 0.05;
            case SATURDAY -> 0.6;
            default -> 1.0;
        };
    }

    /** Day count of a stream whose Jan–Sep total is the target. */
    private long streamCount(String what, String dept, LocalDate d) {
        String stream = what + ":" + dept;
        double share = quota.shareTo(stream, LocalDate.of(d.getYear(), 9, 30), this::deptDay, 0.2);
        return quota.count(stream, d, janSepTarget(what, dept, d.getYear()) / share, this::deptDay, 0.2);
    }

    private static final String[][] NSW_AGENCIES = {{"BNNPTNT-BVTV", "BNN-09"}, {"BNNPTNT-TY", "BNN-11"},
            {"BYT-ATTP", "BYT-03"}, {"BCT-HC", "BCT-05"}, {"BKHCN-TDC", "BKHCN-02"}, {"BTNMT-MT", "BTNMT-01"}};

    private void nsw(LandingSink sink, String dept, LocalDate r, List<SiDecl> siToday) {
        SplittableRandom rng = Rng.stream(p.seed(), "nsw", dept, r.toEpochDay());
        long n = streamCount("nsw", dept, r);
        List<SiDecl> pool = new ArrayList<>(siToday);
        List<Office> offices = ref.officesByDepartment().get(dept);
        for (int i = 0; i < n; i++) {
            SiDecl x;
            if (!pool.isEmpty()) {
                x = pool.remove(rng.nextInt(pool.size()));
            } else {
                long sub = r.toEpochDay() * D - offset + 8 * H + rng.nextInt((int) (9 * H));
                x = new SiDecl(null, Rng.pick(rng, offices).code(), sub, sub + Rng.logn(rng, 20 * H, 0.8));
            }
            String[] a = NSW_AGENCIES[rng.nextInt(NSW_AGENCIES.length)];
            String no = "NSW" + r.toString().replace("-", "") + dept + pad(i + 1, 5);
            String[] v = {no, x.declarationNo(), x.office(), a[0], a[1], ts(x.submittedAt()), null, null, ts(x.submittedAt() + 3)};
            sink.emit(Source.NSW_DOSSIERS, x.submittedAt() + 3, v);
            if (x.resultAt() > 0) {
                String[] w = v.clone();
                w[6] = ts(x.resultAt());
                w[7] = Rng.chance(rng, 0.97) ? "PASS" : "FAIL";
                w[8] = ts(x.resultAt() + 5);
                sink.emit(Source.NSW_DOSSIERS, x.resultAt() + 5, w);
            }
        }
    }

    private static final String[] ASEAN = {"TH", "MY", "ID", "SG", "PH", "LA", "KH", "MM", "BN"};

    private void certificatesOfOrigin(LandingSink sink, String dept, LocalDate r, List<String> importsToday) {
        if (r.isBefore(p.from()) || r.isAfter(p.to())) return;
        SplittableRandom rng = Rng.stream(p.seed(), "co", dept, r.toEpochDay());
        int seq = 0;
        for (String what : List.of("co-d-electronic", "co-d-paper", "co-e", "co-other")) {
            long n = streamCount(what, dept, r);
            for (int i = 0; i < n; i++) {
                String form, country;
                switch (what) {
                    case "co-d-electronic", "co-d-paper" -> { form = "D"; country = Rng.pick(rng, ASEAN); }
                    case "co-e" -> { form = "E"; country = "CN"; }
                    default -> {
                        String[][] o = {{"AK", "KR"}, {"AJ", "JP"}, {"VJ", "JP"}, {"AI", "IN"}, {"AANZ", "AU"}};
                        String[] x = o[rng.nextInt(o.length)];
                        form = x[0];
                        country = x[1];
                    }
                }
                String decl = importsToday.isEmpty() ? null : Rng.pick(rng, importsToday);
                String office = decl != null ? decl.substring(13) : Rng.pick(rng, ref.officesByDepartment().get(dept)).code();
                long at = r.toEpochDay() * D - offset + 7 * H + rng.nextInt((int) (11 * H));
                String no = "CO-" + country + "-" + r.toString().replace("-", "") + "-" + dept + pad(++seq, 4);
                sink.emit(Source.CERTIFICATES_OF_ORIGIN, at, new String[]{no, form,
                        String.valueOf(what.equals("co-d-electronic")), country, decl == null ? null : decl.substring(0, 12),
                        office, ts(at), ts(at)});
            }
        }
    }

    // ---------------------------------------------------------------- streams of the day

    private void dailyStreams(LandingSink sink, String dept, LocalDate r) {
        SplittableRandom rng = Rng.stream(p.seed(), "daily", dept, r.toEpochDay());
        List<Office> offices = ref.officesByDepartment().get(dept);
        long base = r.toEpochDay() * D - offset;

        // E-Manifest: ships at sea ports, trucks at road gates.
        long n = streamCount("emanifest", dept, r);
        for (int i = 0; i < n; i++) {
            Office o = weightedOffice(rng, offices);
            boolean port = o.code().startsWith("03") || Set.of("20CE", "20CF", "20CG").contains(o.code());
            long at = base + rng.nextInt((int) D);
            String vehicle = port ? "IMO9" + pad(rng.nextInt(1_000_000), 6)
                    : (dept.equals("11") ? "11C-" : dept.equals("03") ? "15C-" : "14C-") + pad(rng.nextInt(100_000), 5);
            sink.emit(Source.EMANIFEST, at, new String[]{"EM" + o.code() + r.toString().replace("-", "") + pad(i + 1, 5),
                    o.code(), port ? "SHIP" : "TRUCK", rng.nextBoolean() ? "ENTRY" : "EXIT", vehicle, ts(at), ts(at)});
        }

        // Administrative-procedure dossiers, one row each at its latest state.
        String[] procedures = {"1.001234", "1.002109", "1.003021", "1.004538", "2.000781", "2.001463", "1.005112"};
        int seq = 0;
        for (String[] ch : new String[][]{{"admin-online", "ONLINE"}, {"admin-in-person", "IN_PERSON"}, {"admin-post", "POST"}}) {
            long k = streamCount(ch[0], dept, r);
            for (int i = 0; i < k; i++) {
                Office o = weightedOffice(rng, offices);
                long recv = base + 7 * H + rng.nextInt((int) (10 * H));
                double u = rng.nextDouble();
                String status = u < 0.96 ? "RESOLVED" : u < 0.98 ? "REJECTED" : "RECEIVED";
                long resolved = status.equals("RECEIVED") ? -1 : recv + Math.min(3 * D, Rng.logn(rng, 8 * H, 0.9));
                long upd = resolved > 0 ? resolved : recv;
                sink.emit(Source.ADMIN_DOSSIERS, upd, new String[]{"TTHC-" + dept + "-" + r.toString().replace("-", "")
                        + "-" + pad(++seq, 6), o.code(), Rng.pick(rng, procedures), ch[1],
                        ts(recv), resolved > 0 ? ts(resolved) : null, status, ts(upd)});
            }
        }

        // Revenue per office and day; the department total follows its yearly figure.
        double yearRevenue = revenuePerYear(dept, r.getYear());
        double total = quota.amount("revenue:" + dept, r, yearRevenue, this::deptDay, 0.25);
        double[] w = new double[offices.size()];
        double sw = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] = cfg.generator().officeWeights().get(offices.get(i).code()) * (0.7 + 0.6 * rng.nextDouble());
            sw += w[i];
        }
        for (int i = 0; i < w.length; i++) {
            long at = base + 20 * H + i * 60L;
            sink.emit(Source.REVENUE, at, new String[]{offices.get(i).code(), r.toString(),
                    String.valueOf(Math.round(total * w[i] / sw)), ts(at)});
        }

        if (r.getDayOfMonth() == 5) dossierReport(sink, rng, dept, r.minusMonths(1).withDayOfMonth(1), base);
    }

    /** Revenue of a year at --scale; Quảng Ninh 2020 reaches VND 9,259 bn by 13 Sept (seed 003). */
    private double revenuePerYear(String dept, int year) {
        double y2020;
        if (dept.equals("20")) {
            y2020 = 9_259e9 / quota.shareTo("revenue:20", LocalDate.of(2020, 9, 13), this::deptDay, 0.25);
        } else {
            y2020 = dept.equals("03") ? 55_000e9 : 850e9;
        }
        return y2020 * Math.pow(1.07, year - 2020) * p.scale();
    }

    private Office weightedOffice(SplittableRandom rng, List<Office> offices) {
        double total = 0;
        for (Office o : offices) total += cfg.generator().officeWeights().get(o.code());
        double u = rng.nextDouble() * total;
        for (Office o : offices) {
            u -= cfg.generator().officeWeights().get(o.code());
            if (u < 0) return o;
        }
        return offices.get(offices.size() - 1);
    }

    /**
     * The department's own monthly count, filed on the 5th. Quảng Ninh's 2020 reports give only the
     * combined in-person-or-post figure and, Jan–Sep, a total 19 above online + in_person_or_post (as the
     * published 127,258 vs 119,910 + 7,329): a warehouse must notice, not hide it.
     */
    private void dossierReport(LandingSink sink, SplittableRandom rng, String dept, LocalDate month, long base) {
        long online = 0, inPerson = 0, post = 0;
        for (LocalDate d = month; d.getMonth() == month.getMonth(); d = d.plusDays(1)) {
            online += streamCount("admin-online", dept, d);
            inPerson += streamCount("admin-in-person", dept, d);
            post += streamCount("admin-post", dept, d);
        }
        long at = base + 9 * H + rng.nextInt((int) (2 * H));
        String ym = month.toString().substring(0, 7);
        String[] v;
        if (dept.equals("20") && month.getYear() == 2020) {
            long gap = switch (month.getMonthValue()) { case 3 -> 4; case 6 -> 7; case 8 -> 8; default -> 0; };
            v = new String[]{dept, ym, String.valueOf(online + inPerson + post + gap), String.valueOf(online), null, null,
                    String.valueOf(inPerson + post), ts(at)};
        } else {
            v = new String[]{dept, ym, String.valueOf(online + inPerson + post), String.valueOf(online),
                    String.valueOf(inPerson), String.valueOf(post), null, ts(at)};
        }
        sink.emit(Source.DOSSIER_REPORTS, at, v);
    }

    // ---------------------------------------------------------------- plans: reform tasks, revenue targets

    private record Pending(Source source, long at, String[] fields) {}

    /** Whole plans generated per (department, year), independent of the range; bucketed by landing day. */
    private TreeMap<LocalDate, List<Pending>> plannedRecords() {
        List<Pending> all = new ArrayList<>();
        for (String dept : p.departments()) {
            for (int y = p.from().getYear() - 1; y <= p.to().getYear(); y++) {
                reformPlan(all, dept, y);
                long at = LocalDate.of(y, 1, 2).toEpochDay() * D - offset + 8 * H + allDepartments.indexOf(dept) * 60L;
                double[] t = targets(dept, y);
                all.add(new Pending(Source.REVENUE_TARGETS, at, new String[]{dept, String.valueOf(y), "MOF",
                        String.valueOf(Math.round(t[0] * p.scale())), ts(at)}));
                all.add(new Pending(Source.REVENUE_TARGETS, at + 30, new String[]{dept, String.valueOf(y), "GDC",
                        String.valueOf(Math.round(t[1] * p.scale())), ts(at + 30)}));
            }
        }
        all.sort((a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at()) : String.join(",", a.fields()).compareTo(String.join(",", b.fields())));
        LandingDays days = new LandingDays(offset);
        TreeMap<LocalDate, List<Pending>> byDay = new TreeMap<>();
        for (Pending x : all) byDay.computeIfAbsent(days.day(x.at()), k -> new ArrayList<>()).add(x);
        return byDay;
    }

    private record LandingDays(int offset) {
        LocalDate day(long s) {
            return LocalDate.ofEpochDay(Math.floorDiv(s + offset, 86400));
        }
    }

    /** MOF and GDC targets (VND at scale 1); Quảng Ninh 2020: 9,500 and 10,500 bn (seed 003). */
    private static double[] targets(String dept, int year) {
        double mof, gdc;
        switch (dept) {
            case "20" -> { mof = 9_500e9; gdc = 10_500e9; }
            case "03" -> { mof = 52_000e9; gdc = 56_000e9; }
            default -> { mof = 800e9; gdc = 900e9; }
        }
        double g = Math.pow(1.06, year - 2020);
        return new double[]{mof * g, gdc * g};
    }

    private void reformPlan(List<Pending> out, String dept, int year) {
        SplittableRandom rng = Rng.stream(p.seed(), "reform", dept, year);
        // Quảng Ninh 2020 (seed 001): 52 tasks, 48 done by 30 Sept, 3 procedure reviews and 8 publications all done.
        int[] perGroup = dept.equals("20") && year == 2020 ? new int[]{4, 3, 8, 15, 8, 14}
                : new int[]{3 + rng.nextInt(3), 2 + rng.nextInt(3), 4 + rng.nextInt(6), 10 + rng.nextInt(8), 6 + rng.nextInt(4), 10 + rng.nextInt(6)};
        int late = dept.equals("20") && year == 2020 ? 4 : 2 + rng.nextInt(5);
        LocalDate issued = LocalDate.of(year, 1, 8 + rng.nextInt(7));
        LocalDate sep30 = LocalDate.of(year, 9, 30);
        List<String[]> tasks = new ArrayList<>();
        for (int g = 0; g < perGroup.length; g++) {
            String[] names = VnText.TASK_GROUPS.get(g);
            for (int i = 0; i < perGroup[g]; i++) tasks.add(new String[]{names[0], names[1 + i % (names.length - 1)]});
        }
        // The late tasks are taken from the groups other than procedure review/publication.
        List<Integer> lateIdx = new ArrayList<>();
        for (int i = tasks.size() - 1; i >= 0 && lateIdx.size() < late; i -= 3) {
            if (!tasks.get(i)[0].startsWith("PROCEDURE")) lateIdx.add(i);
        }
        int seq = 0;
        for (int i = 0; i < tasks.size(); i++) {
            String id = dept + "-" + year + "-" + pad(++seq, 3);
            boolean isLate = lateIdx.contains(i);
            LocalDate due = isLate ? LocalDate.of(year, 12, 15) : issued.plusDays(40 + rng.nextInt(220));
            if (due.isAfter(sep30) && !isLate) due = sep30;
            LocalDate done;
            if (isLate) {
                done = lateIdx.indexOf(i) == 0 ? null : LocalDate.of(year, 10, 1).plusDays(rng.nextInt(80));
            } else {
                done = due.minusDays(rng.nextInt(25));
                if (!done.isAfter(issued)) done = issued.plusDays(1);
            }
            String owner = Rng.pick(rng, VnText.OWNER_UNITS);
            String name = tasks.get(i)[1] + (tasks.get(i)[1].endsWith("năm") ? " " + year : "");
            long t1 = issued.toEpochDay() * D - offset + 8 * H + 30 * M + i * 10L;
            String[] v = {id, dept, String.valueOf(year), tasks.get(i)[0], name, owner, due.toString(), "NOT_STARTED", null, ts(t1)};
            out.add(new Pending(Source.REFORM_TASKS, t1, v));
            LocalDate startDay = issued.plusDays(1 + rng.nextInt(20));
            long t2 = startDay.toEpochDay() * D - offset + 9 * H + i * 10L;
            String[] v2 = v.clone();
            v2[7] = "IN_PROGRESS";
            v2[9] = ts(t2);
            out.add(new Pending(Source.REFORM_TASKS, t2, v2));
            if (done != null) {
                if (!done.isAfter(startDay)) done = startDay.plusDays(1);
                if (!isLate && done.isAfter(sep30)) done = sep30;
                long t3 = done.toEpochDay() * D - offset + 17 * H + i * 10L;
                String[] v3 = v.clone();
                v3[7] = "COMPLETED";
                v3[8] = done.toString();
                v3[9] = ts(t3);
                out.add(new Pending(Source.REFORM_TASKS, t3, v3));
            }
        }
    }

    // ---------------------------------------------------------------- helpers and output

    private Enterprise[] enterprisePool(String dept) {
        SplittableRandom rng = Rng.stream(p.seed(), "enterprises", dept);
        int n = (int) Math.max(50, Math.min(200_000, 1026 * volumeRatio(dept) * Math.sqrt(p.scale())));
        String prefix = switch (dept) { case "20" -> "57"; case "03" -> "02"; case "11" -> "48"; default -> "01"; };
        String province = switch (dept) { case "20" -> "Quảng Ninh"; case "03" -> "Hải Phòng"; case "11" -> "Cao Bằng"; default -> "Việt Nam"; };
        Set<String> codes = new HashSet<>();
        Enterprise[] pool = new Enterprise[n];
        for (int i = 0; i < n; i++) {
            String code;
            do {
                code = prefix + pad(rng.nextInt(100_000_000), 8);
            } while (!codes.add(code));
            String name = Rng.pick(rng, VnText.COMPANY_FORMS) + " " + Rng.pick(rng, VnText.TRADES) + " "
                    + Rng.pick(rng, VnText.BRANDS) + (rng.nextDouble() < 0.3 ? " " + province : "");
            pool[i] = new Enterprise(code, name);
        }
        return pool;
    }

    private static final long EPOCH_2000 = LocalDate.of(2000, 1, 1).toEpochDay();

    /** Zero-padded decimal; String.format is too slow for the hot path at national volume. */
    static String pad(long v, int width) {
        String s = Long.toString(v);
        return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }

    private String ts(long epochSecond) {
        return Ts.format(epochSecond, offset);
    }

    private void writeGenerationJson(Summary s) {
        StringBuilder b = new StringBuilder("{\n");
        b.append("  \"from\": \"").append(p.from()).append("\",\n");
        b.append("  \"to\": \"").append(p.to()).append("\",\n");
        b.append("  \"scale\": ").append(p.scale()).append(",\n");
        b.append("  \"seed\": ").append(p.seed()).append(",\n");
        b.append("  \"bad_share\": ").append(p.badShare()).append(",\n");
        b.append("  \"departments\": [").append(String.join(", ", p.departments().stream().map(d -> "\"" + d + "\"").toList())).append("],\n");
        b.append("  \"number_block\": ").append(p.numberBlock()).append(",\n");
        b.append("  \"generator_version\": 1,\n");
        b.append("  \"generated_at\": \"").append(LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)).append("Z\",\n");
        b.append("  \"seconds\": ").append(String.format(Locale.ROOT, "%.1f", s.seconds())).append(",\n");
        b.append("  \"rows\": {");
        List<String> r = new ArrayList<>();
        s.rows().forEach((k, v) -> r.add("\"" + k.folder() + "\": " + v));
        b.append(String.join(", ", r)).append("},\n");
        b.append("  \"bad_records\": {");
        List<String> bad = new ArrayList<>();
        s.badRecords().forEach((k, v) -> bad.add("\"" + k.name() + "\": " + v));
        b.append(String.join(", ", bad)).append("}\n}\n");
        try {
            Files.writeString(p.out().resolve("_manifest/generation.json"), b.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write generation.json", e);
        }
    }
}
