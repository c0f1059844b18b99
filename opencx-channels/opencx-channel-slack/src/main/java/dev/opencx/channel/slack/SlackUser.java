package dev.opencx.channel.slack;

import dev.opencx.conversation.Identity;

/**
 * A Slack user as OpenCX identifies them: the custom identity {@code slack:<team id>:<user id>},
 * the team being the workspace the event came from.
 */
record SlackUser(String teamId, String userId) {
    static final String PREFIX = "slack:";

    /** {@code slack:T0123:U0456}. */
    Identity identity() {
        return Identity.custom(PREFIX + teamId + ":" + userId);
    }

    /** The user of an identity value, or null when it is not a Slack user's. */
    static SlackUser parse(String identityValue) {
        if (!identityValue.startsWith(PREFIX)) {
            return null;
        }
        String[] p = identityValue.substring(PREFIX.length()).split(":", -1);
        if (p.length != 2
                || p[0].isEmpty()
                || !SlackChannel.USER_ID.matcher(p[1]).matches()) {
            return null;
        }
        return new SlackUser(p[0], p[1]);
    }
}
