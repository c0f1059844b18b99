package dev.opencx.channel.slack;

import dev.opencx.connect.Signatures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Slack's request signature, version {@code v0}: {@code X-Slack-Signature} is {@code "v0="} followed
 * by the hex HMAC-SHA256, under the app's signing secret, of {@code "v0:" + X-Slack-Request-Timestamp
 * + ":" + body}, computed over the raw body bytes. A request whose timestamp is more than five
 * minutes from our clock is refused as a replay, whatever its signature.
 *
 * <pre>{@code
 * SlackSignature check = SlackSignature.of(List.of(signingSecret), Clock.systemUTC());
 * Optional<String> refusal = check.refusal(request.header("X-Slack-Request-Timestamp").orElse(null),
 *         request.header("X-Slack-Signature").orElse(null), request.body());
 * }</pre>
 *
 * <p>Several secrets are tried in turn (the new and the previous one while you rotate); every
 * comparison is in constant time. Thread-safe. Its {@code toString} never shows a secret.
 */
public final class SlackSignature {
    /** How far a request's timestamp may be from our clock: 300 s, as Slack recommends. */
    public static final Duration REPLAY_WINDOW = Duration.ofMinutes(5);

    private final List<String> secrets;
    private final Clock clock;

    private SlackSignature(List<String> secrets, Clock clock) {
        this.secrets = List.copyOf(secrets);
        this.clock = clock;
    }

    /**
     * @param secrets the signing secrets to accept, at least one, none blank
     * @param clock the clock timestamps are compared with
     */
    public static SlackSignature of(List<String> secrets, Clock clock) {
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(clock, "clock");
        if (secrets.isEmpty() || secrets.stream().anyMatch(s -> s == null || s.isBlank())) {
            throw new IllegalArgumentException("at least one signing secret is needed, and none may be blank");
        }
        return new SlackSignature(secrets, clock);
    }

    /**
     * The signature Slack sends for {@code body} at {@code timestamp} under {@code secret}: {@code
     * v0=<64 hex digits>}.
     */
    public static String sign(String secret, String timestamp, byte[] body) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(body, "body");
        byte[] prefix = ("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8);
        byte[] base = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, base, 0, prefix.length);
        System.arraycopy(body, 0, base, prefix.length, body.length);
        return "v0=" + Signatures.hex(Signatures.hmacSha256(secret, base));
    }

    /**
     * Why a request must be refused, or empty when it is signed by one of the secrets within the
     * replay window. The reason is a sentence for the sender's developer; it never quotes a secret
     * nor the expected signature.
     *
     * @param timestamp the {@code X-Slack-Request-Timestamp} header, null when missing
     * @param signature the {@code X-Slack-Signature} header, null when missing
     * @param body the raw body bytes
     */
    public Optional<String> refusal(String timestamp, String signature, byte[] body) {
        Objects.requireNonNull(body, "body");
        if (timestamp == null || timestamp.isBlank()) {
            return Optional.of("X-Slack-Request-Timestamp is missing");
        }
        if (signature == null || signature.isBlank()) {
            return Optional.of("X-Slack-Signature is missing");
        }
        String ts = timestamp.strip();
        if (ts.length() > 12 || !ts.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of("X-Slack-Request-Timestamp must be whole seconds since the epoch");
        }
        long skew = Math.abs(clock.instant().getEpochSecond() - Long.parseLong(ts));
        if (skew > REPLAY_WINDOW.toSeconds()) {
            return Optional.of("X-Slack-Request-Timestamp is " + skew + " s away from our clock; more than "
                    + REPLAY_WINDOW.toSeconds() + " s is refused as a replay");
        }
        if (!signature.startsWith("v0=")) {
            return Optional.of("X-Slack-Signature must be a v0 signature ('v0=' and 64 hex digits)");
        }
        boolean ok = false;
        for (String secret : secrets) {
            // every secret is tried, so the time taken does not tell which one matched
            ok |= Signatures.equalsConstantTime(sign(secret, ts, body), signature.strip());
        }
        return ok
                ? Optional.empty()
                : Optional.of("X-Slack-Signature does not match the body under the app's signing secret");
    }

    @Override
    public String toString() {
        return "SlackSignature{v0, secrets=" + secrets.size() + ", window=" + REPLAY_WINDOW.toSeconds() + " s}";
    }
}
