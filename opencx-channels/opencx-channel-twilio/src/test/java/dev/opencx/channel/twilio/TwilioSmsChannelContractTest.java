package dev.opencx.channel.twilio;

import dev.opencx.test.channel.ChannelContract;
import dev.opencx.test.channel.ChannelFixture;

/** The channel contract on Twilio SMS, its defaults (4 segments a part, 3 numbered parts). */
class TwilioSmsChannelContractTest extends ChannelContract {
    @Override
    protected ChannelFixture fixture() {
        return new TwilioFixture(false);
    }
}
