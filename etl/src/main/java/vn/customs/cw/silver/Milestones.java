package vn.customs.cw.silver;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import vn.customs.cw.contracts.Milestone;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.*;

/** silver.declaration_milestones: events pivoted to one row per declaration (pure transform). */
public final class Milestones {
    private Milestones() {}

    /**
     * @param events       silver.declaration_events rows of the declarations to rebuild
     * @param declarations silver.declarations (declaration_no, registration_year), for declarations
     *                     whose REGISTRATION event is not (yet) in the events
     */
    public static Dataset<Row> pivot(Dataset<Row> events, Dataset<Row> declarations) {
        List<Column> aggs = new ArrayList<>();
        for (Milestone m : Milestone.values()) {
            Column is = col("milestone").equalTo(m.name());
            aggs.add(max(when(is, col("event_at"))).alias(m.column()));
            aggs.add(max(when(is, col("actor"))).alias(m.actorColumn()));
        }
        aggs.add(max(when(col("milestone").equalTo("CHANNEL_ASSIGNED"), col("channel_code"))).alias("initial_channel"));
        aggs.add(max(when(col("milestone").equalTo("CHANNEL_CHANGED"), col("channel_code"))).alias("__changed_channel"));
        aggs.add(count(lit(1)).alias("event_count"));
        aggs.add(min(col("event_at")).alias("__first_event_at"));
        Dataset<Row> p = events.groupBy(col("declaration_no")).agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
        Dataset<Row> d = declarations.select(col("declaration_no"), col("registration_year").alias("__decl_year"));
        p = p.join(d, "declaration_no", "left");

        // Same rule as quarantine's STEP_OUT_OF_ORDER (Conform.markStepsOutOfOrder), on the whole declaration.
        Column inOrder = lit(true);
        for (Milestone m : Milestone.values()) {
            if (m == Milestone.ARRIVAL || m == Milestone.REGISTRATION) continue;
            inOrder = inOrder.and(coalesce(col(m.column()).geq(col("registered_at")), lit(true)));
        }
        inOrder = inOrder.and(coalesce(col("cleared_at").geq(col("released_at")), lit(true)))
                .and(coalesce(col("gated_out_at").geq(col("released_at")), lit(true)));

        List<Column> out = new ArrayList<>();
        out.add(col("declaration_no"));
        // The registration event's year; else the header's; else the first event's, so the row has a partition.
        out.add(coalesce(year(col("registered_at")), col("__decl_year"), year(col("__first_event_at"))).alias("registration_year"));
        for (Milestone m : Milestone.values()) {
            out.add(col(m.column()));
            out.add(col(m.actorColumn()));
        }
        out.add(col("initial_channel"));
        out.add(coalesce(col("__changed_channel"), col("initial_channel")).alias("final_channel"));
        out.add(coalesce(col("__changed_channel").isNotNull().and(col("__changed_channel").notEqual(col("initial_channel"))), lit(false))
                .alias("is_channel_switched"));
        out.add(col("event_count"));
        out.add(inOrder.alias("is_in_order"));
        return p.select(out.toArray(Column[]::new));
    }
}
