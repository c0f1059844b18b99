package dev.opencx.spring.boot;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.opencx.OpenCx;
import dev.opencx.autopilot.AutopilotPolicy;
import dev.opencx.channel.Channel;
import dev.opencx.channel.web.RestApiChannel;
import dev.opencx.channel.web.WebChannel;
import dev.opencx.handoff.Helpdesk;
import dev.opencx.helpcenter.ArticleFiles;
import dev.opencx.helpcenter.HelpCenter;
import dev.opencx.helpdesk.inbox.InboxHelpdesk;
import dev.opencx.helpdesk.inbox.web.AgentAccount;
import dev.opencx.helpdesk.inbox.web.InboxWeb;
import dev.opencx.knowledge.KnowledgeStore;
import dev.opencx.knowledge.lucene.LuceneKnowledgeStore;
import dev.opencx.knowledge.lucene.MiniLmEmbeddingModel;
import dev.opencx.knowledge.lucene.RetrievalMode;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.store.jdbc.JdbcConversationStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Builds OpenCX from {@code opencx.*} properties: the conversation store (a SQLite file under the
 * data directory by default), the Lucene knowledge store (with the in-process embedding model),
 * the help center read from a folder, the web widget and REST API channels, the built-in inbox,
 * and the {@link OpenCx} client itself, changed by every {@link OpenCxCustomizer} bean. Each bean
 * backs off when the application declares its own of the same type; an application's own {@code
 * OpenCx} bean replaces the whole client (then register the starter's channel beans on it).
 *
 * <p>Every {@link Channel} bean is registered on the client, so a channel of your own is one
 * {@code @Bean} away. Spring closes the client before the stores it uses.
 */
@AutoConfiguration
@EnableConfigurationProperties(OpenCxProperties.class)
public class OpenCxAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(OpenCxAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    ConversationStore opencxConversationStore(OpenCxProperties properties) {
        OpenCxProperties.Store s = properties.getStore();
        Path conversations = Path.of(properties.getDataDir()).resolve("conversations");
        return switch (s.effectiveType()) {
            case SQLITE -> JdbcConversationStore.sqlite(conversations);
            case H2 -> JdbcConversationStore.h2(conversations);
            case MEMORY -> new InMemoryConversationStore(Clock.systemUTC());
            case JDBC -> {
                if (s.getUrl() == null || s.getUrl().isBlank()) {
                    throw new IllegalStateException("opencx.store.type=jdbc needs opencx.store.url");
                }
                yield JdbcConversationStore.builder()
                        .url(s.getUrl(), s.getUsername(), s.getPassword())
                        .build();
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "opencx.knowledge.embeddings", matchIfMissing = true)
    EmbeddingModel opencxEmbeddingModel() {
        return MiniLmEmbeddingModel.builder().build();
    }

    @Bean
    @ConditionalOnMissingBean
    KnowledgeStore opencxKnowledgeStore(OpenCxProperties properties, ObjectProvider<EmbeddingModel> embeddings) {
        OpenCxProperties.Knowledge k = properties.getKnowledge();
        Path index = k.getIndex() != null && !k.getIndex().isBlank()
                ? Path.of(k.getIndex())
                : Path.of(properties.getDataDir()).resolve("index");
        LuceneKnowledgeStore.Builder b = LuceneKnowledgeStore.builder().directory(index);
        EmbeddingModel model = k.isEmbeddings() ? embeddings.getIfAvailable() : null;
        if (model != null) {
            b.embeddingModel(model);
        } else {
            b.withoutEmbeddings().retrievalMode(RetrievalMode.BM25);
        }
        return b.build();
    }

    /** The help center over the knowledge store; the articles of {@code opencx.knowledge.articles} are indexed at start. */
    @Bean
    @ConditionalOnMissingBean
    HelpCenter opencxHelpCenter(OpenCxProperties properties, KnowledgeStore knowledge) {
        HelpCenter helpCenter = new HelpCenter(knowledge);
        String folder = properties.getKnowledge().getArticles();
        if (folder != null && !folder.isBlank()) {
            var articles = ArticleFiles.readAll(Path.of(folder));
            helpCenter.saveAll(articles);
            LOG.info("OpenCX help center: {} articles from {}", articles.size(), folder);
        }
        return helpCenter;
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "opencx.widget.enabled", matchIfMissing = true)
    WebChannel opencxWebChannel(OpenCxProperties properties) {
        OpenCxProperties.Widget w = properties.getWidget();
        WebChannel.Builder b =
                WebChannel.builder().allowedOrigins(w.getAllowedOrigins().toArray(String[]::new));
        if (w.getSecret() != null && !w.getSecret().isBlank()) {
            b.secret(w.getSecret());
        } else {
            LOG.info("opencx.widget.secret is not set: visitor tokens are signed with a key made at start,"
                    + " so visitors start a new conversation after a restart");
        }
        return b.build();
    }

    @Bean
    @ConditionalOnMissingBean
    @Conditional(OnOpenCxList.ApiKeys.class)
    RestApiChannel opencxRestApiChannel(OpenCxProperties properties) {
        RestApiChannel.Builder b = RestApiChannel.builder();
        properties.getApi().getKeys().forEach(b::apiKey);
        return b.build();
    }

    @Bean
    @ConditionalOnMissingBean(Helpdesk.class)
    @ConditionalOnBooleanProperty(name = "opencx.inbox.enabled", matchIfMissing = true)
    InboxHelpdesk opencxInboxHelpdesk(ConversationStore store) {
        return InboxHelpdesk.builder().store(store).build();
    }

    /**
     * The client: the store, the knowledge, autopilot on or off, every {@link Channel} bean, the
     * helpdesk bean, then every {@link OpenCxCustomizer}.
     */
    @Bean
    @ConditionalOnMissingBean
    OpenCx openCx(
            OpenCxProperties properties,
            ConversationStore store,
            KnowledgeStore knowledge,
            ObjectProvider<EmbeddingModel> embeddings,
            ObjectProvider<Channel> channels,
            ObjectProvider<Helpdesk> helpdesk,
            ObjectProvider<OpenCxCustomizer> customizers) {
        OpenCx.Builder b = OpenCx.builder()
                .store(store)
                .knowledge(knowledge)
                .autopilot(AutopilotPolicy.defaults().toBuilder()
                        .defaultOn(properties.getAutopilot().isEnabled())
                        .build());
        if (properties.getKnowledge().isEmbeddings()) {
            embeddings.ifAvailable(b::embeddingModel);
        }
        channels.orderedStream().forEach(b::channel);
        helpdesk.ifAvailable(b::helpdesk);
        customizers.orderedStream().forEach(c -> c.customize(b));
        return b.build();
    }

    /** The inbox's web UI, when the inbox is on and at least one agent is configured. */
    @Bean
    @ConditionalOnMissingBean
    @Conditional(OnOpenCxList.InboxAgents.class)
    InboxWeb opencxInboxWeb(OpenCxProperties properties, OpenCx cx, ObjectProvider<InboxHelpdesk> inbox) {
        InboxHelpdesk helpdesk = inbox.getIfAvailable();
        if (helpdesk == null) {
            throw new IllegalStateException("opencx.inbox.agents are set but the helpdesk is not the built-in inbox:"
                    + " remove the agents or the other Helpdesk bean");
        }
        OpenCxProperties.Inbox p = properties.getInbox();
        InboxWeb.Builder b = InboxWeb.builder(cx, helpdesk).secureCookies(p.isSecureCookies());
        if (!p.getTrustedProxies().isEmpty()) {
            b.trustedProxies(List.copyOf(p.getTrustedProxies()));
        }
        for (OpenCxProperties.Agent a : p.getAgents()) {
            b.agent(account(a));
        }
        return b.build();
    }

    private static AgentAccount account(OpenCxProperties.Agent a) {
        String id = a.getId();
        String name = a.getName() == null || a.getName().isBlank() ? id : a.getName();
        if (a.getPasswordHash() != null && !a.getPasswordHash().isBlank()) {
            return AgentAccount.of(id, name, a.getPasswordHash());
        }
        if (a.getPassword() != null && !a.getPassword().isBlank()) {
            return AgentAccount.withPassword(id, name, a.getPassword().toCharArray());
        }
        throw new IllegalStateException(
                "opencx.inbox.agents: agent '" + id + "' needs a password-hash (or a password)");
    }
}
