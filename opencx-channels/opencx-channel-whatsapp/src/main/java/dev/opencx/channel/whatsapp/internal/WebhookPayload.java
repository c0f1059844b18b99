package dev.opencx.channel.whatsapp.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opencx.conversation.Attachment;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.InboundMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One webhook delivery of the WhatsApp Cloud API, read as a Jackson tree: the customer messages to
 * store, the status reports of our own messages, and what was skipped (and why). Unknown fields are
 * ignored and unknown message types skipped, so a new field or type never fails a delivery;
 * something that breaks the documented shape (no {@code entry}, a message without {@code id} or
 * {@code from}) fails the whole delivery with {@link Malformed} before anything is stored.
 */
public final class WebhookPayload {
    /** The prefix of an attachment reference to a WhatsApp media id: {@code whatsapp-media:<id>}. */
    public static final String MEDIA_SCHEME = "whatsapp-media:";

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
    private static final Set<String> MEDIA = Set.of("image", "audio", "video", "document", "sticker");

    /** A customer message and the WhatsApp id of its sender. */
    public record Inbound(InboundMessage message, String waId) {}

    /**
     * A status report of a message we sent.
     *
     * @param wamid the message's WhatsApp id
     * @param status {@code sent}, {@code delivered}, {@code read}, {@code failed}, or a newer word
     * @param callbackData our {@code biz_opaque_callback_data} as Meta echoes it, empty when absent
     * @param error code and title of the first error, empty when none
     * @param errorCode the first error's code, 0 when none
     */
    public record Status(String wamid, String status, String callbackData, String error, int errorCode) {}

