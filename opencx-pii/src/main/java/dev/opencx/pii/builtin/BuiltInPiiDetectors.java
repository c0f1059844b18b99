package dev.opencx.pii.builtin;

import dev.opencx.pii.PiiDetector;
import dev.opencx.pii.PiiDetectors;
import dev.opencx.pii.PiiSpan;
import dev.opencx.pii.PiiType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The built-in PII detectors in one composite detector.
 *
 * <pre>{@code
 * PiiDetector detector = BuiltInPiiDetectors.builder()
 *         .phoneRegions("US", "GB", "DE")                               // national numbers of these countries
 *         .pattern(PiiType.of("ORDER_NUMBER"), "\\bORD-\\d{6}\\b")      // your own patterns
 *         .build();
 * OpenCx.builder().pii(detector, PiiPolicy.defaults());
 * }</pre>
 *
 * <p>Types found: {@code EMAIL}, {@code PHONE} (libphonenumber), {@code CARD} (Luhn and issuer
 * prefix), {@code CARD_SECURITY_CODE} and {@code CARD_EXPIRY} (after their keywords in several
 * languages, or next to a card number), {@code IBAN} (mod 97), {@code SSN}, {@code IP_ADDRESS} (v4 and v6), {@code URL},
 * {@code CREDENTIAL} (key prefixes, bearer tokens, {@code password: …}, high-entropy tokens),
 * {@code DATE_OF_BIRTH}, {@code AGE}, {@code PERSON}, {@code ADDRESS}, {@code POSTAL_CODE},
 * {@code LOCATION}, {@code ORGANIZATION}, {@code TITLE} and {@code NATIONALITY}. Names and
 * addresses come from rules and a small gazetteer, not a model: see the module README for their
 * measured recall. Spans may overlap (an e-mail inside a URL); {@link PiiDetectors#resolveOverlaps}
 * keeps the longest, as the redactor does among the types a policy redacts. The detector is
 * immutable and thread-safe; it never logs the text.
 */
public final class BuiltInPiiDetectors {
    private BuiltInPiiDetectors() {}

    /** Every built-in detector with the default phone regions. */
    public static PiiDetector all() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A security code or expiry date found next to a card or after its keyword wins over a span of
     * another built-in type on the same digits ("Prüfziffer 123" also reads as a street and number):
     * card data is never revealed, an address is, so the digits must not be typed as one.
     */
    private static void dropWhatOverlapsCardDetails(List<PiiSpan> spans) {
        List<PiiSpan> details = new ArrayList<>();
        for (PiiSpan s : spans) {
            if (s.type().equals(PiiType.CARD_SECURITY_CODE) || s.type().equals(PiiType.CARD_EXPIRY)) {
                details.add(s);
            }
        }
        if (details.isEmpty()) {
            return;
        }
        spans.removeIf(s -> !s.type().equals(PiiType.CARD_SECURITY_CODE)
                && !s.type().equals(PiiType.CARD_EXPIRY)
                && !s.type().equals(PiiType.CARD)
                && details.stream().anyMatch(d -> d.overlaps(s)));
    }

    /** Configures the composite. */
    public static final class Builder {
        private static final List<String> DEFAULT_REGIONS = List.of(
                "US", "GB", "DE", "FR", "ES", "IT", "NL", "BE", "CH", "AT", "SE", "NO", "DK", "FI", "PL", "PT", "IE",
                "AU", "NZ", "CA", "IN", "BR", "MX");
        private List<String> regions = DEFAULT_REGIONS;
        private final Set<PiiType> without = new HashSet<>();
        private final List<PiiDetector> extra = new ArrayList<>();
        private double minConfidence = 0.0;

        private Builder() {}

        /**
         * Countries whose national phone numbers (without +country code) are recognized; numbers
         * written with {@code +} or {@code 00} are recognized for every country. Default: US, GB,
         * DE, FR, ES, IT, NL, BE, CH, AT, SE, NO, DK, FI, PL, PT, IE, AU, NZ, CA, IN, BR, MX.
         */
        public Builder phoneRegions(String... regions) {
            Set<String> s = new LinkedHashSet<>();
            Set<String> supported =
                    com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance().getSupportedRegions();
            for (String r : regions) {
                String up = Objects.requireNonNull(r, "region").toUpperCase(Locale.ROOT);
                if (!supported.contains(up)) {
                    throw new IllegalArgumentException(
                            "unknown phone region '" + r + "' (use ISO 3166 codes like US, DE)");
                }
                s.add(up);
            }
            if (s.isEmpty()) {
                throw new IllegalArgumentException("phoneRegions needs at least one region");
            }
            this.regions = List.copyOf(s);
            return this;
        }

        /** Turns off the built-in detection of these types. */
        public Builder without(PiiType... types) {
            for (PiiType t : types) {
                without.add(Objects.requireNonNull(t, "type"));
            }
            return this;
        }

        /** Adds a pattern of your own (see {@link PiiDetectors#pattern}). */
        public Builder pattern(PiiType type, String regex) {
            extra.add(PiiDetectors.pattern(type, regex));
            return this;
        }

        /** Adds a detector of your own. */
        public Builder add(PiiDetector detector) {
            extra.add(Objects.requireNonNull(detector, "detector"));
            return this;
        }

        /** Drops spans below this confidence (default 0: keep all; recall matters more than precision). */
        public Builder minConfidence(double min) {
            if (!(min >= 0 && min <= 1)) {
                throw new IllegalArgumentException("minConfidence must be within 0..1, was " + min);
            }
            this.minConfidence = min;
            return this;
        }

        public PiiDetector build() {
            List<PiiDetector> ds = new ArrayList<>();
            ds.add(StructuredDetectors.email());
            ds.add(new PhoneDetector(regions));
            ds.add(StructuredDetectors.card());
            ds.add(new CardDetailsDetector());
            ds.add(StructuredDetectors.iban());
            ds.add(StructuredDetectors.ssn());
            ds.add(StructuredDetectors.ip());
            ds.add(StructuredDetectors.url());
            ds.add(new CredentialDetector());
            ds.add(new DateAgeDetector());
            ds.add(new AddressDetector());
            ds.add(new NameDetector());
            List<PiiDetector> custom = List.copyOf(extra);
            Set<PiiType> off = Set.copyOf(without);
            double min = minConfidence;
            List<PiiDetector> builtIns = List.copyOf(ds);
            return text -> {
                Objects.requireNonNull(text, "text");
                List<PiiSpan> spans = new ArrayList<>();
                for (PiiDetector d : builtIns) {
                    for (PiiSpan s : d.detect(text)) {
                        if (!off.contains(s.type()) && s.confidence() >= min) {
                            spans.add(s);
                        }
                    }
                }
                dropWhatOverlapsCardDetails(spans);
                for (PiiDetector d : custom) {
                    // your own patterns win ties: confidence 1
                    spans.addAll(d.detect(text));
                }
                spans.sort(java.util.Comparator.comparingInt(PiiSpan::start).thenComparingInt(PiiSpan::end));
                return List.copyOf(spans);
            };
        }
    }
}
