package vn.customs.cw.trs;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import vn.customs.cw.contracts.Milestone;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.*;

/**
 * Per-declaration release-time measures (gold.release_time_facts) and the intervals between its
 * milestones (gold.release_time_intervals), following the WCO Time Release Study as Vietnamese
 * customs runs it.
 *
 * <p><b>The measure is elapsed calendar time</b> (instant to instant, nights, weekends and public
 * holidays included), as the TRS method measures it: a declaration registered 2020-04-29 20:00 and
 * released 2020-05-02 08:00 took 60 h, although 30 Apr and 1 May are holidays. Working days only
 * decide which declarations fall into a campaign's measurement week ({@link Campaigns}).
 *
 * <p>Rules decided here:
 * <ul>
 *   <li><b>Release time</b> = registration → release. A cleared declaration without a RELEASE
 *       milestone was released at clearance ({@code released_at} = {@code cleared_at}).
 *       {@code measured_end_at} is that release instant; {@code release_seconds} the elapsed time.</li>
 *   <li><b>Clearance time</b> = registration → clearance.</li>
 *   <li><b>Released but not cleared</b> (giải phóng hàng nhưng chưa thông quan, art. 36): the method
 *       says "ghi nhận thời điểm kết thúc kiểm tra hồ sơ" — record the end of the document check. Such
 *       a declaration is finished (its goods left): its release time ends at the release as for any
 *       other, and the document-check end ({@code doc_check_ended_at}) stands in for the missing
 *       clearance instant, so {@code clearance_seconds} = registration → document-check end (null
 *       when there was no document check, i.e. green channel). {@code is_released_not_cleared} flags it.</li>
 *   <li><b>Channel</b>: the final channel counts; a yellow→red switch is red, flagged by
 *       {@code is_channel_switched}. Without milestone channels the declaration header's channel is used.</li>
 *   <li><b>Cancelled</b> declarations (status 1/2 or a CANCELLATION milestone) keep a fact row with
 *       {@code is_cancelled}, are never finished, have no intervals, and are left out of every statistic
 *       (they are counted in {@code cancelled}).</li>
 *   <li><b>Intervals</b>: the present milestones (CANCELLATION aside) at or after registration, sorted by
 *       time (ties by the usual milestone order), each consecutive pair one interval; plus
 *       ARRIVAL→REGISTRATION when the goods arrived before registration (an arrival after a pre-arrival
 *       registration is simply a milestone inside the sequence). Milestones other than ARRIVAL dated
 *       before registration are left out. Each interval is attributed to the party that acted at the
 *       milestone ending it (its actor column; the milestone's usual actor when missing).</li>
 *   <li><b>Inside the release time</b> ({@code is_in_release_time}) are exactly the intervals from
 *       REGISTRATION up to the milestone that ends the release time (RELEASE, or CLEARANCE when there
 *       is no RELEASE). ARRIVAL→REGISTRATION and everything after release (clearance, gate-out) are
 *       outside. So customs + agency + trader + port seconds = release_seconds, to the second.</li>
 * </ul>
 */
public final class ReleaseTimeFacts {
    private ReleaseTimeFacts() {}

    public static final List<String> PARTIES = List.of("CUSTOMS", "AGENCY", "TRADER", "PORT");

    /** Declarations joined with their milestones; the header's registration instant wins. */
    static Dataset<Row> joined(Dataset<Row> declarations, Dataset<Row> milestones) {
        Dataset<Row> d = declarations.select(
                col("declaration_no"), col("department_code"), col("office_code"), col("team_code"),
                col("direction"), col("type_code"), col("transport_mode"), col("hs_code"),
                col("channel_code"), col("is_cancelled").as("d_is_cancelled"),
                col("registered_at").as("d_registered_at"));
        List<Column> mc = new ArrayList<>();
        mc.add(col("declaration_no"));
        for (Milestone m : Milestone.values()) {
            mc.add(col(m.column()).as(m == Milestone.REGISTRATION ? "m_registered_at" : m.column()));
            mc.add(col(m.actorColumn()));
        }
        mc.add(col("initial_channel"));
        mc.add(col("final_channel"));
        mc.add(col("is_channel_switched"));
        Dataset<Row> m = milestones.select(mc.toArray(Column[]::new));
        return d.join(m, d.col("declaration_no").equalTo(m.col("declaration_no")), "left")
                .drop(m.col("declaration_no"))
                .withColumn("registered_at", coalesce(col("d_registered_at"), col("m_registered_at")))
                .withColumn("is_cancelled", coalesce(col("d_is_cancelled"), lit(false))
                        .or(col(Milestone.CANCELLATION.column()).isNotNull()))
                .withColumn("measured_end_at", coalesce(col("released_at"), col("cleared_at")))
                .withColumn("end_milestone", when(col("released_at").isNotNull(), lit("RELEASE"))
                        .when(col("cleared_at").isNotNull(), lit("CLEARANCE")));
    }

    /** gold.release_time_intervals (plus the rows' internal order). */
    public static Dataset<Row> intervals(Dataset<Row> declarations, Dataset<Row> milestones) {
        return intervalsOf(joined(declarations, milestones));
    }

