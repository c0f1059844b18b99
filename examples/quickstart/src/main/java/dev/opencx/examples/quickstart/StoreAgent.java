package dev.opencx.examples.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.opencx.OpenCx;
import dev.opencx.action.ActionAuth;
import dev.opencx.action.ActionRegistry;
import dev.opencx.action.http.ActionExecutor;
import dev.opencx.action.openapi.OpenApiImporter;
import dev.opencx.autopilot.AutopilotPolicy;
import dev.opencx.autopilot.HandoffPreset;
import dev.opencx.autopilot.Topic;
import dev.opencx.channel.Channel;
import dev.opencx.helpcenter.Article;
import dev.opencx.helpcenter.ArticleFiles;
import dev.opencx.helpcenter.HelpCenter;
import dev.opencx.helpcenter.HelpCenterTopic;
import dev.opencx.helpdesk.inbox.InboxHelpdesk;
import dev.opencx.knowledge.CachingEmbeddingModel;
import dev.opencx.knowledge.TrainingScenario;
import dev.opencx.knowledge.lucene.LuceneKnowledgeStore;
import dev.opencx.knowledge.lucene.MiniLmEmbeddingModel;
import dev.opencx.pii.PiiPolicy;
import dev.opencx.pii.PiiVault;
import dev.opencx.pii.builtin.BuiltInPiiDetectors;
import dev.opencx.pipeline.TurnListener;
import dev.opencx.responder.EmbeddedResponder;
import dev.opencx.responder.ResponderFactory;
import dev.opencx.store.jdbc.JdbcConversationStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The quickstart's support agent for "Northwind Outfitters", a fictional outdoor store: its help
 * center, training scenarios, autopilot topics and prohibited topics come from the example's
 * resources ({@code quickstart/}); conversations live in a SQLite file (crash-safe: a message
 * acknowledged to the customer survives {@code kill -9}) and the search index in a Lucene folder
 * under the data directory, so both survive restarts. Handoffs go to the built-in inbox. Its
 * actions come from {@code quickstart/orders-openapi.yaml}, served in-process by {@link OrdersApi}.
 */
