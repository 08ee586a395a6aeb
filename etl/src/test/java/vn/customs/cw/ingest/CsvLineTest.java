package vn.customs.cw.ingest;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CsvLineTest {
    @Test
    void parsesQuotedFieldsWithCommasAndDoubledQuotes() throws Exception {
        assertEquals(List.of("a", "Công ty, \"Hạ Long\"", "", "c"), CsvLine.parse("a,\"Công ty, \"\"Hạ Long\"\"\",,c"),
                "RFC 4180: commas inside quotes, doubled quotes, empty field");
        assertEquals(List.of("", ""), CsvLine.parse(","), "two empty fields");
        assertEquals(List.of(""), CsvLine.parse(""), "an empty line is one empty field");
    }

    @Test
    void rejectsBrokenQuoting() {
        assertThrows(CsvLine.MalformedLine.class, () -> CsvLine.parse("a,\"b,c"), "unterminated quote (no multi-line records)");
        assertThrows(CsvLine.MalformedLine.class, () -> CsvLine.parse("a,\"b\"x,c"), "text after a closing quote");
        assertThrows(CsvLine.MalformedLine.class, () -> CsvLine.parse("a,b\"c"), "a quote inside an unquoted field");
    }
}
