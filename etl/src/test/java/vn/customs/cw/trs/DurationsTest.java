package vn.customs.cw.trs;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The published Quảng Ninh figures of May 2020 (seed 003), reproduced by the formatter. */
class DurationsTest {

    @Test
    void formatsThePublishedImportFigures() {
        // 10 h 5 min 48 s = 36348 s; 31 min 6 s less than 2019 -> 2019 mean 38214 s.
        assertEquals("10:05:48", Durations.hms(36348), "clock form");
        assertEquals("10 giờ 5 phút 48 giây", Durations.vietnamese(36348), "Vietnamese form");
        double change = 36348 - 38214;
        assertEquals("\u221231 phút 6 giây", Durations.signedVietnamese(change), "signed change with a minus sign");
        assertEquals("\u22120:31:06", Durations.signedHms(change), "signed clock form");
        assertEquals("\u22124,88%", Durations.signedPercent(change / 38214 * 100, true), "−4,88% as published");
        assertEquals("\u22124.88%", Durations.signedPercent(change / 38214 * 100, false), "English decimal point");
    }

    @Test
    void roundsHalfUpAndKeepsLongDurations() {
        assertEquals("10:05:48", Durations.hms(36347.5), "a mean is rounded half-up at display time only");
        assertEquals("2 giờ 29 phút 22 giây", Durations.vietnamese(8962), "exports 2020");
        assertEquals("115:00:17", Durations.hms(115 * 3600 + 17), "hours are not wrapped at 24 (TRS 2013)");
        assertEquals("115 giờ 17 giây", Durations.vietnamese(115 * 3600 + 17), "zero minutes left out");
        assertEquals("0 giây", Durations.vietnamese(0), "zero");
        assertEquals("+5 phút", Durations.signedVietnamese(300), "a rise carries a plus");
        assertEquals("6.8%", Durations.share(0.068, false), "customs' own share");
        assertEquals("\u221210,83%", Durations.signedPercent(-1088.0 / 10050 * 100, true), "exports change 2020");
    }
}
