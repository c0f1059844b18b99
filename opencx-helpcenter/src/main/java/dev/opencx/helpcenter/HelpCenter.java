package dev.opencx.helpcenter;

import dev.opencx.knowledge.KnowledgeDocument;
import dev.opencx.knowledge.KnowledgeStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The help center: articles grouped into topics, with translations. Publishing an article indexes
 * it in the {@link KnowledgeStore}; unpublishing or deleting removes it; drafts are never indexed.
 *
 * <pre>{@code
 * HelpCenter hc = new HelpCenter(knowledgeStore);
 * hc.addTopic(new HelpCenterTopic("returns", Map.of("en", "Returns"), Map.of()));
 * hc.publish(new Article("returns-policy", "en", "Our return policy", "You have 30 days…",
 *         BodyFormat.MARKDOWN, "returns", "https://shop.example/help/returns", Article.Status.PUBLISHED));
 * }</pre>
 *
 * Thread-safe. Indexing is skipped for an article whose content has not changed since it was last
 * indexed by this help center or is recorded as indexed with the same content hash.
 */
public final class HelpCenter {
    private final KnowledgeStore store;
    private final Map<String, HelpCenterTopic> topics = new ConcurrentHashMap<>();
    private final Map<String, Article> articles = new ConcurrentHashMap<>(); // key: id + '\0' + locale

    public HelpCenter(KnowledgeStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    public void addTopic(HelpCenterTopic topic) {
        topics.put(topic.id(), Objects.requireNonNull(topic, "topic"));
    }

    public List<HelpCenterTopic> topics() {
        return topics.values().stream()
                .sorted(Comparator.comparing(HelpCenterTopic::id))
                .toList();
    }

    /** Saves an article; published articles are indexed, drafts are removed from the index. */
    public void save(Article article) {
        Objects.requireNonNull(article, "article");
        if (!article.topic().isEmpty() && !topics.isEmpty() && !topics.containsKey(article.topic())) {
            throw new IllegalArgumentException("article '" + article.id() + "' names unknown topic '" + article.topic()
                    + "'; known: " + topics.keySet());
        }
        Article previous = articles.put(key(article.id(), article.locale()), article);
        if (article.status() == Article.Status.PUBLISHED) {
            if (previous == null || !previous.equals(article)) {
                store.upsert(toDocument(article));
            }
        } else if (previous != null && previous.status() == Article.Status.PUBLISHED) {
            store.delete(article.documentId());
        }
    }

    /** Saves several articles, indexing the published ones in one batch. */
    public void saveAll(List<Article> batch) {
        List<KnowledgeDocument> toIndex = new ArrayList<>();
        for (Article a : batch) {
            Article previous = articles.put(key(a.id(), a.locale()), a);
            if (a.status() == Article.Status.PUBLISHED && (previous == null || !previous.equals(a))) {
                toIndex.add(toDocument(a));
            } else if (a.status() == Article.Status.DRAFT
                    && previous != null
                    && previous.status() == Article.Status.PUBLISHED) {
                store.delete(a.documentId());
            }
        }
        store.upsertAll(toIndex);
    }

    /**
     * Registers articles that the store already holds (indexed in an earlier run with the same
     * content) without indexing them again.
     */
    public void registerIndexed(List<Article> batch) {
        for (Article a : batch) {
            articles.put(key(a.id(), a.locale()), a);
        }
    }

    /** Publishes a saved article (in one locale). */
    public Article publish(String id, String locale) {
        Article a = article(id, locale)
                .orElseThrow(() -> new IllegalArgumentException("no article '" + id + "' in locale '" + locale + "'"));
        Article published = a.withStatus(Article.Status.PUBLISHED);
        save(published);
        return published;
    }

    /** Turns a published article back into a draft (removing it from the index). */
    public Article unpublish(String id, String locale) {
        Article a = article(id, locale)
                .orElseThrow(() -> new IllegalArgumentException("no article '" + id + "' in locale '" + locale + "'"));
        Article draft = a.withStatus(Article.Status.DRAFT);
        save(draft);
        return draft;
    }

    /** Deletes an article in every locale. */
    public void delete(String id) {
        articles.entrySet().removeIf(e -> {
            if (e.getValue().id().equals(id)) {
                store.delete(e.getValue().documentId());
                return true;
            }
            return false;
        });
    }

    public Optional<Article> article(String id, String locale) {
        return Optional.ofNullable(articles.get(key(id, locale)));
    }

    /** All translations of an article, by locale. */
    public Map<String, Article> translations(String id) {
        Map<String, Article> out = new LinkedHashMap<>();
        articles.values().stream()
                .filter(a -> a.id().equals(id))
                .sorted(Comparator.comparing(Article::locale))
                .forEach(a -> out.put(a.locale(), a));
        return out;
    }

    /** Every article, every locale, sorted by id then locale. */
    public List<Article> articles() {
        return articles.values().stream()
                .sorted(Comparator.comparing(Article::id).thenComparing(Article::locale))
                .toList();
    }

    /** Published articles of a topic in a locale. */
    public List<Article> articlesOfTopic(String topicId, String locale) {
        return articles().stream()
                .filter(a -> a.topic().equals(topicId)
                        && a.locale().equals(locale)
                        && a.status() == Article.Status.PUBLISHED)
                .toList();
    }

    /** A hash of every article's content: equal hashes mean nothing needs re-indexing. */
    public static String contentHash(List<Article> batch) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            batch.stream()
                    .sorted(Comparator.comparing(Article::id).thenComparing(Article::locale))
                    .forEach(a -> md.update(a.toString().getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private KnowledgeDocument toDocument(Article a) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("article_id", a.id());
        HelpCenterTopic t = topics.get(a.topic());
        if (t != null) {
            meta.put("topic_name", t.name(a.locale()));
        }
        return new KnowledgeDocument(
                a.documentId(), a.title(), a.body(), a.format(), a.url(), a.locale(), a.topic(), meta);
    }

    private static String key(String id, String locale) {
        return id + '\0' + locale;
    }
}
