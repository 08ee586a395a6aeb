package vn.customs.cw.contracts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The milestones of a declaration's clearance, in their usual order. The source sends one row per
 * milestone (declaration_events.milestone); silver pivots them to one row per declaration with
 * a {@link #column()} timestamp and an {@link #actorColumn()} for each.
 */
public enum Milestone {
    ARRIVAL("arrived_at", Actor.PORT),
    REGISTRATION("registered_at", Actor.TRADER),
    CHANNEL_ASSIGNED("channel_assigned_at", Actor.CUSTOMS),
    CHANNEL_CHANGED("channel_changed_at", Actor.CUSTOMS),
    DOC_CHECK_START("doc_check_started_at", Actor.CUSTOMS),
    DOC_CHECK_END("doc_check_ended_at", Actor.CUSTOMS),
    SUPPLEMENT_REQUESTED("supplement_requested_at", Actor.CUSTOMS),
    SUPPLEMENT_SUBMITTED("supplement_submitted_at", Actor.TRADER),
    SI_SUBMITTED("si_submitted_at", Actor.TRADER),
    SI_RESULT("si_result_at", Actor.AGENCY),
    PHYSICAL_INSPECTION_START("physical_inspection_started_at", Actor.PORT),
    PHYSICAL_INSPECTION_END("physical_inspection_ended_at", Actor.CUSTOMS),
    TAX_PAID("tax_paid_at", Actor.TRADER),
    RELEASE("released_at", Actor.CUSTOMS),
    CLEARANCE("cleared_at", Actor.CUSTOMS),
    GATE_OUT("gated_out_at", Actor.PORT),
    CANCELLATION("cancelled_at", Actor.TRADER);

    private final String column;
    private final Actor usualActor;

    Milestone(String column, Actor usualActor) {
        this.column = column;
        this.usualActor = usualActor;
    }

    /** Silver column holding the milestone's timestamp, e.g. {@code released_at}. */
    public String column() {
        return column;
    }

    /** Silver column holding who acted at the milestone, e.g. {@code release_actor}. */
    public String actorColumn() {
        return name().toLowerCase(Locale.ROOT) + "_actor";
    }

    /** The actor the generator uses and the source normally reports; the data's own actor wins. */
    public Actor usualActor() {
        return usualActor;
    }

    public static Optional<Milestone> parse(String code) {
        return Arrays.stream(values()).filter(m -> m.name().equals(code)).findFirst();
    }
}
