package dev.opencx.channel.twilio;

import dev.opencx.test.channel.ChannelContract;
import dev.opencx.test.channel.ChannelFixture;

/** The channel contract on WhatsApp via Twilio. */
class TwilioWhatsAppChannelContractTest extends ChannelContract {
    @Override
    protected ChannelFixture fixture() {
        return new TwilioFixture(true);
    }
}
