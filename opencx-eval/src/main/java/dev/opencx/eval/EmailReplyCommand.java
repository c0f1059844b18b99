package dev.opencx.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.channel.email.reply.ExtractedReply;
import dev.opencx.channel.email.reply.ReplyExtractor;
import java.io.BufferedWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code email-reply}: runs {@link ReplyExtractor} over e-mails ({@code {"id","input"}} a line),
 * writes its three outputs per mail, and scores them by exact match against {@code expected_reply}
 * when the data has it.
 *
 * <p>Which output is compared: {@code reply} (quotes and signature removed), except for files whose
 * expected replies keep the signature — rows whose {@code compare} field says "signatures kept", or,
 * without a {@code compare} field, a file name containing "quotation" — where it is {@code
 * reply_with_signature}. {@code --score} overrides this. Exact match: both texts with {@code \r\n}
 * turned into {@code \n}, trailing whitespace removed from every line, then leading and trailing
 * whitespace (blank lines included) removed from the whole text, must be equal strings.
 */
final class EmailReplyCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Score {
        AUTO,
        REPLY,
        REPLY_WITH_SIGNATURE
    }

    @Override
    public String name() {
        return "email-reply";
    }

    @Override
    public String summary() {
        return "e-mail reply extraction (quoted history and signatures removed): exact match per file";
    }

    @Override
    public String usage() {
        return """
                  --data FILE[,FILE]    JSONL, one {"id","input"} a line; other fields are ignored except
                                        expected_reply, compare, expected_signature, signature_line_indices (required)
                  --out FILE            writes one {"id","reply","reply_with_signature","signature"} a line,
                                        in input order, all files together (required)
                  --score auto|reply|reply_with_signature
                                        which output is compared with expected_reply (default auto:
                                        reply_with_signature for files whose rows' "compare" says
                                        "signatures kept", or, without "compare", whose name contains
                                        "quotation"; reply otherwise)
                  --html                the inputs are HTML: htmlToText runs before extract
                  --warm N              run every mail N times untimed first, so the latency figures are
                                        those of a warmed-up JVM (default 0: a cold first pass)
                  --show-misses         print every mismatch on stderr (contains the data's text)

                exact match: \\r\\n -> \\n, trailing whitespace removed from every line, then the whole
                text stripped of leading and trailing whitespace and blank lines; equal strings.
                Also reported when the data has them: signature exact match (expected_signature), and
                line-level precision/recall/F1 of the non-blank signature lines (signature_line_indices,
                0-based over the input split on \\n) with has-signature accuracy.
                The last stdout line is the JSON summary: one object per file under "files".
                """;
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("data", "out", "score", "warm");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("html", "show-misses");
    }

    record Row(String id, String input, JsonNode node) {}

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        List<Path> files = new ArrayList<>();
        for (String f : args.required("data").split(",")) {
            if (!f.isBlank()) {
                files.add(Path.of(f.strip()));
            }
        }
        if (files.isEmpty()) {
            throw new UsageException("--data needs at least one file");
        }
        Path outFile = Path.of(args.required("out"));
        Score score = args.choice("score", Score.class, Score.AUTO);
        boolean html = args.has("html");
        boolean showMisses = args.has("show-misses");
        ReplyExtractor extractor = ReplyExtractor.defaults();
        extractor.extract("warm up\n\nOn Mon, Feb 5, 2024 at 10:14 AM A <a@example.org> wrote:\n> hi\n\n-- \nAna");

        int warm = (int) args.number("warm", 0, 0, 1000);
        Map<String, List<Row>> byFile = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        for (Path f : files) {
            List<Row> rows = new ArrayList<>();
            JsonLines.forEach(f, (n, where) -> {
                if (!n.path("input").isTextual()) {
                    throw new UsageException(where + ": no \"input\" text");
                }
                String id = n.path("id").isValueNode() ? n.get("id").asText() : where;
                rows.add(new Row(id, n.get("input").asText(), n));
            });
            String key = f.getFileName().toString();
            if (!names.add(key)) {
                key = f.toString();
            }
            byFile.put(key, rows);
        }

        for (int pass = 0; pass < warm; pass++) {
            for (List<Row> rows : byFile.values()) {
                for (Row row : rows) {
                    extractor.extract(html ? extractor.htmlToText(row.input()) : row.input());
                }
            }
        }
        ObjectNode summary = JSON.createObjectNode();
        summary.put("command", name());
        ObjectNode perFile = JSON.createObjectNode();
        List<Long> nanos = new ArrayList<>();
        int total = 0;
        int totalScored = 0;
        int totalMatched = 0;
        Files.createDirectories(outFile.toAbsolutePath().getParent());
        try (BufferedWriter w = Files.newBufferedWriter(outFile, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, List<Row>> e : byFile.entrySet()) {
                List<Row> rows = e.getValue();
                boolean withSignature =
                        switch (score) {
                            case REPLY -> false;
                            case REPLY_WITH_SIGNATURE -> true;
                            case AUTO -> keepsSignatures(e.getKey(), rows);
                        };
                FileScore fs = new FileScore();
                for (Row row : rows) {
                    long t0 = System.nanoTime();
                    String text = html ? extractor.htmlToText(row.input()) : row.input();
                    ExtractedReply r = extractor.extract(text);
                    nanos.add(System.nanoTime() - t0);
                    ObjectNode line = JSON.createObjectNode();
                    line.put("id", row.id());
                    line.put("reply", r.reply());
                    line.put("reply_with_signature", r.replyWithSignature());
                    line.put("signature", r.signature());
                    w.write(JSON.writeValueAsString(line));
                    w.newLine();
                    fs.add(row, r, withSignature, showMisses ? err : null);
                }
                perFile.set(e.getKey(), fs.toJson(rows.size(), withSignature));
                err.printf(
                        Locale.ROOT,
                        "%s: %d mails, exact match %s%n",
                        e.getKey(),
                        rows.size(),
                        fs.scored == 0
                                ? "n/a (no expected_reply)"
                                : String.format(Locale.ROOT, "%d/%d", fs.matched, fs.scored));
                total += rows.size();
                totalScored += fs.scored;
                totalMatched += fs.matched;
            }
        }
        summary.set("files", perFile);
        summary.put("mails", total);
        if (totalScored > 0) {
            summary.put("exact_match_all_files", round((double) totalMatched / totalScored));
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        summary.put("latency_ms_p50", sorted.length == 0 ? 0 : round(sorted[sorted.length / 2] / 1e6));
        summary.put(
                "latency_ms_p99",
                sorted.length == 0
                        ? 0
                        : round(sorted[(int) Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] / 1e6));
        summary.put("warm_passes", warm);
        summary.put("out", outFile.toString());
        out.println(JSON.writeValueAsString(summary));
        return 0;
    }

    /** Whether a file's expected replies keep the signature (quotes removed only). */
    static boolean keepsSignatures(String fileName, List<Row> rows) {
        for (Row r : rows) {
            JsonNode c = r.node().get("compare");
            if (c != null && c.isTextual()) {
                String s = c.asText().toLowerCase(Locale.ROOT);
                return s.contains("signatures kept")
                        || s.contains("signature kept")
                        || s.contains("quotes removed only");
            }
        }
        return fileName.toLowerCase(Locale.ROOT).contains("quotation");
    }

    /** The text as compared: lines without trailing whitespace, the whole stripped. */
    static String normalize(String s) {
        StringBuilder b = new StringBuilder();
        for (String l : s.replace("\r\n", "\n").split("\n", -1)) {
            b.append(l.stripTrailing()).append('\n');
        }
        return b.toString().strip();
    }

    private static final class FileScore {
        int scored;
        int matched;
        int signatureScored;
        int signatureMatched;
        int sigRows;
        int sigTp;
        int sigFp;
        int sigFn;
        int hasSigCorrect;

        void add(Row row, ExtractedReply r, boolean withSignature, PrintStream misses) {
            JsonNode node = row.node();
            if (node.path("expected_reply").isTextual()) {
                scored++;
                String got = withSignature ? r.replyWithSignature() : r.reply();
                String want = node.get("expected_reply").asText();
                if (normalize(got).equals(normalize(want))) {
                    matched++;
                } else if (misses != null) {
                    misses.println("MISS " + row.id() + "\n--- got:\n" + normalize(got) + "\n--- expected:\n"
                            + normalize(want) + "\n---");
                }
            }
            if (node.path("expected_signature").isTextual()) {
                signatureScored++;
                if (normalize(r.signature())
                        .equals(normalize(node.get("expected_signature").asText()))) {
                    signatureMatched++;
                }
            }
            if (node.path("signature_line_indices").isArray()) {
                sigRows++;
                Set<Integer> gold = new HashSet<>();
                String[] lines = row.input().split("\n", -1);
                for (JsonNode i : node.get("signature_line_indices")) {
                    int k = i.asInt();
                    if (k >= 0 && k < lines.length && !lines[k].isBlank()) {
                        gold.add(k);
                    }
                }
                Set<Integer> predicted = signatureLines(lines, r.signature());
                for (int k : predicted) {
                    if (gold.contains(k)) {
                        sigTp++;
                    } else {
                        sigFp++;
                    }
                }
                for (int k : gold) {
                    if (!predicted.contains(k)) {
                        sigFn++;
                    }
                }
                if (gold.isEmpty() == predicted.isEmpty()) {
                    hasSigCorrect++;
                }
            }
        }

        ObjectNode toJson(int rows, boolean withSignature) {
            ObjectNode o = JSON.createObjectNode();
            o.put("mails", rows);
            o.put("scored", scored);
            if (scored > 0) {
                o.put("scored_field", withSignature ? "reply_with_signature" : "reply");
                o.put("matched", matched);
                o.put("exact_match", round((double) matched / scored));
            }
            if (signatureScored > 0) {
                o.put("signature_exact_match", round((double) signatureMatched / signatureScored));
            }
            if (sigRows > 0) {
                double p = sigTp + sigFp == 0 ? 1 : (double) sigTp / (sigTp + sigFp);
                double rc = sigTp + sigFn == 0 ? 1 : (double) sigTp / (sigTp + sigFn);
                o.put("signature_line_precision", round(p));
                o.put("signature_line_recall", round(rc));
                o.put("signature_line_f1", round(p + rc == 0 ? 0 : 2 * p * rc / (p + rc)));
                o.put("has_signature_accuracy", round((double) hasSigCorrect / sigRows));
            }
            return o;
        }
    }

    /**
     * The indices of the input's non-blank lines that the predicted signature covers: the last place
     * where the signature's non-blank lines appear in order as consecutive non-blank input lines.
     */
    static Set<Integer> signatureLines(String[] input, String signature) {
        List<String> sig = Arrays.stream(normalize(signature).split("\n"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
        Set<Integer> out = new HashSet<>();
        if (sig.isEmpty()) {
            return out;
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < input.length; i++) {
            if (!clean(input[i]).isEmpty()) {
                idx.add(i);
            }
        }
        for (int start = idx.size() - sig.size(); start >= 0; start--) {
            boolean all = true;
            for (int j = 0; j < sig.size() && all; j++) {
                all = clean(input[idx.get(start + j)]).equals(sig.get(j));
            }
            if (all) {
                for (int j = 0; j < sig.size(); j++) {
                    out.add(idx.get(start + j));
                }
                return out;
            }
        }
        return out;
    }

    private static String clean(String line) {
        return line.replace('\u00a0', ' ')
                .replace("\u200b", "")
                .replace("\ufeff", "")
                .strip();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
