package dev.opencx.knowledge.lucene.internal;

import dev.opencx.knowledge.InMemoryKnowledgeStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.DelegatingAnalyzerWrapper;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.bg.BulgarianAnalyzer;
import org.apache.lucene.analysis.ca.CatalanAnalyzer;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.cz.CzechAnalyzer;
import org.apache.lucene.analysis.da.DanishAnalyzer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.el.GreekAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.fa.PersianAnalyzer;
import org.apache.lucene.analysis.fi.FinnishAnalyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.hi.HindiAnalyzer;
import org.apache.lucene.analysis.hu.HungarianAnalyzer;
import org.apache.lucene.analysis.id.IndonesianAnalyzer;
import org.apache.lucene.analysis.it.ItalianAnalyzer;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.apache.lucene.analysis.no.NorwegianAnalyzer;
import org.apache.lucene.analysis.pt.PortugueseAnalyzer;
import org.apache.lucene.analysis.ro.RomanianAnalyzer;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.sv.SwedishAnalyzer;
import org.apache.lucene.analysis.th.ThaiAnalyzer;
import org.apache.lucene.analysis.tr.TurkishAnalyzer;

/**
 * Per-language analysis. Text fields are named {@code <field>_<key>}, where the key is a language
 * with a stemming analyzer in lucene-analysis-common ({@code en}, {@code es}, {@code de}, …) or
 * {@value #FALLBACK} for everything else ({@link StandardAnalyzer}). Internal: not an API.
 */
public final class Analyzers {

    public static final String FALLBACK = "std";

    private static final Map<String, Supplier<Analyzer>> FACTORIES = Map.ofEntries(
            Map.entry("en", EnglishAnalyzer::new),
            Map.entry("es", SpanishAnalyzer::new),
            Map.entry("de", GermanAnalyzer::new),
            Map.entry("fr", FrenchAnalyzer::new),
            Map.entry("pt", PortugueseAnalyzer::new),
            Map.entry("it", ItalianAnalyzer::new),
            Map.entry("nl", DutchAnalyzer::new),
            Map.entry("sv", SwedishAnalyzer::new),
            Map.entry("da", DanishAnalyzer::new),
            Map.entry("no", NorwegianAnalyzer::new),
            Map.entry("fi", FinnishAnalyzer::new),
            Map.entry("ru", RussianAnalyzer::new),
            Map.entry("tr", TurkishAnalyzer::new),
            Map.entry("ar", ArabicAnalyzer::new),
            Map.entry("cs", CzechAnalyzer::new),
            Map.entry("el", GreekAnalyzer::new),
            Map.entry("hu", HungarianAnalyzer::new),
            Map.entry("ro", RomanianAnalyzer::new),
            Map.entry("id", IndonesianAnalyzer::new),
            Map.entry("hi", HindiAnalyzer::new),
            Map.entry("ca", CatalanAnalyzer::new),
            Map.entry("bg", BulgarianAnalyzer::new),
            Map.entry("fa", PersianAnalyzer::new),
            Map.entry("th", ThaiAnalyzer::new),
            Map.entry("zh", CJKAnalyzer::new),
            Map.entry("ja", CJKAnalyzer::new),
            Map.entry("ko", CJKAnalyzer::new),
            Map.entry(FALLBACK, StandardAnalyzer::new));

    private static final Map<String, String> ALIASES = Map.of("nb", "no", "nn", "no", "in", "id", "iw", "he");

    private final Map<String, Analyzer> analyzers = new ConcurrentHashMap<>();
    private final Analyzer perField = new DelegatingAnalyzerWrapper(Analyzer.PER_FIELD_REUSE_STRATEGY) {
        @Override
        protected Analyzer getWrappedAnalyzer(String fieldName) {
            int underscore = fieldName.lastIndexOf('_');
            return forKey(underscore < 0 ? FALLBACK : fieldName.substring(underscore + 1));
        }
    };

    /** The analyzer key for a BCP 47 locale: its language when supported, else {@value #FALLBACK}. */
    public static String key(String locale) {
        String lang = InMemoryKnowledgeStore.language(locale);
        lang = ALIASES.getOrDefault(lang, lang);
        return FACTORIES.containsKey(lang) ? lang : FALLBACK;
    }

    /** The analyzer for a key from {@link #key(String)}. */
    public Analyzer forKey(String key) {
        return analyzers.computeIfAbsent(
                key, k -> FACTORIES.getOrDefault(k, FACTORIES.get(FALLBACK)).get());
    }

    /** An analyzer choosing by the {@code _<key>} suffix of the field name, for the index writer. */
    public Analyzer perField() {
        return perField;
    }

    public void close() {
        perField.close();
        analyzers.values().forEach(Analyzer::close);
    }
}
