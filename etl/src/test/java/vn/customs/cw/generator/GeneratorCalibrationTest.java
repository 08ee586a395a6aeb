package vn.customs.cw.generator;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.contracts.Actor;
import vn.customs.cw.contracts.Milestone;
import vn.customs.cw.contracts.Source;
import vn.customs.cw.testing.SparkTestBase;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calibration of the generated world against the published figures (DOMAIN.md), measured from the
 * landing files themselves: Quảng Ninh, Jan 2019 – Sep 2020 at scale 1 (one generation for every check).
 */
class GeneratorCalibrationTest {

    @TempDir
    static Path dir;
    /** Jan 2019 – early Oct 2020 at scale 0.25: the streams with published Jan–Sep counts. */
    static Path out;
    static final double STREAM_SCALE = 0.25;
    static final double TRS_SCALE = Double.parseDouble(System.getProperty("cal.trs.scale", "1"));
    static final ZoneId VN = ZoneId.of("Asia/Ho_Chi_Minh");
    /** declaration_no → event time per milestone ordinal (-1 when absent), of the two TRS windows at scale 1. */
    static final Map<String, long[]> events = new HashMap<>();
    static final Map<String, String> officeOf = new HashMap<>();
    static Path trs2020;

    static Path generate(String name, LocalDate from, LocalDate to, double scale) {
        CwConfig cfg = SparkTestBase.testConfig(dir);
        Path o = dir.resolve(name);
        var s = new DemoDataGenerator(cfg, new DemoDataGenerator.Params(from, to, scale, 2020, 0.0, o, List.of("20"))).run();
        System.out.printf(Locale.ROOT, "%s: %,d rows in %.1f s%n", name, s.totalRows(), s.seconds());
        return o;
    }

    @BeforeAll
    static void generate() {
        // Each TRS window covers the measurement week and its follow-up to the cut-off (QN-2019-1, QN-2020-1).
        Path w19 = generate("trs2019", LocalDate.of(2019, 5, 11), LocalDate.of(2019, 6, 13), TRS_SCALE);
        trs2020 = generate("trs2020", LocalDate.of(2020, 5, 9), LocalDate.of(2020, 6, 11), TRS_SCALE);
        out = generate("streams", LocalDate.of(2019, 1, 1), LocalDate.of(2020, 10, 6), STREAM_SCALE);
        int iNo = LandingFiles.col(Source.DECLARATION_EVENTS, "declaration_no"),
                iM = LandingFiles.col(Source.DECLARATION_EVENTS, "milestone"),
                iAt = LandingFiles.col(Source.DECLARATION_EVENTS, "event_at"),
                iOff = LandingFiles.col(Source.DECLARATION_EVENTS, "office_code");
        for (Path w : List.of(w19, trs2020)) {
            LandingFiles.forEach(w, Source.DECLARATION_EVENTS, r -> {
                long[] t = events.computeIfAbsent(r[iNo], k -> {
                    long[] a = new long[Milestone.values().length];
                    Arrays.fill(a, -1);
                    return a;
                });
                t[Milestone.valueOf(r[iM]).ordinal()] = LandingFiles.epoch(r[iAt]);
                officeOf.put(r[iNo], r[iOff]);
            });
        }
    }

    record Trs(int n, double meanSeconds, double customsShare, double green, double yellow, double red) {
        String hms() {
            long s = Math.round(meanSeconds);
            return String.format(Locale.ROOT, "%d h %02d min %02d s", s / 3600, s / 60 % 60, s % 60);
        }
    }

    /** Mean REGISTRATION→RELEASE over declarations registered in the week, like the TRS method. */
    static Trs trs(LocalDate start, boolean imports, String officePrefix) {
        return trs(start, imports, o -> o.startsWith(officePrefix));
    }

