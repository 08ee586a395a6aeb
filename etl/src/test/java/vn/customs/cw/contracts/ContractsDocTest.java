package vn.customs.cw.contracts;

import org.junit.jupiter.api.Test;
import vn.customs.cw.testing.SparkTestBase;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/contracts.md must document every Source and every column, with its type and nullability. */
class ContractsDocTest {

    @Test
    void everySourceColumnIsDocumented() throws Exception {
        Path doc = SparkTestBase.repoRoot().resolve("docs/contracts.md");
        assertTrue(Files.isRegularFile(doc), "docs/contracts.md is missing at " + doc);
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        for (Source s : Source.values()) {
            int at = text.indexOf("\n## " + s.folder() + "\n");
            if (at < 0) {
                missing.add("section ## " + s.folder());
                continue;
            }
            int end = text.indexOf("\n## ", at + 4);
            String section = text.substring(at, end < 0 ? text.length() : end);
            for (Column c : s.columns()) {
                String row = "| `" + c.name() + "` | " + c.typeName() + " | " + (c.nullable() ? "yes" : "no") + " |";
                if (!section.contains(row)) missing.add(s.folder() + "." + c.name() + " (" + row + ")");
            }
        }
        assertEquals(List.of(), missing, "columns missing from docs/contracts.md or documented with another type; "
                + "regenerate it with vn.customs.cw.contracts.ContractsDoc");
    }

    @Test
    void theCommittedDocIsTheRenderedOne() throws Exception {
        String text = Files.readString(SparkTestBase.repoRoot().resolve("docs/contracts.md"), StandardCharsets.UTF_8);
        assertEquals(ContractsDoc.render(), text, "docs/contracts.md is stale: regenerate it with vn.customs.cw.contracts.ContractsDoc");
    }
}
