package dev.opencx.store.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The SQL differences between the databases the JDBC store supports. */
enum Dialect {
    H2("CHARACTER LARGE OBJECT", "TIMESTAMP WITH TIME ZONE", "dev/opencx/store/jdbc/migration/"),
    POSTGRESQL("TEXT", "TIMESTAMP WITH TIME ZONE", "dev/opencx/store/jdbc/migration/"),
    /**
     * SQLite 3.35+: its own migration scripts (no sequences, no identity columns: {@code INTEGER
     * PRIMARY KEY AUTOINCREMENT} and a counter row instead), no row locks (one writer at a time,
     * serialized by the store), and instants as fixed-width ISO-8601 UTC text, which sorts and
     * compares like the instants themselves.
     */
    SQLITE("TEXT", "TEXT", "dev/opencx/store/jdbc/migration/sqlite/");

    /** Instants in SQLite: always six fractional digits and 'Z', so that text order is time order. */
    private static final DateTimeFormatter SQLITE_INSTANT = DateTimeFormatter.ofPattern(
                    "uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    final String textType;
    final String timestampType;
    final String migrationPath;

    Dialect(String textType, String timestampType, String migrationPath) {
        this.textType = textType;
        this.timestampType = timestampType;
        this.migrationPath = migrationPath;
    }

    static Dialect of(String productName) {
        String p = productName.toLowerCase(Locale.ROOT);
        if (p.contains("h2")) {
            return H2;
        }
        if (p.contains("postgres")) {
            return POSTGRESQL;
        }
        if (p.contains("sqlite")) {
            return SQLITE;
        }
        throw new IllegalStateException(
                "JdbcConversationStore supports SQLite 3, H2 2.x and PostgreSQL, not '" + productName + "'");
    }

    /**
     * True when the database has a single writer and no row locks: the store serializes its write
     * transactions itself and reads run on their own connections.
     */
    boolean singleWriter() {
        return this == SQLITE;
    }

    /** {@code " FOR UPDATE"}, or nothing where a write transaction already excludes other writers. */
    String forUpdate() {
        return this == SQLITE ? "" : " FOR UPDATE";
    }

    /** {@code " FOR UPDATE SKIP LOCKED"}, or nothing where a write transaction already excludes other writers. */
    String forUpdateSkipLocked() {
        return this == SQLITE ? "" : " FOR UPDATE SKIP LOCKED";
    }

    /** An instant as a statement parameter of a timestamp column. */
    Object timestamp(Instant instant) {
        if (this == SQLITE) {
            return SQLITE_INSTANT.format(instant);
        }
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** A timestamp column as an instant. */
    Instant instant(ResultSet rs, int column) throws SQLException {
        if (this == SQLITE) {
            return Instant.parse(rs.getString(column));
        }
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    /**
     * A migration script in this dialect: {@code ${text}} becomes the dialect's large-text column
     * type.
     */
    String render(String script) {
        return script.replace("${text}", textType);
    }
}
