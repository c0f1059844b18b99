package dev.opencx.test.channel;

import dev.opencx.OpenCx;
import dev.opencx.channel.Channel;
import dev.opencx.conversation.Identity;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A channel under test together with a fake of its provider, as {@link ChannelContract} drives
 * them. The fake speaks the provider's real wire format: {@link #deliver} sends what the provider
 * would send (a signed webhook, a mail on the IMAP server, a widget request) to the channel's real
 * entry point, and {@link #sent} reads back what the provider received from the channel.
 *
 * <p>One fixture serves one test: the contract calls {@link ChannelContract#fixture()}, builds an
 * {@code OpenCx} around {@link #channel()} (through {@link #configure}), calls {@link #started},
 * runs the test, then closes the {@code OpenCx} and the fixture.
 */
public interface ChannelFixture extends AutoCloseable {

    /** The channel under test, not started yet; the same instance on every call. */
    Channel channel();

    /**
     * The identity of test customer {@code n} (1, 2, 9 …) as the channel reports it: an e-mail
     * address, an E.164 phone number, a Slack user. Distinct customers have distinct identities.
     */
    Identity customer(int n);

    /**
     * The provider delivers a message of customer {@code n}. Returns once the channel has answered
     * the provider (for a webhook), or once the channel has taken the message in (for a polling
     * transport such as IMAP, whose fixture returns 200 after that).
     *
     * @param providerMessageId the provider's id of the message; the same id twice is the
     *     provider retrying one delivery
     * @return the HTTP status the channel answered the provider with
     */
    int deliver(int customer, String providerMessageId, String text) throws Exception;

    /**
     * The same, with a signature or credential that does not verify.
     *
     * @return the status the channel answered; empty when the channel has no way to tell a forged
     *     message (the contract then skips the check)
     */
    OptionalInt deliverForged(int customer, String providerMessageId, String text) throws Exception;

    /**
     * A correctly signed request whose payload is not one the provider would send (broken JSON, a
     * message without a sender).
     *
     * @return the status the channel answered; empty when not applicable
     */
    OptionalInt deliverMalformed() throws Exception;

    /** What the provider received from the channel so far, in order. */
    List<Sent> sent();

    /**
     * Makes the provider refuse the next {@code n} outbound calls with an error worth retrying
     * ({@code 429} with {@code Retry-After}, a {@code 5xx}, an SMTP {@code 421}).
     *
     * @return false when the provider cannot fail (an in-process channel); the contract then skips
     *     the retry check
     */
    boolean failNextSends(int n);

    /**
     * Whether a message written outside a customer's turn (an agent's reply an hour later) can
     * reach the customer. True for messaging channels; false for a phone call that has ended.
     */
    default boolean reachesCustomerLater() {
        return true;
    }

    /**
     * Adds what the channel needs to the {@code OpenCx} the contract builds (a store, a second
     * channel, notices). The contract has set the channel, a responder, a helpdesk and fast outbox
     * retries already. Default: nothing.
     */
    default OpenCx.Builder configure(OpenCx.Builder builder) {
        return builder;
    }

    /** Called once the {@code OpenCx} is built and the channel started (start a web server here). */
    default void started(OpenCx cx) throws Exception {}

    @Override
    default void close() throws Exception {}

    /**
     * One message as the provider received it.
     *
     * @param recipient the customer it was addressed to, mapped back from the provider's address
     *     (a Slack thread maps to the customer who started it)
     * @param text the text as the customer will see it, without transport framing (TwiML, MIME
     *     headers, JSON); markup the channel added may remain
     */
    record Sent(Identity recipient, String text) {
        public Sent {
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(text, "text");
        }
    }
}
