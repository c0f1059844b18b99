package dev.opencx.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Splits a labelled JSONL file into {@code train.jsonl} and {@code test.jsonl}, stratified by label
 * and seeded, so dev protocols are reproducible. {@code --exclude} first drops the rows whose text
 * (case- and space-insensitive) is in another file, e.g. to test a few-shot training file on the rest
 * of the full training data.
 */
final class SplitCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "split";
    }

    @Override
    public String summary() {
        return "stratified, seeded train/test split of a labelled JSONL file (for dev protocols)";
    }

    @Override
    public String usage() {
        return """
                  --data FILE           JSONL with a "label" (and "text") field on each line (required)
                  --out-dir DIR         where train.jsonl and test.jsonl are written (required)
                  --test-fraction F     share of each label's rows put in test.jsonl (default 0.2; 1 = all)
                  --seed N              shuffle seed (default 1)
                  --exclude FILE[,FILE] drop rows whose text is in these files first
                """;
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("data", "out-dir", "test-fraction", "seed", "exclude");
    }

    static String normalize(String text) {
        return text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        Path data = args.existingFile("data");
        Path dir = Path.of(args.required("out-dir"));
        double fraction = args.number("test-fraction", 0.2, 0, 1);
        long seed = (long) args.number("seed", 1, 0, Long.MAX_VALUE);
        Set<String> excluded = new HashSet<>();
        if (args.has("exclude")) {
            for (String f : args.required("exclude").split(",")) {
                Path p = Path.of(f.strip());
                if (!Files.isRegularFile(p)) {
                    throw new UsageException("--exclude: no such file " + p);
                }
                for (JsonNode n : RetrievalCommand.readJsonl(p)) {
                    excluded.add(normalize(n.path("text").asText()));
                }
            }
        }
        Map<String, List<String>> byLabel = new LinkedHashMap<>();
        int dropped = 0;
        for (JsonNode n : RetrievalCommand.readJsonl(data)) {
            if (!n.has("label")) {
                throw new UsageException(data + ": a row has no \"label\"");
            }
            if (excluded.contains(normalize(n.path("text").asText()))) {
                dropped++;
                continue;
            }
            byLabel.computeIfAbsent(n.get("label").asText(), k -> new ArrayList<>())
                    .add(JSON.writeValueAsString(n));
        }
        Files.createDirectories(dir);
        Random random = new Random(seed);
        int trainRows = 0;
        int testRows = 0;
        try (BufferedWriter train = Files.newBufferedWriter(dir.resolve("train.jsonl"), StandardCharsets.UTF_8);
                BufferedWriter test = Files.newBufferedWriter(dir.resolve("test.jsonl"), StandardCharsets.UTF_8)) {
            for (List<String> rows : byLabel.values()) {
                List<String> shuffled = new ArrayList<>(rows);
                Collections.shuffle(shuffled, random);
                int k = (int) Math.round(fraction * shuffled.size());
                for (int i = 0; i < shuffled.size(); i++) {
                    BufferedWriter w = i < k ? test : train;
                    w.write(shuffled.get(i));
                    w.newLine();
                }
                testRows += k;
                trainRows += shuffled.size() - k;
            }
        }
        err.printf("split: %d rows excluded, %d train, %d test in %s%n", dropped, trainRows, testRows, dir);
        out.println(JSON.createObjectNode()
                .put("command", name())
                .put("excluded", dropped)
                .put("labels", byLabel.size())
                .put("train_rows", trainRows)
                .put("test_rows", testRows)
                .put("train", dir.resolve("train.jsonl").toString())
                .put("test", dir.resolve("test.jsonl").toString())
                .toString());
        return 0;
    }
}