    /** {@link #intervals} from the output of {@link #joined} (the stage joins once for both tables). */
    static Dataset<Row> intervalsOf(Dataset<Row> joined) {
        Dataset<Row> j = joined.filter(not(col("is_cancelled")));
        List<Column> items = new ArrayList<>();
        for (Milestone m : Milestone.values()) {
            if (m == Milestone.CANCELLATION) continue;
            Column at = m == Milestone.REGISTRATION ? col("registered_at") : col(m.column());
            items.add(struct(lit(m.ordinal()).as("ord"), lit(m.name()).as("milestone"), at.as("at"),
                    coalesce(col(m.actorColumn()), lit(m.usualActor().name())).as("party")));
        }
        Column present = filter(array(items.toArray(Column[]::new)), x -> x.getField("at").isNotNull());
        Dataset<Row> e = j.select(col("declaration_no"), col("department_code"), col("office_code"),
                        col("direction"), col("registered_at"), col("end_milestone"), explode(present).as("e"))
                .filter(col("e.milestone").equalTo("ARRIVAL").or(col("e.at").geq(col("registered_at"))))
                .select(col("declaration_no"), col("department_code"), col("office_code"), col("direction"),
                        col("registered_at"), col("end_milestone"), col("e.ord").as("ord"),
                        col("e.milestone").as("milestone"), col("e.at").as("at"), col("e.party").as("party"));
        WindowSpec byTime = Window.partitionBy("declaration_no").orderBy(col("at"), col("ord"));
        WindowSpec all = Window.partitionBy("declaration_no");
        Dataset<Row> seq = e.withColumn("rn", row_number().over(byTime))
                .withColumn("from_milestone", lag("milestone", 1).over(byTime))
                .withColumn("started_at", lag("at", 1).over(byTime))
                .withColumn("reg_rn", max(when(col("milestone").equalTo("REGISTRATION"), col("rn"))).over(all))
                .withColumn("end_rn", max(when(col("milestone").equalTo(col("end_milestone")), col("rn"))).over(all));
        return seq.filter(col("from_milestone").isNotNull())
                .select(col("declaration_no"), col("department_code"), col("office_code"), col("direction"),
                        year(col("registered_at")).as("registration_year"),
                        month(col("registered_at")).as("registration_month"),
                        col("rn").minus(1).cast("int").as("interval_seq"),
                        col("from_milestone"), col("milestone").as("to_milestone"), col("party"),
                        col("started_at"), col("at").as("ended_at"),
                        col("at").cast("long").minus(col("started_at").cast("long")).as("seconds"),
                        coalesce(col("rn").minus(1).geq(col("reg_rn")).and(col("rn").leq(col("end_rn"))), lit(false))
                                .as("is_in_release_time"));
    }

    /** gold.release_time_facts, given the intervals built by {@link #intervals}. */
    public static Dataset<Row> facts(Dataset<Row> declarations, Dataset<Row> milestones, Dataset<Row> intervals) {
        return factsOf(joined(declarations, milestones), intervals);
    }

    /** {@link #facts} from the output of {@link #joined}. */
    static Dataset<Row> factsOf(Dataset<Row> j, Dataset<Row> intervals) {
        List<Column> sums = new ArrayList<>();
        for (String p : PARTIES) {
            sums.add(sum(when(col("party").equalTo(p), col("seconds")).otherwise(0L)).as("i_" + p.toLowerCase()));
        }
        Dataset<Row> partySums = intervals.filter(col("is_in_release_time"))
                .groupBy(col("declaration_no").as("i_declaration_no"))
                .agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new));
        Dataset<Row> f = j.join(partySums, j.col("declaration_no").equalTo(partySums.col("i_declaration_no")), "left");
        Column finished = not(col("is_cancelled")).and(col("measured_end_at").isNotNull());
        Column releasedNotCleared = col("released_at").isNotNull().and(col("cleared_at").isNull());
        Column clearanceEnd = coalesce(col("cleared_at"), when(releasedNotCleared, col("doc_check_ended_at")));
        List<Column> out = new ArrayList<>(List.of(
                col("declaration_no"), col("department_code"), col("office_code"), col("team_code"),
                col("direction"), col("type_code"), col("transport_mode"),
                substring(col("hs_code"), 1, 2).as("hs_chapter"),
                coalesce(col("initial_channel"), col("channel_code")).as("initial_channel"),
                coalesce(col("final_channel"), col("channel_code")).as("final_channel"),
                coalesce(col("is_channel_switched"), lit(false)).as("is_channel_switched"),
                col("si_submitted_at").isNotNull().or(col("si_result_at").isNotNull()).as("has_specialised_inspection"),
                col("is_cancelled"),
                col("measured_end_at").isNotNull().as("is_released"),
                col("cleared_at").isNotNull().as("is_cleared"),
                releasedNotCleared.as("is_released_not_cleared"),
                finished.as("is_finished"),
                col("registered_at"),
                col("measured_end_at").as("released_at"),
                col("cleared_at"), col("doc_check_ended_at"), col("arrived_at"), col("gated_out_at"),
                col("measured_end_at"),
                seconds(col("registered_at"), col("measured_end_at")).as("release_seconds"),
                seconds(col("registered_at"), clearanceEnd).as("clearance_seconds"),
                seconds(col("arrived_at"), col("gated_out_at")).as("arrival_to_gate_out_seconds")));
        for (String p : PARTIES) {
            String name = p.equals("CUSTOMS") ? "customs" : p.toLowerCase();
            out.add(when(finished, coalesce(col("i_" + p.toLowerCase()), lit(0L))).as(name + "_seconds"));
        }
        out.add(to_date(col("registered_at")).as("registration_date"));
        out.add(year(col("registered_at")).as("registration_year"));
        out.add(month(col("registered_at")).as("registration_month"));
        return f.select(out.toArray(Column[]::new));
    }

    /** Elapsed seconds between two instants; null when either is missing. */
    static Column seconds(Column from, Column to) {
        return when(from.isNotNull().and(to.isNotNull()), to.cast("long").minus(from.cast("long")));
    }
}
