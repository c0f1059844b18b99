package dev.opencx.channel.twilio;

import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Answers a retried Twilio webhook once: Twilio repeats a webhook it got no timely answer to with
 * the same {@code I-Twilio-Idempotency-Token} header, so the first request with a token is handled,
 * and a retry gets the first one's answer (waiting for it while it is still being worked on)
 * without being handled again. An answer that was not a success (not 2xx) is forgotten, so a
 * retry after, say, a store outage is handled anew.
 *
 * <pre>{@code
 * TwilioIdempotency retries = TwilioIdempotency.remembering(10_000);
 * WebhookHandler handler = request -> verifier.isSigned(request, mount)
 *         ? retries.once(request, () -> answer(request))   // answer may be WebResponse.later(...)
 *         : TwilioWebhookVerifier.unauthorized();
 * }</pre>
 *
 * <p>In memory and bounded (the oldest tokens are forgotten first): it saves the work of a retry
 * within minutes; what must hold across restarts (one stored message per {@code MessageSid}) is
 * the store's dedupe. Requests without the header (or with an implausibly long one) are always
 * handled. Thread-safe.
 */
public final class TwilioIdempotency {
    /** The header Twilio repeats on every retry of one webhook. */
    public static final String HEADER = "I-Twilio-Idempotency-Token";

    private static final int MAX_TOKEN_LENGTH = 256;

    private final int capacity;
    private final ConcurrentHashMap<String, CompletableFuture<WebResponse>> answers = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    private TwilioIdempotency(int capacity) {
        this.capacity = capacity;
    }

    /**
     * @param capacity how many tokens to remember (at least 1; 10,000 covers minutes of traffic at
     *     hundreds of webhooks a second)
     */
    public static TwilioIdempotency remembering(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        return new TwilioIdempotency(capacity);
    }

    /**
     * Handles {@code request} with {@code work} unless a request with the same token was handled
     * (or is being handled): then answers what that one answered. Call it only for requests that
     * passed the signature check, or a forger could poison a token.
     *
     * @param work produces the answer; may return a {@link WebResponse#later deferred} response
     */
    public WebResponse once(WebRequest request, Supplier<WebResponse> work) {
        Objects.requireNonNull(work, "work");
        String token = request.header(HEADER).orElse("");
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return work.get();
        }
        CompletableFuture<WebResponse> mine = new CompletableFuture<>();
        CompletableFuture<WebResponse> earlier = answers.putIfAbsent(token, mine);
        if (earlier != null) {
            return WebResponse.later(earlier.copy());
        }
        remember(token);
        WebResponse response;
        try {
            response = Objects.requireNonNull(work.get(), "work returned null");
        } catch (RuntimeException e) {
            answers.remove(token, mine);
            mine.complete(WebResponse.error(500, "internal_error", "the server failed to handle the request"));
            throw e;
        }
        response.completion().whenComplete((r, failure) -> {
            if (failure != null || r == null || r.status() < 200 || r.status() > 299) {
                answers.remove(token, mine); // a retry must be handled again
            }
            mine.complete(r == null ? WebResponse.tooLate() : r);
        });
        return response;
    }

    /** True when a successful answer (or one in progress) is remembered for {@code token}. */
    public boolean remembers(String token) {
        return answers.containsKey(token);
    }

    private void remember(String token) {
        order.add(token);
        if (size.incrementAndGet() > capacity) {
            String oldest = order.poll();
            if (oldest != null) {
                size.decrementAndGet();
                CompletableFuture<WebResponse> f = answers.get(oldest);
                if (f != null) {
                    f.whenComplete((r, t) -> answers.remove(oldest, f)); // at once when done already
                }
            }
        }
    }

    @Override
    public String toString() {
        return "TwilioIdempotency{remembered=" + answers.size() + ", capacity=" + capacity + "}";
    }
}