    static Trs trs(LocalDate start, boolean imports, java.util.function.Predicate<String> office) {
        LocalDate end = start.plusDays(5);
        long n = 0, released = 0;
        double sum = 0, customs = 0;
        int[] channel = new int[4];
        for (var e : events.entrySet()) {
            if (e.getKey().startsWith("1") != imports || !office.test(officeOf.get(e.getKey()))) continue;
            long[] t = e.getValue();
            long reg = t[Milestone.REGISTRATION.ordinal()];
            if (reg < 0) continue;
            LocalDate d = Instant.ofEpochSecond(reg).atZone(VN).toLocalDate();
            if (d.isBefore(start) || d.isAfter(end)) continue;
            n++;
            int fin = t[Milestone.CHANNEL_CHANGED.ordinal()] >= 0 ? 3
                    : t[Milestone.PHYSICAL_INSPECTION_START.ordinal()] >= 0 ? 3
                    : t[Milestone.DOC_CHECK_START.ordinal()] >= 0 ? 2 : 1;
            long rel = t[Milestone.RELEASE.ordinal()];
            if (rel < 0) continue;
            if (t[Milestone.CANCELLATION.ordinal()] < 0) channel[fin]++;
            released++;
            sum += rel - reg;
            long prev = reg;
            for (int m = Milestone.REGISTRATION.ordinal() + 1; m <= Milestone.RELEASE.ordinal(); m++) {
                if (t[m] < 0) continue;
                if (Milestone.values()[m].usualActor() == Actor.CUSTOMS) customs += t[m] - prev;
                prev = t[m];
            }
        }
        double c = channel[1] + channel[2] + channel[3];
        return new Trs((int) n, sum / released, customs / sum, channel[1] / c, channel[2] / c, channel[3] / c);
    }

    static void within(String what, double actual, double lo, double hi) {
        System.out.printf(Locale.ROOT, "  %-45s %12.4f  [%s, %s]%n", what, actual, lo, hi);
        assertTrue(actual >= lo && actual <= hi, what + " = " + actual + " is outside [" + lo + ", " + hi + "]");
    }

    @Test
    void releaseTimesOfTheMay2020WeekMatchThePublishedCampaign() {
        LocalDate w20 = LocalDate.of(2020, 5, 11), w19 = LocalDate.of(2019, 5, 13);
        Trs imp = trs(w20, true, "20"), exp = trs(w20, false, "20");
        Trs imp19 = trs(w19, true, "20"), exp19 = trs(w19, false, "20");
        Trs hgImp = trs(w20, true, "20CF"), hgExp = trs(w20, false, "20CF");
        System.out.println("QN May 2020: import " + imp + " " + imp.hms() + "; export " + exp + " " + exp.hms());
        System.out.println("QN May 2019: import " + imp19.hms() + "; export " + exp19.hms());
        System.out.println("Hòn Gai May 2020: import " + hgImp.hms() + "; export " + hgExp.hms());
        double pubImp = 10 * 3600 + 5 * 60 + 48, pubExp = 2 * 3600 + 29 * 60 + 22;
        within("import mean (s), published 36348", imp.meanSeconds(), pubImp * 0.85, pubImp * 1.15);
        within("export mean (s), published 8962", exp.meanSeconds(), pubExp * 0.85, pubExp * 1.15);
        within("import 2019/2020, published 1.051", imp19.meanSeconds() / imp.meanSeconds(), 0.97, 1.15);
        within("export 2019/2020, published 1.121", exp19.meanSeconds() / exp.meanSeconds(), 1.04, 1.21);
        within("Hòn Gai import mean (h) < 5", hgImp.meanSeconds() / 3600, 0.5, 5.0);
        within("Hòn Gai export mean (h) < 2.5", hgExp.meanSeconds() / 3600, 0.3, 2.5);
        within("import customs share, published 6.8%", imp.customsShare(), 0.04, 0.10);
        within("export customs share, published 16.6%", exp.customsShare(), 0.12, 0.20);
        within("export green, published 73.6%", exp.green(), 0.68, 0.79);
        within("export red, published 3.12%", exp.red(), 0.01, 0.06);
        within("import green, published 12.21%", imp.green(), 0.09, 0.16);
        within("import yellow, published ~83%", imp.yellow(), 0.77, 0.88);
        within("import red, published ~4.6%", imp.red(), 0.025, 0.07);
        within("declarations in the week, published 1,269 (4 of 6)", imp.n() + exp.n(), 1000, 1700);
        // The campaign itself measured 4 of 6 sub-departments (cw.conf QN-2020-1): the same picture there.
        List<String> four = List.of("20BB", "20BC", "20CF", "20CG");
        Trs imp4 = trs(w20, true, four::contains), exp4 = trs(w20, false, four::contains);
        System.out.println("QN May 2020, 4 offices: import " + imp4.n() + " decl, " + imp4.hms() + "; export " + exp4.n() + " decl, " + exp4.hms());
        within("import mean (s), 4 campaign offices", imp4.meanSeconds(), pubImp * 0.85, pubImp * 1.15);
        within("export mean (s), 4 campaign offices", exp4.meanSeconds(), pubExp * 0.85, pubExp * 1.15);
        within("Vạn Gia declarations in the week (< 3)", trs(w20, true, "20CE").n() + trs(w20, false, "20CE").n(), 0, 2);
    }

