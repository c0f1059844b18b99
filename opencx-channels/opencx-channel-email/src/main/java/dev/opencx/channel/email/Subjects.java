package dev.opencx.channel.email;

import dev.opencx.conversation.TicketNumber;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Subjects of replies ({@code Re: <the customer's subject> [#1042]}) and the tokens we read back from them. */
final class Subjects {
    /** {@code [#1042]}: how {@link TicketNumber#toString()} prints, in brackets. */
    private static final Pattern TICKET = Pattern.compile("\\[#(\\d{1,18})]");
    /** Reply and forward prefixes of common mail programs, repeated or numbered ({@code Re[2]:}). */
    private static final Pattern PREFIX = Pattern.compile(
            "^\\s*(?:(?:re|aw|sv|vs|antw|odp|rif|res|fw|fwd|wg|tr|rv|enc)(?:\\[\\d+])?\\s*:\\s*)+",
            Pattern.CASE_INSENSITIVE);

    private Subjects() {}

    /** The ticket number of a {@code [#1042]} token in a subject. */
    static Optional<TicketNumber> ticket(String subject) {
        Matcher m = TICKET.matcher(subject);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(TicketNumber.of(Long.parseLong(m.group(1))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The ticket number of a plus address {@code support+1042@shop.example} of ours among the recipients. */
    static Optional<TicketNumber> plusTicket(List<String> recipients, String ourLocal, String ourDomain) {
        String prefix = ourLocal.toLowerCase(Locale.ROOT) + "+";
        String suffix = "@" + ourDomain.toLowerCase(Locale.ROOT);
        for (String r : recipients) {
            if (r.startsWith(prefix) && r.endsWith(suffix)) {
                String token = r.substring(prefix.length(), r.length() - suffix.length());
                if (token.matches("\\d{1,18}")) {
                    try {
                        return Optional.of(TicketNumber.of(Long.parseLong(token)));
                    } catch (IllegalArgumentException ignored) {
                        // 0 is not a ticket number
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The subject without reply/forward prefixes and without our ticket token. */
    static String base(String subject) {
        String s = TICKET.matcher(subject).replaceAll(" ");
        s = PREFIX.matcher(s).replaceFirst("");
        return s.replaceAll("\\s+", " ").strip();
    }

    /** {@code Re: <base>} plus the ticket token when asked for. */
    static String reply(String subject, TicketNumber ticket, boolean withToken) {
        String base = base(subject);
        String s = base.isEmpty() ? "" : "Re: " + base;
        if (withToken) {
            s = (s + " [" + ticket + "]").strip();
        }
        return s;
    }
}
