package vn.customs.cw.reports;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The standard reports; {@link #template()} is the JRXML name under {@code reports/}. */
public enum ReportKind {
    REFORM("reform"), RELEASE_TIME("release-time"), SATISFACTION("satisfaction");

    private final String template;

    ReportKind(String template) {
        this.template = template;
    }

    public String template() { return template; }

    public static ReportKind parse(String name) {
        return Arrays.stream(values()).filter(k -> k.template.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown report '" + name + "': expected "
                        + Arrays.stream(values()).map(ReportKind::template).collect(Collectors.joining(", "))));
    }
}
