package dev.opencx.channel.twilio;

import dev.opencx.connect.FormBody;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Reads a webhook's form body strictly: a bad {@code %} escape or bytes that are not UTF-8 are refused. */
final class Forms {
    private Forms() {}

    /**
     * @throws IllegalArgumentException naming what is wrong, never quoting the body
     */
    static FormBody parseStrict(byte[] body) {
        ByteArrayOutputStream piece = new ByteArrayOutputStream();
        for (int i = 0; i <= body.length; i++) {
            byte b = i < body.length ? body[i] : (byte) '&';
            if (b == '&' || b == '=') {
                requireUtf8(piece.toByteArray());
                piece.reset();
            } else if (b == '%') {
                if (i + 2 >= body.length || hex(body[i + 1]) < 0 || hex(body[i + 2]) < 0) {
                    throw new IllegalArgumentException("the form body has a malformed %-escape at byte " + i);
                }
                piece.write(hex(body[i + 1]) * 16 + hex(body[i + 2]));
                i += 2;
            } else {
                piece.write(b == '+' ? ' ' : b);
            }
        }
        return FormBody.parse(body);
    }

    private static void requireUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the form body is not UTF-8");
        }
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
