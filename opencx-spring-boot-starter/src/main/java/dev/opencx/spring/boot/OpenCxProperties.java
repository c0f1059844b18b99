package dev.opencx.spring.boot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's settings, under {@code opencx.*} (see the module README for the table).
 *
 * <pre>
 * opencx.data-dir=/var/lib/shop/opencx
 * opencx.knowledge.articles=/var/lib/shop/help-center
 * opencx.widget.allowed-origins=https://shop.example
 * opencx.api.keys=${SUPPORT_API_KEY}
 * opencx.inbox.agents[0].id=maria
 * opencx.inbox.agents[0].name=Maria Silva
 * opencx.inbox.agents[0].password-hash=${MARIA_PASSWORD_HASH}
 * </pre>
 */
@ConfigurationProperties("opencx")
public class OpenCxProperties {
    /** Folder for the conversation store and the search index (default {@code opencx-data}, relative to the working directory). */
    private String dataDir = "opencx-data";

    private final Store store = new Store();
    private final Knowledge knowledge = new Knowledge();
    private final Autopilot autopilot = new Autopilot();
    private final Web web = new Web();
    private final Widget widget = new Widget();
    private final Api api = new Api();
    private final Inbox inbox = new Inbox();

    public String getDataDir() {
        return dataDir;
    }

    public void setDataDir(String dataDir) {
        this.dataDir = dataDir;
    }

    public Store getStore() {
        return store;
    }

    public Knowledge getKnowledge() {
        return knowledge;
    }

    public Autopilot getAutopilot() {
        return autopilot;
    }

    public Web getWeb() {
        return web;
    }

    public Widget getWidget() {
        return widget;
    }

    public Api getApi() {
        return api;
    }

    public Inbox getInbox() {
        return inbox;
    }

    /** Where conversations live. */
    public static class Store {
        /** The kind of store. */
        public enum Type {
            /** A SQLite file under the data directory (crash-safe; the default). */
            SQLITE,
            /** An H2 file under the data directory (add {@code com.h2database:h2}). */
            H2,
            /** Any database by JDBC URL (PostgreSQL in production; add its driver). */
            JDBC,
            /** In memory: lost when the application stops. */
            MEMORY
        }

        /** {@code sqlite} (default), {@code h2}, {@code jdbc} or {@code memory}; {@code jdbc} when only a URL is set. */
        private Type type;
        /** The JDBC URL for {@code type=jdbc}. */
        private String url;
        /** The database user for {@code type=jdbc}. */
        private String username;
        /** The database password for {@code type=jdbc}. */
        private String password;

        public Type getType() {
            return type;
        }

        public void setType(Type type) {
            this.type = type;
        }

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        /** The type in effect: the one set, else {@code jdbc} with a URL, else {@code sqlite}. */
        public Type effectiveType() {
            if (type != null) {
                return type;
            }
            return url != null && !url.isBlank() ? Type.JDBC : Type.SQLITE;
        }
    }

    /** What the AI answers from. */
    public static class Knowledge {
        /** A folder of help-center articles (markdown or HTML with front matter) indexed at start; none by default. */
        private String articles;
        /** The Lucene index folder (default {@code <data-dir>/index}). */
        private String index;
        /** Hybrid search with the in-process MiniLM embedding model (default true); false for keyword search only. */
        private boolean embeddings = true;

        public String getArticles() {
            return articles;
        }

        public void setArticles(String articles) {
            this.articles = articles;
        }

        public String getIndex() {
            return index;
        }

        public void setIndex(String index) {
            this.index = index;
        }

        public boolean isEmbeddings() {
            return embeddings;
        }

        public void setEmbeddings(boolean embeddings) {
            this.embeddings = embeddings;
        }
    }

