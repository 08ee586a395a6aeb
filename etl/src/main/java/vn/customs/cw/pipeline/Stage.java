package vn.customs.cw.pipeline;

import java.util.List;

/**
 * A step of the nightly pipeline (ingest a source, build silver, build a gold mart, render
 * reports). Stages do their I/O at their edges; their transforms are plain
 * {@code Dataset<Row> -> Dataset<Row>} functions that tests call directly.
 */
public interface Stage {
    String name();

    /** Runs the stage and says which tables it wrote. A failure fails this stage only. */
    List<TableWrite> run(RunContext ctx);
}