public final class StoreAgent implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The conversation store's folder inside the data directory. */
    static final String CONVERSATIONS = "conversations";

    /**
     * One line for a data directory that still has the H2 file of earlier quickstarts, or null:
     * its conversations are not moved over, and the file is not touched.
     */
    static String oldH2Notice(Path dataDir) {
        Path old = dataDir.resolve(CONVERSATIONS).resolve("opencx.mv.db");
        if (!Files.exists(old)) {
            return null;
        }
        return "Note: the quickstart now keeps conversations in "
                + dataDir.resolve(CONVERSATIONS)
                        .resolve(JdbcConversationStore.SQLITE_FILE_NAME)
                        .toAbsolutePath() + " (SQLite); the H2 file of earlier versions, " + old.toAbsolutePath()
                + ", is left untouched.";
    }

    /**
     * The responder's confidence model fitted on this help center with the quickstart's calibration
     * questions ({@code examples/quickstart/eval/calibration.jsonl}); the command is in
     * BENCHMARKS.md.
     */
    static final EmbeddedResponder.ConfidenceModel CONFIDENCE =
            new EmbeddedResponder.ConfidenceModel(-7.168, 8.807, 2.149, 0.271, 3.978);

    private final JdbcConversationStore store;
    private final LuceneKnowledgeStore knowledge;
    private final InboxHelpdesk inbox;
    private final HelpCenter helpCenter;
    private final OpenCx cx;
    private final boolean reindexed;
    private final MiniLmEmbeddingModel model; // owned: closed with the agent
    private final OrdersApi ordersApi;
    private final ActionExecutor actionExecutor;
    private final ActionRegistry actions;
    private final List<String> topicNames;

    private StoreAgent(
            Path dataDir,
            List<Channel> channels,
            List<TurnListener> listeners,
            MiniLmEmbeddingModel miniLm,
            ResponderFactory responder) {
        this.model = miniLm;
        EmbeddingModel model = CachingEmbeddingModel.wrap(miniLm, 4096);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
        }
        this.store = JdbcConversationStore.sqlite(dataDir.resolve(CONVERSATIONS));
        OrdersApi api = null;
        ActionExecutor executor = null;
        try {
            // the store's order API, served in-process; its OpenAPI spec becomes the agent's actions
            api = OrdersApi.start();
            ActionRegistry actions = OpenApiImporter.builder()
                    .serverVariable("port", String.valueOf(api.port()))
                    .build()
                    .importString(readResource("orders-openapi.yaml"));
            if (!actions.report().skipped().isEmpty()) {
                throw new IllegalStateException(
                        "orders-openapi.yaml: " + actions.report().skipped());
            }
            executor = ActionExecutor.builder()
                    .auth("storeKey", ActionAuth.apiKey(ActionAuth.In.HEADER, "X-Store-Key", api.key()))
                    .build();
            // the index is reused while the articles are unchanged; otherwise it is rebuilt from
            // scratch, so an article removed from the resources leaves nothing behind in it
            List<Article> articles = readArticles();
            // the model is part of the key: vectors of another model cannot be reused
            String hash = HelpCenter.contentHash(articles) + " " + model.modelName();
            Path hashFile = dataDir.resolve("helpcenter.sha256");
            String indexed = Files.exists(hashFile) ? Files.readString(hashFile).strip() : "";
            boolean reuse = hash.equals(indexed) && Files.isDirectory(dataDir.resolve("index"));
            if (!reuse) {
                Files.deleteIfExists(hashFile);
                deleteRecursively(dataDir.resolve("index"));
            }
            this.knowledge = LuceneKnowledgeStore.builder()
                    .directory(dataDir.resolve("index"))
                    .embeddingModel(model)
                    .build();
            this.helpCenter = new HelpCenter(knowledge);
            for (HelpCenterTopic t : readTopics()) {
                helpCenter.addTopic(t);
            }
            if (reuse && knowledge.documentCount() > 0) {
                helpCenter.registerIndexed(articles);
                reindexed = false;
            } else {
                helpCenter.saveAll(articles);
                Files.writeString(hashFile, hash);
                reindexed = true;
            }
            this.inbox = InboxHelpdesk.builder().store(store).build();
            List<Topic> topics = new ArrayList<>();
            AutopilotPolicy.Builder policy = AutopilotPolicy.builder().preset(HandoffPreset.BALANCED);
            for (JsonNode t : readJson("autopilot.json")) {
                List<String> examples = new ArrayList<>();
                t.path("examples").forEach(e -> examples.add(e.asText()));
                topics.add(
                        new Topic(t.path("name").asText(), t.path("description").asText(), examples));
                policy.topicGate(
                        t.path("name").asText(),
                        AutopilotPolicy.GateAction.valueOf(t.path("gate").asText("REPLY")));
            }
            OpenCx.Builder b = OpenCx.builder()
                    .store(store)
                    .knowledge(knowledge)
                    .embeddingModel(model)
                    .scenarios(readScenarios())
                    .confidenceModel(CONFIDENCE)
                    .topics(topics)
                    .autopilot(policy.build())
                    .prohibitedTopics(readLines("prohibited.txt"))
                    // PII: names, e-mails, phones, cards, addresses... become [EMAIL_1] before they are stored or
                    // reach the AI; the inbox sees real contact details, never card numbers or credentials
                    .pii(BuiltInPiiDetectors.all(), PiiPolicy.defaults())
                    .piiVault(PiiVault.aesGcm(vaultKey(dataDir)))
                    // "where is my order 1042?", "cancel it" (confirmed with a yes before the call)
                    .actions(actions, executor)
                    .helpdesk(inbox);
            if (responder != null) {
                b.responder(responder);
            }
            channels.forEach(b::channel);
            listeners.forEach(b::listener);
            this.cx = b.build();
            this.ordersApi = api;
            this.actionExecutor = executor;
            this.actions = actions;
            this.topicNames = topics.stream().map(Topic::name).toList();
        } catch (IOException e) {
            closeAfterFailure(api, executor, miniLm);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeAfterFailure(api, executor, miniLm);
            throw e;
        }
    }

    private void closeAfterFailure(OrdersApi api, ActionExecutor executor, MiniLmEmbeddingModel miniLm) {
        store.close();
        miniLm.close();
        if (executor != null) {
            executor.close();
        }
        if (api != null) {
            api.close();
        }
    }

    /**
     * The PII vault key: {@code OPENCX_PII_KEY} (Base64 of 32 bytes) when set, else a key created
     * once in the data directory. A demo convenience: in production the key comes from your secret
     * manager and never sits next to the data it protects.
     */
    static byte[] vaultKey(Path dataDir) throws IOException {
        String env = System.getenv("OPENCX_PII_KEY");
        if (env != null && !env.isBlank()) {
            try {
                return java.util.Base64.getDecoder().decode(env.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("OPENCX_PII_KEY is not Base64", e);
            }
        }
        Path file = dataDir.resolve("pii-vault.key");
        if (!Files.exists(file)) {
            Files.writeString(file, java.util.Base64.getEncoder().encodeToString(PiiVault.newKey()));
            try {
                Files.setPosixFilePermissions(
                        file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
        }
        return java.util.Base64.getDecoder().decode(Files.readString(file).strip());
    }

    /**
     * Starts the agent.
     *
     * @param dataDir where the conversations (SQLite) and the search index (Lucene) live
     * @param channels the channels customers use
     * @param listeners told about every completed turn
     */
    public static StoreAgent start(Path dataDir, List<Channel> channels, List<TurnListener> listeners) {
        return start(dataDir, channels, listeners, null);
    }

    /**
     * Starts the agent with another responder (e.g. an {@code LlmResponder} builder), made from
     * the same help center, scenarios and prohibited topics; null for the embedded responder.
     */
    public static StoreAgent start(
            Path dataDir, List<Channel> channels, List<TurnListener> listeners, ResponderFactory responder) {
        return new StoreAgent(
                Objects.requireNonNull(dataDir, "dataDir"),
                channels,
                listeners,
                MiniLmEmbeddingModel.builder().build(),
                responder);
    }

    public OpenCx cx() {
        return cx;
    }

    public InboxHelpdesk inbox() {
        return inbox;
    }

    public HelpCenter helpCenter() {
        return helpCenter;
    }

    /** The actions imported from {@code orders-openapi.yaml}. */
    public ActionRegistry actions() {
        return actions;
    }

    /** The autopilot topics of {@code autopilot.json}. */
    public List<String> topicNames() {
        return topicNames;
    }

    /** Where the in-process orders API listens ({@code 127.0.0.1:PORT}). */
    public String ordersApiAddress() {
        return "127.0.0.1:" + ordersApi.port();
    }

    /** True when this start had to index the help center (first run, or the articles changed). */
    public boolean reindexed() {
        return reindexed;
    }

    @Override
    public void close() {
        try {
            cx.close();
        } finally {
            try {
                knowledge.close();
            } finally {
                try {
                    store.close();
                } finally {
                    model.close();
                    actionExecutor.close();
                    ordersApi.close();
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    // ---- the example's resources ----

    static List<Article> readArticles() {
        return withResourceDir("quickstart/helpcenter", ArticleFiles::readAll);
    }

    static List<HelpCenterTopic> readTopics() throws IOException {
        List<HelpCenterTopic> out = new ArrayList<>();
        for (JsonNode t : readJson("topics.json")) {
            Map<String, String> names = new HashMap<>();
            Map<String, String> descriptions = new HashMap<>();
            t.path("name")
                    .fields()
                    .forEachRemaining(e -> names.put(e.getKey(), e.getValue().asText()));
            t.path("description")
                    .fields()
                    .forEachRemaining(
                            e -> descriptions.put(e.getKey(), e.getValue().asText()));
            out.add(new HelpCenterTopic(t.path("id").asText(), names, descriptions));
        }
        return out;
    }

    static List<TrainingScenario> readScenarios() throws IOException {
        List<TrainingScenario> out = new ArrayList<>();
        for (JsonNode s : readJson("scenarios.json")) {
            List<String> triggers = new ArrayList<>();
            s.path("triggers").forEach(t -> triggers.add(t.asText()));
            out.add(new TrainingScenario(
                    s.path("id").asText(),
                    TrainingScenario.Kind.valueOf(s.path("kind").asText()),
                    s.path("title").asText(),
                    triggers,
                    s.path("answer").asText(""),
                    s.path("instruction").asText(""),
                    s.path("locale").asText("en")));
        }
        return out;
    }

    static List<String> readLines(String name) throws IOException {
        return readResource(name)
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }

    static JsonNode readJson(String name) throws IOException {
        return JSON.readTree(readResource(name));
    }

    static String readResource(String name) throws IOException {
        try (var in = StoreAgent.class.getClassLoader().getResourceAsStream("quickstart/" + name)) {
            if (in == null) {
                throw new IOException("resource quickstart/" + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static <T> T withResourceDir(String dir, java.util.function.Function<Path, T> f) {
        URL url = StoreAgent.class.getClassLoader().getResource(dir);
        if (url == null) {
            throw new IllegalStateException("resource folder " + dir + " is missing from the classpath");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                boolean created = false;
                try {
                    fs = FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    fs = FileSystems.newFileSystem(uri, new LinkedHashMap<>());
                    created = true;
                }
                try {
                    return f.apply(fs.getPath(dir));
                } finally {
                    if (created) {
                        fs.close();
                    }
                }
            }
            return f.apply(Path.of(uri));
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot read resource folder " + dir, e);
        }
    }
}
