package dev.opencx.channel.slack;

import dev.opencx.test.channel.ChannelContract;
import dev.opencx.test.channel.ChannelFixture;

/** The channel contract in a support channel: a thread per customer conversation. */
class SlackChannelContractTest extends ChannelContract {
    @Override
    protected ChannelFixture fixture() {
        return new SlackContractFixture(SlackContractFixture.Mode.SUPPORT_CHANNEL_THREADS);
    }
}
