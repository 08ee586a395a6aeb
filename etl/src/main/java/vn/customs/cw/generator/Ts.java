package vn.customs.cw.generator;

import java.time.LocalDate;

/** Fast ISO-8601 formatting with a fixed offset (2020-05-11T08:12:45+07:00); java.time's formatter is the bottleneck at national volume. */
final class Ts {
    private Ts() {}

    static String format(long epochSecond, int offsetSeconds) {
        long local = epochSecond + offsetSeconds;
        long days = Math.floorDiv(local, 86400);
        int sod = (int) Math.floorMod(local, 86400);
        LocalDate d = LocalDate.ofEpochDay(days);
        char[] c = new char[25];
        int y = d.getYear();
        c[0] = (char) ('0' + y / 1000);
        c[1] = (char) ('0' + y / 100 % 10);
        c[2] = (char) ('0' + y / 10 % 10);
        c[3] = (char) ('0' + y % 10);
        c[4] = '-';
        two(c, 5, d.getMonthValue());
        c[7] = '-';
        two(c, 8, d.getDayOfMonth());
        c[10] = 'T';
        two(c, 11, sod / 3600);
        c[13] = ':';
        two(c, 14, sod / 60 % 60);
        c[16] = ':';
        two(c, 17, sod % 60);
        int off = Math.abs(offsetSeconds) / 60;
        c[19] = offsetSeconds < 0 ? '-' : '+';
        two(c, 20, off / 60);
        c[22] = ':';
        two(c, 23, off % 60);
        return new String(c);
    }

    private static void two(char[] c, int at, int v) {
        c[at] = (char) ('0' + v / 10);
        c[at + 1] = (char) ('0' + v % 10);
    }
}
