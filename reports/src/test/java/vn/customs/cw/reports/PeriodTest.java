package vn.customs.cw.reports;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeriodTest {
    @Test
    void grammar() {
        assertEquals(new Period(2020, 1, 12, true), Period.parse("2020"), "a year");
        assertEquals(new Period(2020, 5, 5, false), Period.parse("2020-05"), "a month");
        Period r = Period.parse("2020-01..2020-09");
        assertEquals(new Period(2020, 1, 9, false), r, "a month range");
        assertEquals(LocalDate.of(2020, 9, 30), r.end(), "the range ends on the last day of its last month");
        assertEquals(new Period(2019, 1, 9, false), r.previousYear(), "year-on-year compares the same months");
        assertEquals("2020-01..2020-09", r.code(), "canonical text");
        assertEquals(LocalDate.of(2020, 2, 29), Period.parse("2020-02").end(), "leap year");
    }

    @Test
    void badPeriodsAreRefusedWithTheValue() {
        for (String bad : new String[]{"", "  ", "20", "2020-13", "2020-00", "2020-09..2020-01", "2020-01..2021-02", "2020/05", "May 2020"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Period.parse(bad), "'" + bad + "' must be refused");
            assertTrue(e.getMessage().contains("period"), "message names the period: " + e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Period.parse("2020-01..2021-02")).getMessage()
                .contains("spans two years"), "a range across years says why");
    }
}
