package vn.customs.cw.cli;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import vn.customs.cw.spark.Sparks;
import vn.customs.cw.spark.Warehouse;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** {@code ./cw sql "SELECT ..."}: one query on the catalog (bronze.*, silver.*, gold.*, ops.*). */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Run one SQL query on the warehouse catalog and print the result (a table, or CSV with --csv).")
public final class SqlCommand extends CwSubcommand {

    @Parameters(index = "0", paramLabel = "QUERY", description = "The SQL text, e.g. \"SELECT * FROM gold.trs_campaign_summary\".")
    String query;

    @Option(names = "--csv", description = "Print CSV (header + rows) instead of a table.")
    boolean csv;

    @Option(names = "--limit", defaultValue = "200", description = "Rows to print at most (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1) throw new IllegalArgumentException("--limit must be >= 1, got " + limit);
        SparkSession spark = Sparks.session(config());
        new Warehouse(config().paths().warehouse()).registerCatalog(spark);
        Dataset<Row> df = spark.sql(query);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (csv) {
            printCsv(df.limit(limit), out);
        } else {
            out.println(df.showString(limit, 0, false));
        }
        return 0;
    }

    static void printCsv(Dataset<Row> df, PrintStream out) {
        String[] cols = df.columns();
        out.println(String.join(",", java.util.Arrays.stream(cols).map(SqlCommand::csvField).toList()));
        // toLocalIterator streams partition by partition: the driver holds at most one at a time.
        java.util.Iterator<Row> it = df.toLocalIterator();
        while (it.hasNext()) {
            Row r = it.next();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cols.length; i++) {
                if (i > 0) sb.append(',');
                Object v = r.get(i);
                sb.append(v == null ? "" : csvField(String.valueOf(v)));
            }
            out.println(sb);
        }
    }

    static String csvField(String s) {
        boolean quote = s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r");
        return quote ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
