package dev.opencx.channel.email.reply;

import java.util.Objects;

/**
 * What a customer wrote in an e-mail, without the quoted history and the signature.
 *
 * <p>All three texts are never null; trailing whitespace is removed from every line, and blank lines
 * from both ends.
 *
 * @param reply the customer's text: neither quoted history nor signature (empty if the mail holds
 *     nothing else, e.g. a bare forward)
 * @param replyWithSignature the customer's text with quoted history removed but the signature kept
 * @param signature the signature that {@code reply} leaves out, delimiter line included ({@code "-- "}
 *     or a closing like "Thanks,"); empty if none was found
 */
public record ExtractedReply(String reply, String replyWithSignature, String signature) {

    public ExtractedReply {
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(replyWithSignature, "replyWithSignature");
        Objects.requireNonNull(signature, "signature");
    }

    /** Whether a signature was found. */
    public boolean hasSignature() {
        return !signature.isEmpty();
    }
}
