package vn.customs.cw.ingest;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.input.PortableDataStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_date;

/**
 * Reads landing files as bytes and splits them into physical lines on the executors, so every
 * record keeps its file and 1-based line number (the header is line 1) and can be rejected on
 * its own: a bad byte sequence, a broken quote or a short row never fails the file.
 */
public final class LandingParser {
    private LandingParser() {}

    public static final String NOT_UTF8 = "NOT_UTF8";
    public static final String MALFORMED_LINE = "MALFORMED_LINE";
    public static final String WRONG_COLUMN_COUNT = "WRONG_COLUMN_COUNT";
    public static final String BAD_HEADER = "BAD_HEADER";

    /** One landing line: lineage, raw text, fields (null when rejected) and the reason if rejected. */
    public static final StructType SCHEMA = new StructType()
            .add("_source_file", DataTypes.StringType, false)
            .add("_record_no", DataTypes.LongType, false)
            .add("raw_text", DataTypes.StringType, true)
            .add("fields", DataTypes.createArrayType(DataTypes.StringType, true), true)
            .add("reason_code", DataTypes.StringType, true)
            .add("reason_detail", DataTypes.StringType, true)
            .add("is_header", DataTypes.BooleanType, false)
            .add("landing_day", DataTypes.StringType, false);

    /**
     * Parses the given files (full paths, the contract's names) in one Spark job; files are packed
     * many to a task. Returns {@link #SCHEMA} with {@code _landing_date} as a date instead of
     * {@code landing_day}.
     */
    public static Dataset<Row> parse(SparkSession spark, List<String> files, List<String> header) {
        if (files.isEmpty()) {
            return spark.createDataFrame(List.of(), SCHEMA).withColumn("_landing_date", to_date(col("landing_day"))).drop("landing_day");
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<String> expected = List.copyOf(header);
        int cores = Math.max(1, jsc.defaultParallelism());
        // binaryFiles packs files into splits of up to spark.files.maxPartitionBytes (128 MB) by
        // default: a year of a source's daily files was ONE task, parsed and validated on one core.
        // Asking for a partition per file makes Spark cap a split at about the average file plus the
        // open cost (4 MB): many small tasks for a backfill, one per file for a night.
        JavaRDD<Row> rows = jsc.binaryFiles(String.join(",", files), Math.max(files.size(), 2 * cores))
                .flatMap(new FileSplitter(expected));
        if (rows.getNumPartitions() < cores) {
            // A night has one file per source: spread its lines so validation uses every core.
            rows = rows.repartition(cores);
        }
        return spark.createDataFrame(rows, SCHEMA)
                .withColumn("_landing_date", to_date(col("landing_day")))
                .drop("landing_day");
    }

    static final class FileSplitter implements org.apache.spark.api.java.function.FlatMapFunction<Tuple2<String, PortableDataStream>, Row>, Serializable {
        private final List<String> header;

        FileSplitter(List<String> header) { this.header = header; }

        @Override
        public Iterator<Row> call(Tuple2<String, PortableDataStream> file) {
            String path = file._1();
            String[] parts = path.split("/");
            // <source>/<yyyy-mm-dd>/<file>: stable across machines, unlike the absolute URI.
            String rel = parts.length >= 3 ? parts[parts.length - 3] + "/" + parts[parts.length - 2] + "/" + parts[parts.length - 1] : path;
            String day = parts.length >= 2 ? parts[parts.length - 2] : "";
            return new Lines(file._2().open(), rel, day, header);
        }
    }

    /** Lazily yields the data lines of one file (never the whole file in memory). */
    static final class Lines implements Iterator<Row> {
        private final InputStream in;
        private final String file;
        private final String day;
        private final List<String> header;
        private final CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
        private long lineNo = 0;
        private String headerError; // non-null: every data line of the file is rejected with it
        private Row next;
        private boolean eof;

        Lines(InputStream in, String file, String day, List<String> header) {
            this.in = new BufferedInputStream(in, 1 << 16);
            this.file = file;
            this.day = day;
            this.header = header;
        }

        private byte[] readLine() throws IOException {
            if (eof) return null;
            buf.reset();
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') break;
                buf.write(b);
            }
            if (b == -1) {
                eof = true;
                in.close();
                if (buf.size() == 0) return null;
            }
            byte[] line = buf.toByteArray();
            int len = line.length;
            if (len > 0 && line[len - 1] == '\r') {
                byte[] t = new byte[len - 1];
                System.arraycopy(line, 0, t, 0, len - 1);
                line = t;
            }
            return line;
        }

        private Row advance() {
            try {
                while (true) {
                    byte[] bytes = readLine();
                    if (bytes == null) return null;
                    lineNo++;
                    String text;
                    String decodeError = null;
                    try {
                        text = strict.decode(ByteBuffer.wrap(bytes)).toString();
                    } catch (CharacterCodingException e) {
                        text = new String(bytes, StandardCharsets.UTF_8);
                        decodeError = "invalid UTF-8 byte sequence: " + e.getMessage();
                    }
                    if (lineNo == 1) {
                        if (text.startsWith("\uFEFF")) text = text.substring(1);
                        List<String> got;
                        try {
                            got = decodeError == null ? CsvLine.parse(text) : null;
                        } catch (CsvLine.MalformedLine e) {
                            got = null;
                        }
                        if (got == null || !got.equals(header)) {
                            headerError = "file " + file + ": header " + (got == null ? "unreadable" : got)
                                    + " differs from the contract " + header;
                            // One marker row per bad file so the run log can name it even when
                            // the file has no data lines; it is not a record and is never counted.
                            return RowFactory.create(file, lineNo, text, null, BAD_HEADER, headerError, true, day);
                        }
                        continue;
                    }
                    if (headerError != null) return row(text, null, BAD_HEADER, headerError);
                    if (decodeError != null) return row(text, null, NOT_UTF8, decodeError);
                    List<String> fields;
                    try {
                        fields = CsvLine.parse(text);
                    } catch (CsvLine.MalformedLine e) {
                        return row(text, null, MALFORMED_LINE, e.getMessage());
                    }
                    if (fields.size() != header.size()) {
                        return row(text, null, WRONG_COLUMN_COUNT, fields.size() + " columns, expected " + header.size());
                    }
                    return row(text, fields, null, null);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + file + " at line " + lineNo, e);
            }
        }

        private Row row(String text, List<String> fields, String code, String detail) {
            return RowFactory.create(file, lineNo, text,
                    fields == null ? null : scala.collection.JavaConverters.asScalaBuffer(fields).toList(), code, detail, false, day);
        }

        @Override
        public boolean hasNext() {
            if (next == null && !eof) next = advance();
            return next != null;
        }

        @Override
        public Row next() {
            if (!hasNext()) throw new NoSuchElementException();
            Row r = next;
            next = null;
            return r;
        }
    }
}