    @Test
    void otherSourcesMatchTheJanuaryToSeptemberFigures() {
        int nswRes = LandingFiles.col(Source.NSW_DOSSIERS, "result"), nswSub = LandingFiles.col(Source.NSW_DOSSIERS, "submitted_at");
        Map<String, String[]> nsw = new HashMap<>();
        LandingFiles.forEach(out, Source.NSW_DOSSIERS, r -> { if (r[nswRes] != null) nsw.put(r[0], r); });
        long n19 = nsw.values().stream().filter(r -> inJanSep(r[nswSub], 2019)).count();
        long n20 = nsw.values().stream().filter(r -> inJanSep(r[nswSub], 2020)).count();
        System.out.println("NSW with result Jan–Sep: 2019 " + n19 + ", 2020 " + n20);
        within("NSW 2020/2019, published 0.925", (double) n20 / n19, 0.90, 0.95);

        int emAt = LandingFiles.col(Source.EMANIFEST, "declared_at");
        long[] em = new long[2];
        LandingFiles.forEach(out, Source.EMANIFEST, r -> { if (inJanSep(r[emAt], 2019)) em[0]++; if (inJanSep(r[emAt], 2020)) em[1]++; });
        System.out.println("E-Manifest Jan–Sep: " + em[0] + " → " + em[1]);
        within("E-Manifest 2020/2019, published 1.22", (double) em[1] / em[0], 1.18, 1.26);

        int coAt = LandingFiles.col(Source.CERTIFICATES_OF_ORIGIN, "received_at"), coForm = LandingFiles.col(Source.CERTIFICATES_OF_ORIGIN, "form"),
                coEl = LandingFiles.col(Source.CERTIFICATES_OF_ORIGIN, "is_electronic");
        long[] co = new long[4];
        LandingFiles.forEach(out, Source.CERTIFICATES_OF_ORIGIN, r -> {
            boolean eD = r[coForm].equals("D") && r[coEl].equals("true");
            if (eD && inJanSep(r[coAt], 2019)) co[0]++;
            if (eD && inJanSep(r[coAt], 2020)) co[1]++;
            if (r[coForm].equals("D") && r[coEl].equals("false")) co[2]++;
            if (!r[coForm].equals("D")) co[3]++;
        });
        System.out.println("C/O form D electronic Jan–Sep: " + co[0] + " → " + co[1] + "; paper D " + co[2] + ", other forms " + co[3]);
        within("C/O D electronic 2020/2019, published 0.84", (double) co[1] / co[0], 0.78, 0.90);
        assertTrue(co[2] > 0 && co[3] > 0, "paper form D and other forms are generated too");

        int adCh = LandingFiles.col(Source.ADMIN_DOSSIERS, "submission_channel"), adAt = LandingFiles.col(Source.ADMIN_DOSSIERS, "received_at");
        Map<String, Long> channels = new HashMap<>();
        LandingFiles.forEach(out, Source.ADMIN_DOSSIERS, r -> { if (inJanSep(r[adAt], 2020)) channels.merge(r[adCh], 1L, Long::sum); });
        long all = channels.values().stream().mapToLong(Long::longValue).sum();
        System.out.println("admin dossiers Jan–Sep 2020: " + channels);
        within("admin dossiers online share, published 94.2%", channels.get("ONLINE") / (double) all, 0.92, 0.96);
        assertTrue(channels.containsKey("IN_PERSON") && channels.containsKey("POST"), "in-person and post dossiers exist");

        long[] rep = new long[3];
        LandingFiles.forEach(out, Source.DOSSIER_REPORTS, r -> {
            if (r[1].startsWith("2020-") && r[1].compareTo("2020-09") <= 0) {
                assertEquals(null, r[4], "QN 2020 reports give no in_person split");
                rep[0] += Long.parseLong(r[2]);
                rep[1] += Long.parseLong(r[3]);
                rep[2] += Long.parseLong(r[6]);
            } else if (r[1].startsWith("2019-")) {
                assertEquals(Long.parseLong(r[2]), Long.parseLong(r[3]) + Long.parseLong(r[4]) + Long.parseLong(r[5]),
                        "2019 reports are consistent: " + String.join(",", Arrays.asList(r)));
            }
        });
        System.out.println("QN reports Jan–Sep 2020: total " + rep[0] + ", online " + rep[1] + ", in person or post " + rep[2]);
        assertEquals(19, rep[0] - rep[1] - rep[2], "the published reports do not add up by 19 (127,258 vs 119,910 + 7,329)");
        assertEquals(channels.get("ONLINE"), rep[1], "the reports' online count is the records' count");
    }

