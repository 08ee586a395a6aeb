package vn.customs.cw.pipeline;

import org.apache.spark.sql.SparkSession;
import vn.customs.cw.config.CwConfig;
import vn.customs.cw.spark.Warehouse;

import java.time.LocalDate;
import java.util.Set;

/**
 * What every stage of one run shares: the one SparkSession, the configuration, the warehouse, the
 * run id, the landing days being loaded, and the years whose gold rows must be recomputed.
 *
 * @param affectedYears registration/activity years touched by the silver changes of this run;
 *                      gold stages recompute these years (and the year after each, whose
 *                      previous-year columns read them) with replaceWhere, so re-runs are idempotent.
 */
public record RunContext(SparkSession spark, CwConfig config, Warehouse warehouse, String runId,
                         String command, LocalDate from, LocalDate to, Set<Integer> affectedYears) {

    public RunContext withAffectedYears(Set<Integer> years) {
        return new RunContext(spark, config, warehouse, runId, command, from, to, Set.copyOf(years));
    }
}
