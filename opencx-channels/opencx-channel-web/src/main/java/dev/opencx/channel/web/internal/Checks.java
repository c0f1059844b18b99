package dev.opencx.channel.web.internal;

import java.time.Duration;
import java.util.Objects;

/** Builder checks shared by the HTTP channels; each names the setting and the bad value. */
public final class Checks {
    private Checks() {}

    /** 100 ms to 5 minutes. */
    public static Duration heartbeat(Duration every) {
        Objects.requireNonNull(every, "every");
        if (every.toMillis() < 100 || every.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("heartbeat must be from 100 ms to 5 minutes, was " + every);
        }
        return every;
    }

    /** 1 KiB to 16 MiB. */
    public static int maxBodyBytes(int max) {
        if (max < 1024 || max > 16 * 1024 * 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be from 1024 to 16777216, was " + max);
        }
        return max;
    }
}
