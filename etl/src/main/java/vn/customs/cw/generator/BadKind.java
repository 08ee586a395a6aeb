package vn.customs.cw.generator;

/**
 * The kinds of bad record the generator plants with --bad-share; the names are the quarantine reason
 * codes of docs/tables.md, so the ETL tests can check each planted line is quarantined for that reason.
 */
public enum BadKind {
    /** An opening quote that is never closed. */
    MALFORMED_LINE,
    /** One field too few or too many. */
    WRONG_COLUMN_COUNT,
    /** An impossible date in the update-time column, e.g. 2020-13-45. */
    BAD_VALUE,
    /** office_code 99ZZ, not in conf/reference/offices.csv. */
    UNKNOWN_OFFICE,
    /** type_code Z99, not in conf/reference/type_codes.csv. */
    UNKNOWN_TYPE_CODE,
    /** An exact copy of the line before it (same key, same update time). */
    DUPLICATE_KEY,
    /** A declaration event dated before the declaration's registration. */
    STEP_OUT_OF_ORDER,
    /** The line written in ISO-8859-1 bytes instead of UTF-8. */
    NOT_UTF8;

    public static final String BAD_DATE = "2020-13-45";
    public static final String UNKNOWN_OFFICE_CODE = "99ZZ";
    public static final String UNKNOWN_TYPE = "Z99";
}
