package dev.opencx.channel.slack;

import dev.opencx.test.channel.ChannelContract;
import dev.opencx.test.channel.ChannelFixture;

/** The channel contract in direct messages with the app: one session per person's DM. */
class SlackDirectMessageContractTest extends ChannelContract {
    @Override
    protected ChannelFixture fixture() {
        return new SlackContractFixture(SlackContractFixture.Mode.DIRECT_MESSAGES);
    }
}
