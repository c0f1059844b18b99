package dev.opencx.channel.twilio.voice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TwimlTest {

    @Test
    void escapes_text_and_attributes_so_a_reply_cannot_change_the_document() {
        Twiml r = Twiml.response();
        r.add("Say").attr("voice", "a\"b<c").text("</Say><Hangup/> & 'quotes'");
        r.add("Redirect").attr("method", "POST").text("https://x.example/turn?n=1&s=2");

        VoiceRig.Twiml parsed = VoiceRig.Twiml.parse(r.toXml());

        assertThat(parsed.verbs()).containsExactly("Say", "Redirect");
        assertThat(parsed.said()).containsExactly("</Say><Hangup/> & 'quotes'");
        assertThat(parsed.at("/Response/Say/@voice")).isEqualTo("a\"b<c");
        assertThat(parsed.at("/Response/Redirect")).isEqualTo("https://x.example/turn?n=1&s=2");
    }

    @Test
    void drops_characters_xml_cannot_carry_and_keeps_emoji() {
        Twiml r = Twiml.response();
        r.add("Say").text("bell\u0007 nul\u0000 lone\uD800 ok 👍");

        assertThat(VoiceRig.Twiml.parse(r.toXml()).said()).containsExactly("bell nul lone ok 👍");
    }

    @Test
    void an_empty_element_is_self_closing() {
        Twiml r = Twiml.response();
        r.add("Hangup");
        assertThat(r.toXml()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Hangup/></Response>");
    }
}
