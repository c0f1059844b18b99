package dev.opencx.bench;

import dev.opencx.knowledge.BodyFormat;
import dev.opencx.knowledge.KnowledgeDocument;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic, plausible help center: articles across several support topics (orders, billing,
 * accounts, devices...), each with a title, a few markdown sections and 150 to 400 words, and
 * customer questions about them phrased in varied ways. The same seed gives the same texts.
 */
public final class HelpCenterGenerator {

    /** One support topic and its vocabulary. */
    record Domain(String id, String name, String[] objects, String[] actions, String[] problems, String[] details) {}

    static final Domain[] DOMAINS = {
        new Domain(
                "orders",
                "Orders and shipping",
                new String[] {
                    "order",
                    "parcel",
                    "delivery",
                    "shipment",
                    "tracking number",
                    "delivery address",
                    "express shipping",
                    "pickup point",
                    "gift order",
                    "backorder"
                },
                new String[] {"track", "change", "cancel", "combine", "reschedule", "split", "confirm", "update"},
                new String[] {
                    "is late",
                    "shows as delivered but never arrived",
                    "is stuck in transit",
                    "arrived damaged",
                    "went to the wrong address",
                    "is missing an item"
                },
                new String[] {
                    "carriers scan parcels at each depot, so the tracking page can lag by up to a day",
                    "orders placed before 2 pm on a business day usually leave the warehouse the same day",
                    "international shipments may be held by customs for two to five business days",
                    "you can change the delivery address only until the order is packed",
                    "express shipping is available for most postcodes on the mainland",
                    "a pickup point keeps a parcel for fourteen days before it is returned to us"
                }),
        new Domain(
                "returns",
                "Returns and refunds",
                new String[] {
                    "return",
                    "refund",
                    "exchange",
                    "return label",
                    "store credit",
                    "faulty item",
                    "return window",
                    "warranty claim"
                },
                new String[] {"start", "track", "print", "cancel", "request", "extend", "check"},
                new String[] {
                    "has not been refunded yet",
                    "was rejected",
                    "is taking too long",
                    "shows the wrong amount",
                    "label does not print"
                },
                new String[] {
                    "refunds go back to the original payment method within five to ten business days after we receive the item",
                    "items must be unused and in their original packaging to be returned",
                    "the return window is thirty days from the delivery date, or sixty days for members",
                    "exchanges ship as soon as the carrier scans your return parcel",
                    "store credit never expires and can be combined with discount codes",
                    "faulty items are covered by a two-year warranty from the date of purchase"
                }),
        new Domain(
                "billing",
                "Billing and payments",
                new String[] {
                    "invoice",
                    "payment method",
                    "credit card",
                    "charge",
                    "receipt",
                    "billing address",
                    "VAT number",
                    "installment plan",
                    "gift card"
                },
                new String[] {"update", "download", "remove", "add", "dispute", "verify", "pay", "split"},
                new String[] {
                    "was charged twice",
                    "was declined",
                    "shows an unknown charge",
                    "is missing VAT",
                    "does not match my order"
                },
                new String[] {
                    "a pending authorization is released by your bank within three to seven days",
                    "invoices are available in your account under Orders as soon as the order ships",
                    "we accept major credit cards, PayPal, Apple Pay and bank transfer",
                    "a VAT number can be added before checkout and appears on the invoice",
                    "installment plans are offered for orders above one hundred euros",
                    "gift cards can be used together with one other payment method"
                }),
        new Domain(
                "account",
                "Account and security",
                new String[] {
                    "password",
                    "email address",
                    "two-factor authentication",
                    "account",
                    "login",
                    "profile",
                    "security key",
                    "recovery code",
                    "username"
                },
                new String[] {"reset", "change", "enable", "disable", "recover", "delete", "verify", "unlock"},
                new String[] {
                    "is locked",
                    "does not receive the verification email",
                    "was hacked",
                    "keeps logging me out",
                    "says the code is invalid"
                },
                new String[] {
                    "password reset links expire after thirty minutes for your security",
                    "after five failed login attempts the account is locked for fifteen minutes",
                    "two-factor authentication works with any authenticator app that supports TOTP",
                    "deleting your account removes your order history and cannot be undone",
                    "recovery codes can each be used once; store them somewhere safe",
                    "verification emails can land in the spam or promotions folder"
                }),
        new Domain(
                "app",
                "Mobile app",
                new String[] {
                    "mobile app",
                    "notifications",
                    "app update",
                    "offline mode",
                    "dark mode",
                    "widget",
                    "app language",
                    "saved cart"
                },
                new String[] {"install", "update", "turn on", "turn off", "sync", "reinstall", "configure"},
                new String[] {
                    "crashes on startup",
                    "does not sync",
                    "shows a blank screen",
                    "drains the battery",
                    "will not install"
                },
                new String[] {
                    "the app supports iOS 15 and Android 10 or newer",
                    "clearing the app cache keeps your login but removes downloaded images",
                    "notifications can be chosen per category in Settings, Notifications",
                    "offline mode keeps your last viewed orders and saved items available",
                    "updates roll out gradually over a few days in every store",
                    "signing out and back in refreshes the session and fixes most sync issues"
                }),
        new Domain(
                "subscription",
                "Subscriptions and membership",
                new String[] {
                    "subscription",
                    "membership",
                    "plan",
                    "free trial",
                    "renewal",
                    "member discount",
                    "annual plan",
                    "family plan"
                },
                new String[] {"cancel", "pause", "upgrade", "downgrade", "renew", "share", "switch"},
                new String[] {
                    "renewed without warning", "discount is not applied", "shows the wrong plan", "cannot be cancelled"
                },
                new String[] {
                    "you can pause a subscription for up to three months at a time",
                    "renewal reminders are sent seven days before the renewal date",
                    "cancelling keeps your benefits until the end of the paid period",
                    "a family plan can be shared with up to five people in the same household",
                    "upgrades take effect immediately and are charged pro rata",
                    "free trials convert to a paid plan unless cancelled a day before they end"
                }),
        new Domain(
                "device",
                "Device setup",
                new String[] {
                    "smart thermostat",
                    "wireless speaker",
                    "router",
                    "camera",
                    "bluetooth headset",
                    "firmware",
                    "charging dock",
                    "remote control",
                    "smart plug"
                },
                new String[] {"set up", "pair", "reset", "update", "connect", "mount", "calibrate"},
                new String[] {
                    "will not connect to Wi-Fi",
                    "keeps disconnecting",
                    "does not turn on",
                    "is not detected",
                    "blinks red",
                    "makes a buzzing noise"
                },
                new String[] {
                    "most devices need a 2.4 GHz Wi-Fi network during setup",
                    "a factory reset is done by holding the button for ten seconds until the light blinks",
                    "firmware updates install overnight when the device is idle",
                    "keep the device within ten metres of the router while pairing",
                    "the status light turns solid green once the device is online",
                    "use the original charger: cheaper adapters may not deliver enough power"
                }),
        new Domain(
                "integrations",
                "Integrations and API",
                new String[] {
                    "API key",
                    "webhook",
                    "Shopify integration",
                    "Slack integration",
                    "calendar sync",
                    "single sign-on",
                    "data export",
                    "rate limit"
                },
                new String[] {"create", "rotate", "configure", "test", "revoke", "connect", "disconnect"},
                new String[] {
                    "returns a 401 error", "stopped working", "sends duplicate events", "times out", "is missing data"
                },
                new String[] {
                    "API keys are shown once when created; store them in a secret manager",
                    "webhooks are retried with exponential backoff for up to twenty-four hours",
                    "the rate limit is one hundred requests per minute per key",
                    "single sign-on supports SAML 2.0 and OpenID Connect providers",
                    "data exports are generated as CSV files and emailed within an hour",
                    "disconnecting an integration keeps the data that was already synced"
                }),
        new Domain(
                "privacy",
                "Privacy and data",
                new String[] {
                    "personal data",
                    "cookie settings",
                    "marketing emails",
                    "data request",
                    "newsletter",
                    "location sharing"
                },
                new String[] {"download", "delete", "opt out of", "manage", "correct", "restrict"},
                new String[] {"keep arriving after I unsubscribed", "are not saved", "takes longer than a month"},
                new String[] {
                    "we answer data requests within thirty days, as the GDPR requires",
                    "you can unsubscribe from marketing emails with the link at the bottom of every email",
                    "cookie preferences are stored per browser and device",
                    "we never sell personal data to third parties",
                    "location sharing is only used to suggest nearby pickup points"
                }),
        new Domain(
                "stores",
                "Stores and pickup",
                new String[] {
                    "click and collect",
                    "store pickup",
                    "store appointment",
                    "in-store return",
                    "price match",
                    "store opening hours"
                },
                new String[] {"book", "change", "cancel", "check", "request"},
                new String[] {"is not ready yet", "was cancelled", "is not available near me"},
                new String[] {
                    "click and collect orders are ready within two hours during opening hours",
                    "bring your order confirmation and a photo ID to collect",
                    "in-store returns are refunded on the spot to the original payment method",
                    "we match the price of major retailers for identical items in stock",
                    "appointments can be booked up to three weeks ahead"
                }),
    };

