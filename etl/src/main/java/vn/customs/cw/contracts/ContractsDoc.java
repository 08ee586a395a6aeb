package vn.customs.cw.contracts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Renders docs/contracts.md from {@link Source}, so the written contract cannot drift from the code:
 * {@code java ... vn.customs.cw.contracts.ContractsDoc docs/contracts.md}. The prose (format,
 * reference data, calendar) lives here too; ContractsDocTest checks every column is in the file.
 */
public final class ContractsDoc {
    private ContractsDoc() {}

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0] : "docs/contracts.md");
        Files.writeString(target, render(), StandardCharsets.UTF_8);
        System.out.println("wrote " + target.toAbsolutePath());
    }

    static String cell(String s) {
        return s.replace("|", "\\|");
    }

    public static String render() {
        StringBuilder b = new StringBuilder();
        b.append("""
                # Landing-file contracts

                <!-- Generated from etl/src/main/java/vn/customs/cw/contracts/Source.java by ContractsDoc;
                     edit Source.java (and ContractsDoc for the prose), then regenerate. -->

                What the sources deliver into the landing zone and what `./cw generate` writes. The silver and
                gold tables built from these files are in [tables.md](tables.md).

                ## Format (every source)
                - Path: `landing/<source>/<yyyy-mm-dd>/<source>_<yyyymmdd>.csv`, one file per source and
                  **landing day**. The landing day is the day the record was produced or updated: the date, in
                  +07:00, of its update-time column (`updated_at`, `recorded_at` or `reported_at`). A record
                  updated later (a declaration cleared, an NSW result, a task completed) lands again, as a new
                  version, on that later day; silver keeps the latest version per key.
                - CSV, UTF-8 (no BOM), comma separated, RFC 4180 quoting (a field holding a comma or a quote is
                  quoted; quotes are doubled). Exactly one header line with the column names below, in this
                  order. **One record per physical line**: no field contains a newline, so a file can be read,
                  and a bad record quarantined, by physical line number (the header is line 1).
                - Empty field = null. Timestamps are ISO-8601 with their offset, `2020-05-11T08:12:45+07:00`
                  (Spark: `timestampFormat = yyyy-MM-dd'T'HH:mm:ssXXX`); dates `yyyy-MM-dd`; decimals with a dot;
                  booleans `true`/`false`.
                - Every day of a generated range has a file for every source (header only when nothing landed).
                - Events that have not happened by the last landing day are not in the files: a declaration
                  registered near the end of a range has no clearance yet. A range starting on day F holds what
                  landed from F on, including late milestones of declarations registered before F (up to 50 days:
                  the long tail), whose registration landed earlier.
                - Bad records (only with `./cw generate --bad-share F`): see the end of this page.

                """);
        for (Source s : Source.values()) {
            b.append("## ").append(s.folder()).append("\n");
            b.append(s.description()).append(".\n\n");
            b.append("- File: `").append(s.landingFile(java.time.LocalDate.of(2020, 5, 11))).append("`\n");
            b.append("- Business key: ").append(String.join(", ", s.keys().stream().map(k -> "`" + k + "`").toList()))
                    .append("; version order: `").append(s.updatedAtColumn()).append("` (latest wins)\n\n");
            b.append("| column | type | nullable | meaning | example |\n|---|---|---|---|---|\n");
            for (Column c : s.columns()) {
                b.append("| `").append(c.name()).append("` | ").append(c.typeName()).append(" | ")
                        .append(c.nullable() ? "yes" : "no").append(" | ").append(cell(c.description())).append(" | `")
                        .append(cell(c.example())).append("` |\n");
            }
            b.append("\n").append(notes(s));
        }
        b.append("""
                ## Reference data (`conf/reference/*.csv`)
                Under version control, UTF-8 CSV with a header; copied to `silver.ref_*` on every run. Every code a
                source sends must be in these files (else the record is quarantined as `UNKNOWN_OFFICE`,
                `UNKNOWN_TYPE_CODE` or `UNKNOWN_CODE`).

                | file | columns | content |
                |---|---|---|
                | departments.csv | department_code, department_name, province | `20` Cục Hải quan tỉnh Quảng Ninh, `03` Cục Hải quan thành phố Hải Phòng, `11` Cục Hải quan tỉnh Cao Bằng |
                | offices.csv | office_code, department_code, office_name, is_border_gate, works_saturday | sub-departments (chi cục): 2-digit department prefix + 2 characters. Quảng Ninh: `20BB` Móng Cái, `20BC` Hoành Mô, `20BD` Bắc Phong Sinh, `20CE` Vạn Gia, `20CF` Hòn Gai, `20CG` Cẩm Phả, `20B1` Bắc Luân, `20B2` Ka Long; Hải Phòng: `03CC`, `03EE`, `03PJ`, `03CE` (ports), `03NK` (investment/processing goods, not a border gate); Cao Bằng: `11B1` Tà Lùng, `11B2` Trà Lĩnh, `11BH` Sóc Giang, `11G1` Bí Hà |
                | teams.csv | office_code, team_code, team_name | 2-digit teams (đội) under each office: `01` Đội Thủ tục hàng hóa xuất nhập khẩu, `02` Đội Kiểm soát hải quan, `03` Đội Giám sát |
                | type_codes.csv | type_code, direction, description | mã loại hình with direction `IMPORT` (A11, A12, A21, A31, A41, E11…E41, G11–G14, G51) or `EXPORT` (B11–B13, E42…E82, G21–G24, G61, H21). The declaration number's first digit must match: 1 import, 3 export |
                | transport_modes.csv | transport_mode, description | 1 air, 2 sea container, 3 sea bulk, 4 road, 5 rail, 6 river, 9 other |
                | channels.csv | channel_code, channel_name, description | 1 Luồng xanh (green, no check), 2 Luồng vàng (yellow, document check), 3 Luồng đỏ (red, documents and goods) |
                | satisfaction_levels.csv | level, level_name, is_satisfied, needs_follow_up | 5 Rất hài lòng, 4 Hài lòng (satisfied), 3 Bình thường, 2 Không hài lòng, 1 Rất không hài lòng (need follow-up) |
                | holidays.csv | holiday_date, holiday_name | Vietnamese public holidays (days off, including substitute days) 2019–2022 |

                **Working-day calendar** (`silver.ref_calendar`): a day is a working day when it is Monday to Friday
                and not in holidays.csv; border gates (offices with `works_saturday = true`) also work Saturdays
                (`is_border_working_day`: Monday to Saturday, not a holiday). Public holidays are off everywhere.
                The generator follows it: declarations cluster on working days, with few on Sundays and holidays.

                ## Bad records (`--bad-share F`)
                With a bad share, that share of lines (spread across sources) is replaced by, or followed by, a
                bad one, and `<out>/_manifest/bad_records.csv` lists each: `source,file,record_no,kind`, where
                `file` is relative to the output folder and `record_no` is the 1-based physical line number (the
                header is line 1). Kinds are the quarantine reason codes of tables.md:

                | kind | what the line looks like |
                |---|---|
                | `MALFORMED_LINE` | an opening quote that is never closed (`"104339917920,A11,…`) |
                | `WRONG_COLUMN_COUNT` | one field too few or an extra field |
                | `BAD_VALUE` | the update-time column holds an impossible date, `2020-13-45T…` |
                | `UNKNOWN_OFFICE` | `office_code` = `99ZZ` |
                | `UNKNOWN_TYPE_CODE` | `type_code` = `Z99` (declarations) |
                | `DUPLICATE_KEY` | an exact copy of the line before it (same key, same update time); the copy is listed |
                | `STEP_OUT_OF_ORDER` | a declaration event (not REGISTRATION/ARRIVAL) dated before the declaration's registration |
                | `NOT_UTF8` | the line written in ISO-8859-1 bytes (a Vietnamese name such as `Công ty …` is not valid UTF-8) |

                `<out>/_manifest/generation.json` records from, to, scale, seed, bad share, departments, number block and rows
                per source; the benchmark reuses a landing folder when they match.

                ## Demo data: `./cw generate`
                ```
                ./cw generate --from 2020-05-01 --to 2020-05-31 [--scale 1] [--seed 2020] [--out landing]
                              [--bad-share 0] [--departments 03,11,20] [--number-block 0]
                ```
                Deterministic for a seed: every (department, day) has its own random stream, so a day's files are
                the same whatever the range. `--scale 1` is about the real departments (Quảng Ninh ≈ 60,000
                declarations a year, `cw.generator.declarations-per-year`, split over offices by
                `cw.generator.office-weights`); `--scale 68.5` is national volume (≈ 13.7 M a year). At scale 1 the
                data reproduces the published figures in shape (checked by GeneratorCalibrationTest): Quảng Ninh's
                May 2020 week ≈ 10 h import / 2 h 30 min export release time, 2019 about 5% / 11% slower, customs'
                own share ≈ 7% / 17%, the published channel mix, Hòn Gai under 5 h / 2.5 h, Vạn Gia under 3
                declarations a week; Jan–Sep 2020 vs 2019 NSW −7.5%, E-Manifest +22%, electronic C/O form D −16%;
                94% of dossiers online; 52 reform tasks (48 done by 30 Sept); 9.7% of declarations rated, 95.5%
                satisfied; revenue VND 9,259 bn by 13 Sept 2020 against MOF 9,500 / GDC 10,500 bn.
                
                `--number-block 1` adds 5 to the department digit of every declaration number (`1` + day + department
                + sequence) and changes nothing else: days generated again at another scale on top of a warehouse
                (`./cw bench --night` does so for its lead-in and night) never share a number with the first run,
                which would mix two declarations' headers and step events.
                """);
        return b.toString();
    }

    private static String notes(Source s) {
        return switch (s) {
            case DECLARATIONS -> """
                    Versions: the header lands when the channel is assigned on the registration day (channel = the
                    initial channel, status 0), and again when the declaration is cleared (final channel, e.g. `3`
                    after a yellow→red switch, sometimes with a suffix such as `3D`) or cancelled (status 1 during
                    clearance, or a third version with status 2 after clearance).

                    """;
            case DECLARATION_EVENTS -> """
                    One row per milestone (at most one of each per declaration), in the order of
                    `contracts/Milestone.java`: ARRIVAL (optional, before registration, mostly imports by sea or
                    road), REGISTRATION, CHANNEL_ASSIGNED, CHANNEL_CHANGED (yellow→red), DOC_CHECK_START/END
                    (yellow and red), SUPPLEMENT_REQUESTED/SUBMITTED, SI_SUBMITTED/SI_RESULT (specialised
                    inspection), PHYSICAL_INSPECTION_START/END (red), TAX_PAID, RELEASE, CLEARANCE (days after
                    RELEASE for goods released but not yet cleared), GATE_OUT, CANCELLATION. `actor` is the
                    milestone's usual actor; `officer_id` is set for CUSTOMS actions. `event_id` is
                    `<declaration_no>-<nn>`, unique.

                    """;
            case NSW_DOSSIERS -> "Lands when submitted (no result) and again when the result comes back.\n\n";
            case DOSSIER_REPORTS -> """
                    Filed on the 5th of the following month. Either the split (`in_person`, `post`) or only the
                    combined `in_person_or_post` is given. The reports are the department's own figures and need not
                    agree with the dossier records, nor with themselves: Quảng Ninh's 2020 reports give only
                    `in_person_or_post`, and over Jan–Sep 2020 `total_received` exceeds `online + in_person_or_post`
                    by 19 (as the published 127,258 vs 119,910 + 7,329).

                    """;
            case REFORM_TASKS -> "Versions: NOT_STARTED when the plan is issued (January), IN_PROGRESS, COMPLETED on `completed_on`.\n\n";
            case SATISFACTION_RATINGS -> "Ratings exist since 1 Apr 2020 (pilot 25–31 Mar 2020); the worst of the three levels decides satisfied (≥ 4) or follow-up.\n\n";
            default -> "";
        };
    }
}