    @Test
    void reformPlanSatisfactionAndRevenue() {
        Map<String, String[]> latest = new HashMap<>();
        LandingFiles.forEach(out, Source.REFORM_TASKS, r -> {
            if (r[9].compareTo("2020-09-30T23:59:59+07:00") <= 0) latest.merge(r[0], r, (a, b) -> a[9].compareTo(b[9]) >= 0 ? a : b);
        });
        List<String[]> plan20 = latest.values().stream().filter(r -> r[2].equals("2020")).toList();
        long done = plan20.stream().filter(r -> r[7].equals("COMPLETED")).count();
        assertEquals(52, plan20.size(), "QN 2020 plan has 52 tasks");
        assertEquals(48, done, "48 of 52 completed by 30 Sep 2020");
        assertEquals(3, plan20.stream().filter(r -> r[3].equals("PROCEDURE_REVIEW") && r[7].equals("COMPLETED")).count(), "3 of 3 reviews");
        assertEquals(8, plan20.stream().filter(r -> r[3].equals("PROCEDURE_PUBLICATION") && r[7].equals("COMPLETED")).count(), "8 of 8 publications");
        assertTrue(latest.values().stream().anyMatch(r -> r[2].equals("2019")), "a 2019 plan exists");

        // Ratings: declarations registered 11 May – 5 Jun 2020 (their ratings land inside the window).
        LocalDate rFrom = LocalDate.of(2020, 5, 11), rTo = LocalDate.of(2020, 6, 5);
        long decls = events.values().stream().filter(t -> {
            long reg = t[Milestone.REGISTRATION.ordinal()];
            LocalDate d = Instant.ofEpochSecond(Math.max(0, reg)).atZone(VN).toLocalDate();
            return reg >= 0 && !d.isBefore(rFrom) && !d.isAfter(rTo);
        }).count();
        long[] rt = new long[4];
        LandingFiles.forEach(trs2020, Source.SATISFACTION_RATINGS, r -> {
            long[] t = events.get(r[1]);
            if (t == null || t[Milestone.REGISTRATION.ordinal()] < 0) return; // registered before the window
            LocalDate d = Instant.ofEpochSecond(t[Milestone.REGISTRATION.ordinal()]).atZone(VN).toLocalDate();
            if (d.isBefore(rFrom) || d.isAfter(rTo)) return;
            rt[0]++;
            int worst = Math.min(Integer.parseInt(r[5]), Math.min(Integer.parseInt(r[6]), Integer.parseInt(r[7])));
            if (worst >= 4) rt[1]++;
            else assertTrue(r[8] != null && !r[8].isBlank(), "neutral/negative ratings carry a comment: " + r[0]);
        });
        System.out.println("ratings: " + rt[0] + " of " + decls + " declarations, " + rt[1] + " satisfied");
        within("rated share of declarations, published 9.7%", rt[0] / (double) decls, 0.085, 0.11);
        within("satisfied share (worst level >= 4), published 95.5%", rt[1] / (double) rt[0], 0.93, 0.975);
        int ratedAt = LandingFiles.col(Source.SATISFACTION_RATINGS, "rated_at");
        LandingFiles.forEach(out, Source.SATISFACTION_RATINGS, r -> assertTrue(r[ratedAt].compareTo("2020-03-25") >= 0,
                "no rating before the pilot of 25 Mar 2020: " + r[0]));

        double[] rev = new double[1];
        LandingFiles.forEach(out, Source.REVENUE, r -> {
            if (r[1].startsWith("2020-") && r[1].compareTo("2020-09-13") <= 0) rev[0] += Double.parseDouble(r[2]);
        });
        within("QN revenue to 13 Sep 2020 (bn VND) / scale, published 9,259", rev[0] / 1e9 / STREAM_SCALE, 9259 * 0.98, 9259 * 1.02);
        Map<String, String> targets = new HashMap<>();
        LandingFiles.forEach(out, Source.REVENUE_TARGETS, r -> { if (r[1].equals("2020")) targets.put(r[2], r[3]); });
        assertEquals(Map.of("MOF", String.valueOf(Math.round(9_500e9 * STREAM_SCALE)), "GDC", String.valueOf(Math.round(10_500e9 * STREAM_SCALE))),
                targets, "QN 2020 targets (seed 003) at the scale");
    }

    static boolean inJanSep(String ts, int year) {
        return ts.startsWith(year + "-") && ts.substring(5, 7).compareTo("09") <= 0;
    }
}
