package dev.opencx.channel.whatsapp;

import dev.opencx.connect.Signatures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Webhook deliveries exactly as Meta's WhatsApp Cloud API sends them: the shapes of Meta's
 * "Webhooks payload examples" (developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples)
 * as summarised in the project's PROTOCOLS.md §2, with the field order Meta uses, values in the
 * same form (ids and timestamps as strings, coordinates as numbers) and non-ASCII text escaped the
 * way Meta escapes it ({@code \u00e4}, lower case). Written here, not copied.
 */
final class Meta {
    static final String WABA_ID = "102290129340398";
    static final String PHONE_NUMBER_ID = "123456123";
    static final String DISPLAY_NUMBER = "16505551111";
    static final String APP_SECRET = "app_secret";

    private Meta() {}

    /** {@code sha256=<hex>} of the body under the secret, as Meta signs. */
    static String sign(String secret, byte[] body) {
        return "sha256=" + Signatures.hex(Signatures.hmacSha256(secret, body));
    }

    static String now() {
        return Long.toString(Instant.now().getEpochSecond());
    }

    /** One entry with one {@code messages} change whose value holds {@code valueFields}. */
    static String delivery(String valueFields) {
        return delivery(PHONE_NUMBER_ID, valueFields);
    }

    static String delivery(String phoneNumberId, String valueFields) {
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[" + entry(phoneNumberId, valueFields) + "]}";
    }

    static String entry(String phoneNumberId, String valueFields) {
        return "{\"id\":\"" + WABA_ID + "\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\","
                + "\"metadata\":{\"display_phone_number\":\"" + DISPLAY_NUMBER + "\",\"phone_number_id\":\""
                + phoneNumberId + "\"}," + valueFields + "},\"field\":\"messages\"}]}";
    }

    static String contacts(String waId, String name) {
        return "\"contacts\":[{\"profile\":{\"name\":\"" + name + "\"},\"wa_id\":\"" + waId + "\"}]";
    }

    /** A customer text message; {@code jsonBody} is already JSON-escaped (as Meta escapes it). */
    static String text(String waId, String name, String wamid, String timestamp, String jsonBody) {
        return delivery(contacts(waId, name) + ",\"messages\":[" + textMessage(waId, wamid, timestamp, jsonBody) + "]");
    }

    static String textMessage(String waId, String wamid, String timestamp, String jsonBody) {
        return "{\"from\":\"" + waId + "\",\"id\":\"" + wamid + "\",\"timestamp\":\"" + timestamp
                + "\",\"text\":{\"body\":\"" + jsonBody + "\"},\"type\":\"text\"}";
    }

    static String image(String waId, String name, String wamid, String mediaId, String caption) {
        return delivery(contacts(waId, name) + ",\"messages\":[{\"from\":\"" + waId + "\",\"id\":\"" + wamid
                + "\",\"timestamp\":\"" + now() + "\",\"type\":\"image\",\"image\":{\"caption\":\"" + caption
                + "\",\"mime_type\":\"image/jpeg\",\"sha256\":\"NdkE5E8ia9XBRdgtSWJ6Mw1nZXUa/FxPDgo1wh7aaSQ=\",\"id\":\""
                + mediaId + "\"}}]");
    }

    static String document(String waId, String name, String wamid, String mediaId, String filename) {
        return delivery(contacts(waId, name) + ",\"messages\":[{\"from\":\"" + waId + "\",\"id\":\"" + wamid
                + "\",\"timestamp\":\"" + now() + "\",\"type\":\"document\",\"document\":{\"filename\":\"" + filename
                + "\",\"mime_type\":\"application/pdf\",\"sha256\":\"Gb3Xy1GKkKjyYuq2dw2qhz0oxUSDlD0rrVlRkH8T1yc=\",\"id\":\""
                + mediaId + "\"}}]");
    }

    static String buttonReply(String waId, String name, String wamid, String contextId, String buttonId, String title) {
        return delivery(contacts(waId, name) + ",\"messages\":[{\"context\":{\"from\":\"" + DISPLAY_NUMBER
                + "\",\"id\":\"" + contextId + "\"},\"from\":\"" + waId + "\",\"id\":\"" + wamid
                + "\",\"timestamp\":\"" + now()
                + "\",\"type\":\"interactive\",\"interactive\":{\"type\":\"button_reply\","
                + "\"button_reply\":{\"id\":\"" + buttonId + "\",\"title\":\"" + title + "\"}}}]");
    }

    static String listReply(String waId, String name, String wamid, String rowId, String title) {
        return delivery(contacts(waId, name) + ",\"messages\":[{\"from\":\"" + waId + "\",\"id\":\"" + wamid
                + "\",\"timestamp\":\"" + now()
                + "\",\"type\":\"interactive\",\"interactive\":{\"type\":\"list_reply\","
                + "\"list_reply\":{\"id\":\"" + rowId + "\",\"title\":\"" + title
                + "\",\"description\":\"next business day\"}}}]");
    }

    static String templateButton(String waId, String name, String wamid, String text, String payload) {
        return delivery(contacts(waId, name) + ",\"messages\":[{\"context\":{\"from\":\"" + DISPLAY_NUMBER
                + "\",\"id\":\"wamid.TEMPLATE1\"},\"from\":\"" + waId + "\",\"id\":\"" + wamid + "\",\"timestamp\":\""
                + now() + "\",\"type\":\"button\",\"button\":{\"text\":\"" + text + "\",\"payload\":\"" + payload
                + "\"}}]");
    }

    static String location(String waId, String name, String wamid) {
        return delivery(contacts(waId, name) + ",\"messages\":[{\"from\":\"" + waId + "\",\"id\":\"" + wamid
                + "\",\"timestamp\":\"" + now() + "\",\"location\":{\"latitude\":52.520008,\"longitude\":13.404954,"
                + "\"name\":\"Alexanderplatz\",\"address\":\"10178 Berlin\"},\"type\":\"location\"}]");
    }

    static String reaction(String waId, String name, String wamid, String reactedTo) {
        return delivery(contacts(waId, name) + ",\"messages\":[{\"from\":\"" + waId + "\",\"id\":\"" + wamid
                + "\",\"timestamp\":\"" + now() + "\",\"reaction\":{\"message_id\":\"" + reactedTo
                + "\",\"emoji\":\"\\ud83d\\udc4d\"},\"type\":\"reaction\"}]");
    }

    static String unsupported(String waId, String name, String wamid) {
        return delivery(contacts(waId, name) + ",\"messages\":[{\"from\":\"" + waId + "\",\"id\":\"" + wamid
                + "\",\"timestamp\":\"" + now() + "\",\"errors\":[{\"code\":131051,\"details\":\"Message type is not"
                + " currently supported\",\"title\":\"Unsupported message type\"}],\"type\":\"unsupported\"}]");
    }

    static String system(String waId, String wamid) {
        return delivery("\"messages\":[{\"from\":\"" + waId + "\",\"id\":\"" + wamid + "\",\"timestamp\":\"" + now()
                + "\",\"system\":{\"body\":\"NAME changed from " + waId
                + " to 16315559999\",\"new_wa_id\":\"16315559999\","
                + "\"type\":\"user_changed_number\"},\"type\":\"system\"}]");
    }

    /** A status report of a message we sent; {@code callbackData} null leaves the field out. */
    static String status(String wamid, String status, String recipient, String callbackData) {
        return delivery("\"statuses\":[" + statusObject(wamid, status, recipient, callbackData, "") + "]");
    }

    static String failedStatus(String wamid, String recipient, String callbackData, int code, String title) {
        String errors = ",\"errors\":[{\"code\":" + code + ",\"title\":\"" + title + "\",\"message\":\"" + title
                + "\",\"error_data\":{\"details\":\"Message failed to send because more than 24 hours have passed"
                + " since the customer last replied to this number.\"},\"href\":\"https://developers.facebook.com/docs/"
                + "whatsapp/cloud-api/support/error-codes/\"}]";
        return delivery("\"statuses\":[" + statusObject(wamid, "failed", recipient, callbackData, errors) + "]");
    }

    static String statusObject(String wamid, String status, String recipient, String callbackData, String extra) {
        String conversation = status.equals("failed")
                ? ""
                : ",\"conversation\":{\"id\":\"CONVERSATION_ID\",\"expiration_timestamp\":\""
                        + (Instant.now().getEpochSecond() + 86_400)
                        + "\",\"origin\":{\"type\":\"service\"}},\"pricing\":{\"billable\":true,\"pricing_model\":\"CBP\","
                        + "\"category\":\"service\"}";
        return "{\"id\":\"" + wamid + "\",\"status\":\"" + status + "\",\"timestamp\":\"" + now()
                + "\",\"recipient_id\":\"" + recipient + "\""
                + (callbackData == null ? "" : ",\"biz_opaque_callback_data\":\"" + callbackData + "\"")
                + conversation + extra + "}";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