    /** Whether the AI answers. */
    public static class Autopilot {
        /** The AI answers on every channel (default true); false hands every conversation to the team. */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** How the endpoints are served on the application's own server. */
    public static class Web {
        /** A prefix for every OpenCX path ({@code /support} serves {@code /support/widget.js}, {@code /support/api}, …); none by default. */
        private String basePath = "";
        /** Largest request body (default 1 MiB). */
        private int maxRequestBytes = 1024 * 1024;
        /** How long a deferred answer (an inbox sign-in) may take before a 503 (default 30 s). */
        private Duration deferredTimeout = Duration.ofSeconds(30);

        public String getBasePath() {
            return basePath;
        }

        public void setBasePath(String basePath) {
            this.basePath = basePath;
        }

        public int getMaxRequestBytes() {
            return maxRequestBytes;
        }

        public void setMaxRequestBytes(int maxRequestBytes) {
            this.maxRequestBytes = maxRequestBytes;
        }

        public Duration getDeferredTimeout() {
            return deferredTimeout;
        }

        public void setDeferredTimeout(Duration deferredTimeout) {
            this.deferredTimeout = deferredTimeout;
        }
    }

    /** The chat widget ({@code /widget.js}, {@code /widget/v1/*}). */
    public static class Widget {
        /** Serve the widget (default true). */
        private boolean enabled = true;
        /** Sites allowed to embed the widget, like {@code https://shop.example}. */
        private List<String> allowedOrigins = new ArrayList<>();
        /** Signs visitor tokens and checks user hashes; random at each start when unset (visitors then lose their conversation on a restart). */
        private String secret;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public List<String> getAllowedOrigins() {
            return allowedOrigins;
        }

        public void setAllowedOrigins(List<String> allowedOrigins) {
            this.allowedOrigins = allowedOrigins;
        }

        public String getSecret() {
            return secret;
        }

        public void setSecret(String secret) {
            this.secret = secret;
        }

        @Override
        public String toString() {
            return "Widget{enabled=" + enabled + ", allowedOrigins=" + allowedOrigins + "}"; // never the secret
        }
    }

    /** The REST API channel ({@code /api/v1/*}). */
    public static class Api {
        /** Accepted API keys (at least 16 characters each); the REST API is served when there is at least one. */
        private List<String> keys = new ArrayList<>();

        public List<String> getKeys() {
            return keys;
        }

        public void setKeys(List<String> keys) {
            this.keys = keys;
        }

        @Override
        public String toString() {
            return "Api{keys=" + keys.size() + "}"; // never the keys
        }
    }

    /** The built-in team inbox ({@code /inbox}). */
    public static class Inbox {
        /** Hand conversations off to the built-in inbox (default true); its web UI is served when an agent is configured. */
        private boolean enabled = true;
        /** The agents who may sign in. */
        private List<Agent> agents = new ArrayList<>();
        /** Mark the sign-in cookie Secure (set it behind HTTPS). */
        private boolean secureCookies;
        /** Addresses of reverse proxies whose {@code X-Forwarded-For} is trusted. */
        private List<String> trustedProxies = new ArrayList<>();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public List<Agent> getAgents() {
            return agents;
        }

        public void setAgents(List<Agent> agents) {
            this.agents = agents;
        }

        public boolean isSecureCookies() {
            return secureCookies;
        }

        public void setSecureCookies(boolean secureCookies) {
            this.secureCookies = secureCookies;
        }

        public List<String> getTrustedProxies() {
            return trustedProxies;
        }

        public void setTrustedProxies(List<String> trustedProxies) {
            this.trustedProxies = trustedProxies;
        }
    }

    /** An inbox agent: an id, a display name, and a PBKDF2 password hash (or, for a demo, a password). */
    public static class Agent {
        private String id;
        private String name;
        /** From {@code PasswordHashes.hash}; preferred over {@code password}. */
        private String passwordHash;
        /** A plain password hashed at start (demos only: keep real passwords out of configuration). */
        private String password;

        public String getId() {
            return id;
        }

        public void setId(String id) {
            this.id = id;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getPasswordHash() {
            return passwordHash;
        }

        public void setPasswordHash(String passwordHash) {
            this.passwordHash = passwordHash;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        @Override
        public String toString() {
            return "Agent{" + id + "}"; // never the password or its hash
        }
    }
}
