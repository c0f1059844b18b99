package dev.opencx.bench.jmh;

import dev.opencx.bench.HelpCenterGenerator;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.conversation.Author;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.Session;
import dev.opencx.knowledge.InMemoryKnowledgeStore;
import dev.opencx.responder.EmbeddedResponder;
import dev.opencx.responder.Reply;
import dev.opencx.responder.ResponderRequest;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.store.NewSession;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** {@link EmbeddedResponder#respond} over an {@link InMemoryKnowledgeStore} (BM25) of generated articles. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ResponderBenchmark {
    @Param({"1000"})
    public int articles;

    private EmbeddedResponder responder;
    private Session session;
    private Contact contact;
    private String[] texts;
    private int i;

    @Setup
    public void setup() {
        InMemoryKnowledgeStore knowledge = new InMemoryKnowledgeStore();
        knowledge.upsertAll(HelpCenterGenerator.articles(articles, 42));
        responder = EmbeddedResponder.builder().knowledge(knowledge).build();
        InMemoryConversationStore store = new InMemoryConversationStore();
        contact = store.findOrCreateContact(Identity.email("bench@example.com"), "");
        session = store.openSession(new NewSession(contact.id(), ChannelId.API, "", "en"));
        texts = HelpCenterGenerator.questions(1000, 13).toArray(String[]::new);
    }

    @Benchmark
    public Reply respond() {
        String t = texts[i];
        i = (i + 1) % texts.length;
        Message m = new Message("m" + i, Author.CUSTOMER, "", t, List.of(), "", Instant.EPOCH);
        return responder.respond(
                new ResponderRequest(session, contact, m, List.of(), "en", "", ChannelCapabilities.rich(), e -> {}));
    }
}
