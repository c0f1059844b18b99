package dev.opencx.topics;

import dev.opencx.autopilot.Topic;
import java.util.List;

/** The topics of a small online store, five examples each: the fixture of the classifier tests. */
final class StoreTopics {
    private StoreTopics() {}

    static final List<Topic> ALL = List.of(
            new Topic(
                    "orders",
                    "Orders, shipping, delivery and tracking of parcels",
                    List.of(
                            "where is my order",
                            "my package has not arrived yet",
                            "how long does shipping take",
                            "can I track my parcel",
                            "can I change the delivery address of my order")),
            new Topic(
                    "returns",
                    "Returning items, exchanges and refunds",
                    List.of(
                            "how do I return an item",
                            "I want a refund",
                            "can I exchange these shoes for a bigger size",
                            "when will I get my money back",
                            "the product arrived broken and I want to send it back")),
            new Topic(
                    "account",
                    "Customer account, login, password and profile",
                    List.of(
                            "I forgot my password",
                            "I can't log in to my account",
                            "how do I change my email address",
                            "how do I delete my account",
                            "I did not receive the verification code")),
            new Topic(
                    "billing",
                    "Billing, payments, invoices and charges",
                    List.of(
                            "I was charged twice",
                            "my card was declined",
                            "can I pay with PayPal",
                            "where can I download my invoice",
                            "why is there an extra fee on my bill")));
}
