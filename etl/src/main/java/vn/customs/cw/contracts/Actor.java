package vn.customs.cw.contracts;

/** Who acted at a milestone; an interval ending at a milestone is attributed to its actor. */
public enum Actor {
    /** Customs officers or the customs system (VNACCS/VCIS). */
    CUSTOMS,
    /** The declarant or its broker: declaring, supplementing documents, paying tax. */
    TRADER,
    /** Another ministry's specialised inspection, answered through the NSW. */
    AGENCY,
    /** Port, warehouse or carrier: moving goods, gate operations (VASSCM). */
    PORT
}