    /** The delivery does not have the shape Meta documents. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;
        private final String code;

        Malformed(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        /** {@code invalid_json}, {@code wrong_object} or {@code invalid_payload}. */
        public String code() {
            return code;
        }
    }

    private final List<Inbound> messages;
    private final List<Status> statuses;
    private final List<String> skipped;

    private WebhookPayload(List<Inbound> messages, List<Status> statuses, List<String> skipped) {
        this.messages = List.copyOf(messages);
        this.statuses = List.copyOf(statuses);
        this.skipped = List.copyOf(skipped);
    }

    /** Customer messages in the order they came. */
    public List<Inbound> messages() {
        return messages;
    }

    /** Status reports in the order they came. */
    public List<Status> statuses() {
        return statuses;
    }

    /** What was skipped, one short reason each (types and ids, never text or numbers). */
    public List<String> skipped() {
        return skipped;
    }

    /**
     * Reads a delivery.
     *
     * @param body the raw body (after its signature was checked)
     * @param channel the channel id the messages are for
     * @param phoneNumberId our phone number id: changes for other numbers of the account are skipped
     */
    public static WebhookPayload parse(byte[] body, ChannelId channel, String phoneNumberId) throws Malformed {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Malformed(
                    "invalid_json",
                    "the body is not JSON: " + reason(e.getOriginalMessage()) + " at line "
                            + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr());
        } catch (java.io.IOException e) {
            throw new Malformed("invalid_json", "the body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new Malformed("invalid_payload", "the body is not a JSON object");
        }
        String object = root.path("object").asText("");
        if (!object.equals("whatsapp_business_account")) {
            throw new Malformed(
                    "wrong_object",
                    "object is '" + abbreviate(object) + "', expected 'whatsapp_business_account'"
                            + " (subscribe this URL to the WhatsApp Business Account only)");
        }
        JsonNode entries = root.get("entry");
        if (entries == null || !entries.isArray()) {
            throw new Malformed("invalid_payload", "entry is missing or not an array");
        }
        List<Inbound> messages = new ArrayList<>();
        List<Status> statuses = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int e = 0; e < entries.size(); e++) {
            JsonNode changes = entries.get(e).path("changes");
            String at = "entry[" + e + "].changes";
            if (changes.isMissingNode()) {
                continue;
            }
            if (!changes.isArray()) {
                throw new Malformed("invalid_payload", at + " is not an array");
            }
            for (int c = 0; c < changes.size(); c++) {
                JsonNode change = changes.get(c);
                String path = at + "[" + c + "]";
                String field = change.path("field").asText("");
                if (!field.equals("messages")) {
                    skipped.add(path + ": field '" + abbreviate(field) + "'");
                    continue;
                }
                JsonNode value = change.path("value");
                String number = value.path("metadata").path("phone_number_id").asText("");
                if (!number.isEmpty() && !number.equals(phoneNumberId)) {
                    skipped.add(path + ": for phone number id " + abbreviate(number));
                    continue;
                }
                for (JsonNode error : value.path("errors")) {
                    // an error of the account or the number, beside (or instead of) messages
                    skipped.add(path + ".value.errors: " + error.path("code").asInt(0) + " "
                            + abbreviate(error.path("title").asText("")));
                }
                readMessages(value, path + ".value", channel, messages, skipped);
                readStatuses(value, path + ".value", statuses);
            }
        }
        return new WebhookPayload(messages, statuses, skipped);
    }

    private static void readMessages(
            JsonNode value, String path, ChannelId channel, List<Inbound> out, List<String> skipped) throws Malformed {
        JsonNode list = value.path("messages");
        if (list.isMissingNode()) {
            return;
        }
        if (!list.isArray()) {
            throw new Malformed("invalid_payload", path + ".messages is not an array");
        }
        Map<String, String> names = new HashMap<>();
        for (JsonNode contact : value.path("contacts")) {
            String waId = contact.path("wa_id").asText("");
            String name = contact.path("profile").path("name").asText("");
            if (!waId.isEmpty() && !name.isBlank()) {
                names.put(waId, name);
            }
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            String at = path + ".messages[" + i + "]";
            String id = required(m, "id", at);
            String from = required(m, "from", at);
            String type = required(m, "type", at);
            Identity identity;
            try {
                identity = Identity.phone("+" + from);
            } catch (IllegalArgumentException ex) {
                throw new Malformed("invalid_payload", at + ".from is not a WhatsApp id (digits of a phone number)");
            }
            InboundMessage.Builder b = InboundMessage.builder(channel)
                    .from(identity)
                    .externalId(id)
                    .displayName(names.getOrDefault(from, ""));
            Instant sent = epochSeconds(m.path("timestamp").asText(""));
            if (sent != null) {
                b.receivedAt(sent);
            }
            String text = textOf(m, type, at, b);
            if (text == null) {
                skipped.add(at + ": type '" + abbreviate(type) + "' (" + id + ")");
                continue;
            }
            b.text(text);
            InboundMessage msg = b.build(); // text or attachment: checked by textOf
            out.add(new Inbound(msg, from));
        }
    }

    /** The text to store for a message, attachments added to {@code b}; null to skip it. */
    private static String textOf(JsonNode m, String type, String at, InboundMessage.Builder b) throws Malformed {
        if (type.equals("text")) {
            String body = m.path("text").path("body").asText("");
            return body.isBlank() ? null : body;
        }
        if (MEDIA.contains(type)) {
            JsonNode media = m.path(type);
            String mediaId = media.path("id").asText("");
            if (mediaId.isEmpty()) {
                throw new Malformed("invalid_payload", at + "." + type + ".id is missing");
            }
            b.attachment(new Attachment(
                    MEDIA_SCHEME + mediaId,
                    media.path("mime_type").asText(""),
                    media.path("filename").asText(""),
                    -1));
            return media.path("caption").asText("");
        }
        switch (type) {
            case "interactive" -> {
                JsonNode in = m.path("interactive");
                String kind = in.path("type").asText("");
                if (kind.equals("button_reply") || kind.equals("list_reply")) {
                    JsonNode reply = in.path(kind);
                    String title = reply.path("title").asText("");
                    String text = title.isBlank() ? reply.path("id").asText("") : title;
                    return text.isBlank() ? null : text;
                }
                return null;
            }
            case "button" -> {
                JsonNode button = m.path("button");
                String text = button.path("text").asText("");
                text = text.isBlank() ? button.path("payload").asText("") : text;
                return text.isBlank() ? null : text;
            }
            case "location" -> {
                JsonNode loc = m.path("location");
                if (!loc.path("latitude").isNumber() || !loc.path("longitude").isNumber()) {
                    throw new Malformed("invalid_payload", at + ".location has no numeric latitude and longitude");
                }
                List<String> lines = new ArrayList<>();
                for (String f : List.of("name", "address")) {
                    String v = loc.path(f).asText("");
                    if (!v.isBlank()) {
                        lines.add(v.strip());
                    }
                }
                // RFC 5870: a language-neutral way to say where; apps and agents open it on a map
                lines.add("geo:" + loc.path("latitude").asText() + ","
                        + loc.path("longitude").asText());
                return String.join("\n", lines);
            }
            default -> {
                return null; // reaction, unsupported, system, contacts, order, and types added later
            }
        }
    }

    private static void readStatuses(JsonNode value, String path, List<Status> out) throws Malformed {
        JsonNode list = value.path("statuses");
        if (list.isMissingNode()) {
            return;
        }
        if (!list.isArray()) {
            throw new Malformed("invalid_payload", path + ".statuses is not an array");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode s = list.get(i);
            String at = path + ".statuses[" + i + "]";
            String wamid = required(s, "id", at);
            String status = required(s, "status", at);
            JsonNode error = s.path("errors").path(0);
            int code = error.path("code").asInt(0);
            String title = error.path("title").asText(error.path("message").asText(""));
            String text = error.isMissingNode() ? "" : (code + " " + title).strip();
            out.add(new Status(wamid, status, s.path("biz_opaque_callback_data").asText(""), text, code));
        }
    }

    private static String required(JsonNode node, String field, String at) throws Malformed {
        JsonNode v = node.path(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new Malformed("invalid_payload", at + "." + field + " is missing");
        }
        return v.asText();
    }

    private static Instant epochSeconds(String s) {
        if (s.isEmpty() || s.length() > 12 || !s.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Instant.ofEpochSecond(Long.parseLong(s));
    }

    /** Jackson's words without the parts that quote the source. */
    private static String reason(String message) {
        String m = message == null ? "malformed" : message;
        for (String cut : List.of("\n", " (start marker", " at [Source")) {
            int i = m.indexOf(cut);
            m = i < 0 ? m : m.substring(0, i);
        }
        return m.length() <= 160 ? m : m.substring(0, 160) + "…";
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("[^A-Za-z0-9_.: -]", "?");
        return clean.length() <= 40 ? clean : clean.substring(0, 40) + "…";
    }
}
