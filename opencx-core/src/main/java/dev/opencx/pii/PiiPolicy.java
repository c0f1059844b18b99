package dev.opencx.pii;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What happens to personal data: which types are redacted before storage and before the AI, and
 * to which destinations the real values may be restored from the vault.
 *
 * <pre>{@code
 * PiiPolicy policy = PiiPolicy.builder()
 *         .keep(PiiType.LOCATION)                                  // a city alone is not redacted
 *         .revealByDefault(PiiDestination.HELPDESK, PiiDestination.AGENT_VIEW)
 *         .reveal(PiiType.EMAIL, PiiDestination.HELPDESK, PiiDestination.ACTION)
 *         .neverReveal(PiiType.CARD, PiiType.CREDENTIAL)
 *         .build();
 * }</pre>
 *
 * <p>{@link PiiDestination#MODEL} and {@link PiiDestination#LOG} always get placeholders for a
 * redacted type: to let the model see a type, {@link Builder#keep keep} it (it is then not redacted
 * at all). Immutable and thread-safe.
 */
public final class PiiPolicy {
    private static final PiiPolicy OFF = new PiiPolicy(false, Set.of(), Map.of(), Set.of());

    private final boolean enabled;
    private final Set<PiiType> kept;
    private final Map<PiiType, Set<PiiDestination>> perType;
    private final Set<PiiDestination> byDefault;

    private PiiPolicy(
            boolean enabled,
            Set<PiiType> kept,
            Map<PiiType, Set<PiiDestination>> perType,
            Set<PiiDestination> byDefault) {
        this.enabled = enabled;
        this.kept = kept;
        this.perType = perType;
        this.byDefault = byDefault;
    }

    /** No redaction at all (e.g. for an internal test channel). */
    public static PiiPolicy off() {
        return OFF;
    }

    /**
     * The default: every detected type is redacted except {@code LOCATION}, {@code ORGANIZATION} and
     * {@code AGE}; real values go to the helpdesk, the agent view, actions and back to the customer,
     * except payment cards, SSNs and credentials, which are never restored, and IBANs, which only
     * actions receive. A card's security code and expiry date are treated like its number: never
     * restored.
     */
    public static PiiPolicy defaults() {
        return builder()
                .keep(PiiType.LOCATION, PiiType.ORGANIZATION, PiiType.AGE)
                .revealByDefault(
                        PiiDestination.HELPDESK,
                        PiiDestination.AGENT_VIEW,
                        PiiDestination.ACTION,
                        PiiDestination.CUSTOMER)
                .neverReveal(
                        PiiType.CARD, PiiType.CARD_SECURITY_CODE, PiiType.CARD_EXPIRY, PiiType.SSN, PiiType.CREDENTIAL)
                .reveal(PiiType.IBAN, PiiDestination.ACTION)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** True when spans of {@code type} are replaced by placeholders. */
    public boolean redacts(PiiType type) {
        return enabled && !kept.contains(type);
    }

    /** True when the real value of a redacted {@code type} may be restored for {@code destination}. */
    public boolean reveals(PiiType type, PiiDestination destination) {
        if (destination == PiiDestination.MODEL || destination == PiiDestination.LOG) {
            return false;
        }
        Set<PiiDestination> d = perType.get(type);
        return (d != null ? d : byDefault).contains(destination);
    }

    /** The types kept in clear text. */
    public Set<PiiType> keptTypes() {
        return kept;
    }

    @Override
    public String toString() {
        return enabled
                ? "PiiPolicy[keep=" + kept + ", revealByDefault=" + byDefault + ", perType=" + perType + "]"
                : "PiiPolicy[off]";
    }

    /** Builds a {@link PiiPolicy}; by default everything is redacted and nothing revealed. */
    public static final class Builder {
        private final Set<PiiType> kept = new HashSet<>();
        private final Map<PiiType, Set<PiiDestination>> perType = new HashMap<>();
        private Set<PiiDestination> byDefault = EnumSet.noneOf(PiiDestination.class);

        private Builder() {}

        /** Types that are not redacted at all: stored and shown to the model as written. */
        public Builder keep(PiiType... types) {
            for (PiiType t : types) {
                kept.add(Objects.requireNonNull(t, "type"));
            }
            return this;
        }

        /** Destinations that receive real values for every type without its own {@link #reveal} rule. */
        public Builder revealByDefault(PiiDestination... destinations) {
            this.byDefault = checked(null, destinations);
            return this;
        }

        /** Destinations that receive real values of {@code type} (replaces the default for it). */
        public Builder reveal(PiiType type, PiiDestination... destinations) {
            Objects.requireNonNull(type, "type");
            perType.put(type, checked(type, destinations));
            return this;
        }

        /** Types whose real values are never restored, whatever the destination. */
        public Builder neverReveal(PiiType... types) {
            for (PiiType t : types) {
                perType.put(Objects.requireNonNull(t, "type"), EnumSet.noneOf(PiiDestination.class));
            }
            return this;
        }

        private static Set<PiiDestination> checked(PiiType type, PiiDestination... destinations) {
            Set<PiiDestination> s = EnumSet.noneOf(PiiDestination.class);
            for (PiiDestination d : destinations) {
                Objects.requireNonNull(d, "destination");
                if (d == PiiDestination.MODEL || d == PiiDestination.LOG) {
                    throw new IllegalArgumentException(d + " never receives redacted values"
                            + (type == null ? "" : " (type " + type + ")")
                            + "; use keep(type) so the type is not redacted at all");
                }
                s.add(d);
            }
            return s;
        }

        public PiiPolicy build() {
            for (PiiType t : kept) {
                if (perType.containsKey(t)) {
                    throw new IllegalStateException(
                            "type " + t + " is kept in clear text, so a reveal rule for it has no effect");
                }
            }
            Map<PiiType, Set<PiiDestination>> pt = new HashMap<>();
            perType.forEach((k, v) -> pt.put(k, Collections.unmodifiableSet(EnumSet.copyOf(withNone(v)))));
            return new PiiPolicy(
                    true,
                    Set.copyOf(kept),
                    Map.copyOf(pt),
                    Collections.unmodifiableSet(EnumSet.copyOf(withNone(byDefault))));
        }

        private static Set<PiiDestination> withNone(Set<PiiDestination> s) {
            return s.isEmpty() ? EnumSet.noneOf(PiiDestination.class) : s;
        }
    }
}
