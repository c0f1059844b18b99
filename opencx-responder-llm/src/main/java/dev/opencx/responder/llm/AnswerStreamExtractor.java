package dev.opencx.responder.llm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pulls the value of the {@code "answer"} field out of a JSON object while the model is still
 * writing it, so that only the customer-facing text is streamed (never the JSON around it). Feed it
 * the model's chunks in order; it returns the newly decoded answer text of each. Text before the
 * field, after its closing quote, or of a reply that is not JSON at all is never returned.
 * Not thread-safe.
 */
final class AnswerStreamExtractor {
    private static final Pattern KEY = Pattern.compile("\"answer\"\\s*:\\s*\"");

    private final StringBuilder buffer = new StringBuilder();
    private int pos = -1; // index in buffer of the next undecoded answer character; -1 before the field
    private boolean done;

    /** Appends a chunk; returns the answer text it completed (possibly empty). */
    String feed(String chunk) {
        if (done || chunk == null || chunk.isEmpty()) {
            return "";
        }
        buffer.append(chunk);
        if (pos < 0) {
            if (buffer.toString().stripLeading().startsWith("{")
                    || buffer.toString().stripLeading().startsWith("```")) {
                Matcher m = KEY.matcher(buffer);
                if (!m.find()) {
                    return "";
                }
                pos = m.end();
            } else if (!buffer.toString().isBlank()) {
                done = true; // not JSON: nothing is streamed, the final reply is parsed as a whole
                return "";
            } else {
                return "";
            }
        }
        StringBuilder out = new StringBuilder();
        while (pos < buffer.length()) {
            char c = buffer.charAt(pos);
            if (c == '"') {
                done = true;
                break;
            }
            if (c != '\\') {
                out.append(c);
                pos++;
                continue;
            }
            if (pos + 1 >= buffer.length()) {
                break; // wait for the escaped character
            }
            char e = buffer.charAt(pos + 1);
            if (e == 'u') {
                if (pos + 6 > buffer.length()) {
                    break;
                }
                try {
                    out.append((char) Integer.parseInt(buffer.substring(pos + 2, pos + 6), 16));
                } catch (NumberFormatException ex) {
                    done = true;
                    break;
                }
                pos += 6;
                continue;
            }
            out.append(
                    switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        default -> e; // \" \\ \/
                    });
            pos += 2;
        }
        return out.toString();
    }
}