    static final String[] PLATFORMS = {
        "on the website",
        "in the iOS app",
        "in the Android app",
        "from the account page",
        "by email",
        "at checkout",
        "in a store"
    };
    static final String[] AUDIENCES = {
        "for guests",
        "for members",
        "for business accounts",
        "outside the EU",
        "in the UK",
        "for marketplace sellers",
        "for students",
        ""
    };
    static final String[] HEADINGS = {
        "Before you start",
        "Step by step",
        "If it still does not work",
        "Good to know",
        "Limits and exceptions",
        "What happens next",
        "Common questions",
        "Troubleshooting",
        "Timelines",
        "Contacting us"
    };
    static final String[] CONNECT = {
        "Also,",
        "Note that",
        "In most cases",
        "Please keep in mind that",
        "If you are unsure,",
        "Usually",
        "As a rule,",
        "For your information,"
    };
    static final String[] STEP_VERBS = {"Open", "Go to", "Select", "Tap", "Choose", "Check", "Confirm", "Enter"};
    static final String[] PLACES = {
        "Settings",
        "your account",
        "Orders",
        "the order details page",
        "Help",
        "Payments",
        "Security",
        "Notifications",
        "the device menu",
        "the app menu"
    };

    private HelpCenterGenerator() {}

    /** {@code n} articles; ids {@code a00000}...; deterministic in {@code seed}. */
    public static List<KnowledgeDocument> articles(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<KnowledgeDocument> out = new ArrayList<>(n);
        LinkedHashSet<String> titles = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            Domain d = DOMAINS[i % DOMAINS.length];
            String title;
            int tries = 0;
            do {
                title = title(d, r, tries++ > 5);
            } while (!titles.add(title));
            out.add(new KnowledgeDocument(
                    String.format(Locale.ROOT, "a%05d", i),
                    title,
                    body(d, title, r),
                    BodyFormat.MARKDOWN,
                    "https://help.example.com/" + d.id + "/" + i,
                    "en",
                    d.name,
                    Map.of()));
        }
        return out;
    }

    private static String title(Domain d, SplittableRandom r, boolean qualify) {
        String obj = pick(d.objects, r);
        String act = pick(d.actions, r);
        String title =
                switch (r.nextInt(6)) {
                    case 0 -> "How to " + act + " your " + obj;
                    case 1 -> "Why my " + obj + " " + pick(d.problems, r);
                    case 2 -> cap(act) + " a " + obj + " " + pick(PLATFORMS, r);
                    case 3 -> "What to do when your " + obj + " " + pick(d.problems, r);
                    case 4 -> "Can I " + act + " my " + obj + " " + pick(PLATFORMS, r) + "?";
                    default -> cap(obj) + ": how to " + act + " it";
                };
        String aud = pick(AUDIENCES, r);
        if ((qualify || r.nextInt(3) == 0) && !aud.isEmpty()) {
            title = title.endsWith("?") ? title.substring(0, title.length() - 1) + " " + aud + "?" : title + " " + aud;
        }
        if (qualify) {
            title = title + " (" + (2019 + r.nextInt(7)) + " "
                    + pick(new String[] {"update", "policy", "guide", "edition"}, r) + ")";
        }
        return title;
    }

    private static String body(Domain d, String title, SplittableRandom r) {
        int targetWords = 150 + r.nextInt(251);
        StringBuilder sb = new StringBuilder();
        sb.append(intro(d, title, r)).append("\n\n");
        int words = count(sb);
        int sections = 0;
        List<String> headings = new ArrayList<>(List.of(HEADINGS));
        while (words < targetWords) {
            String h = headings.remove(r.nextInt(headings.size()));
            sb.append("## ").append(h).append("\n\n");
            if (h.equals("Step by step") || h.equals("Troubleshooting")) {
                int steps = 3 + r.nextInt(3);
                for (int s = 1; s <= steps; s++) {
                    sb.append(s).append(". ").append(step(d, r)).append('\n');
                }
                sb.append('\n');
            } else {
                int sentences = 2 + r.nextInt(4);
                for (int s = 0; s < sentences; s++) {
                    sb.append(sentence(d, r)).append(' ');
                }
                sb.append("\n\n");
            }
            words = count(sb);
            if (++sections >= HEADINGS.length - 1) {
                break;
            }
        }
        return trimToWords(sb.toString().strip(), 400);
    }

    private static String intro(Domain d, String title, SplittableRandom r) {
        String obj = pick(d.objects, r);
        return "This article explains " + lower(title.replace("?", "")) + ". It applies to every " + obj + " "
                + pick(PLATFORMS, r) + ". " + cap(pick(d.details, r)) + ".";
    }

    private static String step(Domain d, SplittableRandom r) {
        return pick(STEP_VERBS, r) + " " + pick(PLACES, r) + " and "
                + pick(new String[] {"look for", "select", "find", "tap"}, r) + " " + cap(pick(d.objects, r)) + ". "
                + (r.nextBoolean() ? cap(pick(d.details, r)) + "." : "Follow the instructions on screen.");
    }

    private static String sentence(Domain d, SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0 -> pick(CONNECT, r) + " " + pick(d.details, r) + ".";
            case 1 -> "If your " + pick(d.objects, r) + " " + pick(d.problems, r) + ", " + lower(pick(STEP_VERBS, r))
                    + " " + pick(PLACES, r) + " first; " + pick(d.details, r) + ".";
            case 2 -> "You can " + pick(d.actions, r) + " the " + pick(d.objects, r) + " " + pick(PLATFORMS, r)
                    + " at any time.";
            case 3 -> cap(pick(d.details, r)) + ", and " + pick(d.details, r) + ".";
            default -> "Customers often ask whether they can " + pick(d.actions, r) + " a " + pick(d.objects, r) + " "
                    + pick(PLATFORMS, r) + ": yes, as long as " + pick(d.details, r) + ".";
        };
    }

    static final String[] OPENERS = {
        "",
        "",
        "Hi, ",
        "Hello! ",
        "Hey there, ",
        "Good morning, ",
        "Quick question: ",
        "Hi team, ",
        "Sorry to bother you, "
    };
    static final String[] CLOSERS = {
        "", "", "", " Thanks!", " Thank you in advance.", " Any help appreciated.", " Cheers", " Please advise."
    };
    static final String[] CONTEXTS = {
        "",
        "",
        "I ordered last week",
        "I tried twice already",
        "it worked fine yesterday",
        "this is my first time",
        "I am on the premium plan",
        "I just moved house",
        "my friend had the same issue",
        "I checked the FAQ"
    };

    /**
     * {@code n} distinct customer questions about the articles' subjects, in varied phrasings with
     * varied details (order numbers, context), so that no two are the same text.
     */
    public static List<String> questions(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        LinkedHashSet<String> out = new LinkedHashSet<>();
        while (out.size() < n) {
            Domain d = DOMAINS[r.nextInt(DOMAINS.length)];
            String obj = pick(d.objects, r);
            String act = pick(d.actions, r);
            String q =
                    switch (r.nextInt(8)) {
                        case 0 -> "how do I " + act + " my " + obj + "?";
                        case 1 -> "my " + obj + " " + pick(d.problems, r) + ", what should I do?";
                        case 2 -> "is it possible to " + act + " the " + obj + " " + pick(PLATFORMS, r) + "?";
                        case 3 -> "I want to " + act + " my " + obj + " but I can't find where.";
                        case 4 -> "any idea why my " + obj + " " + pick(d.problems, r) + "?";
                        case 5 -> "can you help me " + act + " my " + obj + " " + pick(AUDIENCES, r) + "?";
                        case 6 -> "need help: " + obj + " " + pick(d.problems, r) + ".";
                        default -> "what's the policy to " + act + " a " + obj + "?";
                    };
            String ctx = pick(CONTEXTS, r);
            String ref = r.nextInt(3) == 0 ? " (order " + (100000 + r.nextInt(900000)) + ")" : "";
            String text = pick(OPENERS, r) + q + (ctx.isEmpty() ? "" : " " + cap(ctx) + ".") + ref + pick(CLOSERS, r);
            out.add(cap(text.replace("  ", " ").strip()));
        }
        return new ArrayList<>(out);
    }

    private static int count(CharSequence s) {
        int n = 0;
        boolean in = false;
        for (int i = 0; i < s.length(); i++) {
            boolean ws = Character.isWhitespace(s.charAt(i));
            if (!ws && !in) {
                n++;
            }
            in = !ws;
        }
        return n;
    }

    private static String trimToWords(String s, int max) {
        if (count(s) <= max) {
            return s;
        }
        int n = 0;
        boolean in = false;
        for (int i = 0; i < s.length(); i++) {
            boolean ws = Character.isWhitespace(s.charAt(i));
            if (!ws && !in && ++n > max) {
                String cut = s.substring(0, i).strip();
                int dot = cut.lastIndexOf(". ");
                return dot > cut.length() / 2 ? cut.substring(0, dot + 1) : cut;
            }
            in = !ws;
        }
        return s;
    }

    private static String pick(String[] a, SplittableRandom r) {
        return a[r.nextInt(a.length)];
    }

    private static String cap(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String lower(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
