package vn.customs.cw.reports;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FormatsTest {
    private final Formats vi = Formats.of("vi");
    private final Formats en = Formats.of("en");

    @Test
    void vietnameseNumbersUseDotGroupingAndCommaDecimals() {
        assertEquals("1.425", vi.integer(1425), "vi-VN groups thousands with a dot");
        assertEquals("127.258", vi.integer(127258L), "vi-VN groups thousands with a dot");
        assertEquals("7,5%", vi.pct(0.075), "vi-VN uses a decimal comma");
        assertEquals("97,4%", vi.pct(9253.0 / 9500), "shares round half-up to one decimal");
        assertEquals("-7,5%", vi.signedPct((1425.0 - 1540) / 1540), "a fall keeps its sign");
        assertEquals("+22,0%", vi.signedPct((3661.0 - 3001) / 3001), "a rise gets a plus sign");
        assertEquals("1,425", en.integer(1425), "English groups with a comma");
        assertEquals("7.5%", en.pct(0.075), "English uses a decimal point");
        assertEquals("—", vi.integer(null), "a missing figure is a dash, never 0");
        assertEquals("—", vi.signedPct(Formats.change(5, 0)), "no change against a zero base");
    }

    @Test
    void durationsInWords() {
        assertEquals("10 giờ 5 phút 48 giây", vi.duration(36348L), "seed 003 import average");
        assertEquals("2 giờ 29 phút 22 giây", vi.duration(8962L), "seed 003 export average");
        assertEquals("-31 phút 6 giây", vi.signedDuration(-1866L), "leading zero hours are left out");
        assertEquals("+5 giây", vi.signedDuration(5L), "seconds only");
        assertEquals("1 giờ 0 phút 5 giây", vi.duration(3605L), "inner zero units are kept");
        assertEquals("1.400 giờ 0 phút 0 giây", vi.duration(1400L * 3600), "hours are grouped like numbers");
        assertEquals("10 h 5 min 48 s", en.duration(36348L), "English units");
        assertEquals("115:00:17", Formats.hms(115L * 3600 + 17), "h:m:s beyond a day");
    }

    @Test
    void unknownLanguageIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Formats.of("fr"));
        assertEquals("unknown language 'fr': expected vi or en", e.getMessage(), "the message names the bad value");
    }
}
