package dev.opencx.channel.twilio.voice;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A TwiML document under construction: elements with attributes and text, every value XML-escaped
 * (and characters XML 1.0 cannot carry dropped), so a reply that contains {@code <}, {@code &} or
 * quotes is spoken as written and never changes the document.
 */
final class Twiml {
    private final String name;
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private final List<Twiml> children = new ArrayList<>();
    private String text = "";

    private Twiml(String name) {
        this.name = name;
    }

    /** A {@code <Response>}. */
    static Twiml response() {
        return new Twiml("Response");
    }

    /** Adds a child element and returns it. */
    Twiml add(String element) {
        Twiml child = new Twiml(element);
        children.add(child);
        return child;
    }

    /** Sets an attribute (skipped when the value is empty); returns this element. */
    Twiml attr(String attribute, String value) {
        Objects.requireNonNull(value, attribute);
        if (!value.isEmpty()) {
            attributes.put(attribute, value);
        }
        return this;
    }

    /** Sets the element's text; returns this element. */
    Twiml text(String value) {
        this.text = Objects.requireNonNull(value, "text");
        return this;
    }

    /** The document with its XML declaration. */
    String toXml() {
        StringBuilder sb = new StringBuilder(256).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        write(sb);
        return sb.toString();
    }

    private void write(StringBuilder sb) {
        sb.append('<').append(name);
        attributes.forEach((k, v) ->
                sb.append(' ').append(k).append("=\"").append(escape(v)).append('"'));
        if (children.isEmpty() && text.isEmpty()) {
            sb.append("/>");
            return;
        }
        sb.append('>').append(escape(text));
        for (Twiml c : children) {
            c.write(sb);
        }
        sb.append("</").append(name).append('>');
    }

    /** Escapes text and attribute values; drops what XML 1.0 cannot carry (control characters, lone surrogates). */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                case '\t', '\n', '\r' -> sb.append(' ');
                default -> {
                    if (Character.isHighSurrogate(c)
                            && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (c >= 0x20 && !Character.isSurrogate(c) && c != '\uFFFE' && c != '\uFFFF') {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
