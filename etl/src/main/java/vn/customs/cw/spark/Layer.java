package vn.customs.cw.spark;

/** Medallion layers, plus ops for the run log, quarantine and data-check results. */
public enum Layer {
    BRONZE, SILVER, GOLD, OPS;

    public String db() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
