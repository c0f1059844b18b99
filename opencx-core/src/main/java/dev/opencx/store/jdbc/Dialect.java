package dev.opencx.store.jdbc;

import java.util.Locale;

/** The SQL differences between the databases the JDBC store supports. */
enum Dialect {
    H2("CHARACTER LARGE OBJECT", "SELECT NEXT VALUE FOR opencx_ticket_seq"),
    POSTGRESQL("TEXT", "SELECT nextval('opencx_ticket_seq')");

    final String textType;
    final String nextTicketSql;

    Dialect(String textType, String nextTicketSql) {
        this.textType = textType;
        this.nextTicketSql = nextTicketSql;
    }

    static Dialect of(String productName) {
        String p = productName.toLowerCase(Locale.ROOT);
        if (p.contains("h2")) {
            return H2;
        }
        if (p.contains("postgres")) {
            return POSTGRESQL;
        }
        throw new IllegalStateException(
                "JdbcConversationStore supports H2 2.x and PostgreSQL, not '" + productName + "'");
    }

    /** A migration script in this dialect: {@code ${text}} becomes the dialect's large-text column type. */
    String render(String script) {
        return script.replace("${text}", textType);
    }
}
