package dev.opencx.eval;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.opencx.action.ActionRegistry;
import dev.opencx.action.ImportReport;
import dev.opencx.action.ImportReport.SkipCategory;
import dev.opencx.action.openapi.OpenApiImporter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code openapi}: imports OpenAPI / Swagger documents with {@link OpenApiImporter}, as a user's
 * application would, and reports what became an action, what was skipped and why (by {@link
 * SkipCategory}), and how long the import took. Over a folder of specs it also counts the specs
 * whose import threw (the target is none) and names the slowest.
 *
 * <p>Each document's operations are also counted from the document itself (methods under {@code
 * paths}, path-item references followed), outside the timed import, so that an operation the
 * importer neither imported nor reported shows up as {@code unaccounted}.
 */
final class OpenApiCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final List<String> METHODS =
            List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final double SLOW_SECONDS = 1.0;

    @Override
    public String name() {
        return "openapi";
    }

    @Override
    public String summary() {
        return "OpenAPI/Swagger import: operations imported and skipped by reason, failed specs, import time";
    }

    @Override
    public String usage() {
        return """
                  --spec FILE           one OpenAPI 3.0/3.1 or Swagger 2.0 document (JSON or YAML)
                  --dir DIR             or: every .json/.yaml/.yml below DIR that is one (other files are ignored)
                  --repeat N            with --spec: import N times in this JVM, report the first and the
                                        fastest time (default 1)
                  --show-skipped        print each skipped operation with its category and reason (stderr)
                """;
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("spec", "dir", "repeat");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("show-skipped");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        if (args.has("spec") == args.has("dir")) {
            throw new UsageException("give either --spec FILE or --dir DIR");
        }
        int repeat = (int) args.number("repeat", 1, 1, 1000);
        boolean showSkipped = args.has("show-skipped");
        ObjectNode result;
        if (args.has("spec")) {
            result = spec(args.existingFile("spec"), repeat, showSkipped, err);
        } else {
            if (args.has("repeat")) {
                throw new UsageException("--repeat goes with --spec");
            }
            Path dir = Path.of(args.required("dir"));
            if (!Files.isDirectory(dir)) {
                throw new UsageException("--dir: no folder at " + dir);
            }
            result = dir(dir, showSkipped, err);
        }
        out.println(JSON.writeValueAsString(result));
        return 0;
    }

    private ObjectNode spec(Path file, int repeat, boolean showSkipped, PrintStream err) throws IOException {
        long bytes = Files.size(file);
        Tally tally = new Tally();
        Imported first = importOnce(file);
        double fastest = first.seconds();
        for (int i = 1; i < repeat; i++) {
            fastest = Math.min(fastest, importOnce(file).seconds());
        }
        JsonNode root = parse(file);
        int operations = root == null ? 0 : countOperations(file, root);
        tally.add(file, bytes, operations, first, showSkipped, err);
        err.printf(
                Locale.ROOT,
                "openapi: %s (%,d bytes): %d operations, %d imported, %d skipped in %.3f s%s%n",
                file,
                bytes,
                operations,
                first.registry().size(),
                first.registry().report().skipped().size(),
                first.seconds(),
                repeat > 1 ? String.format(Locale.ROOT, " (fastest of %d: %.3f s)", repeat, fastest) : "");
        ObjectNode result = JSON.createObjectNode();
        result.put("command", name());
        result.put("spec", file.toString());
        result.put("bytes", bytes);
        tally.write(result);
        if (repeat > 1) {
            result.put("repeat", repeat);
            result.put("seconds_fastest", round(fastest));
        }
        return result;
    }

    private ObjectNode dir(Path dir, boolean showSkipped, PrintStream err) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(OpenApiCommand::isSpecFileName)
                    .sorted()
                    .toList();
        }
        err.printf("openapi: %d .json/.yaml/.yml files below %s%n", files.size(), dir);
        long started = System.nanoTime();
        Tally tally = new Tally();
        int specs = 0;
        int ignored = 0;
        long totalBytes = 0;
        List<String> failed = new ArrayList<>();
        for (Path file : files) {
            JsonNode root = parse(file);
            if (root != null && !(root.has("openapi") || root.has("swagger"))) {
                ignored++; // a schema fragment or another JSON/YAML file: not a document of its own
                continue;
            }
            specs++;
            long bytes = Files.size(file);
            totalBytes += bytes;
            Imported imported;
            try {
                imported = importOnce(file);
            } catch (RuntimeException | StackOverflowError e) {
                failed.add(file + ": " + e);
                err.println("openapi: FAILED " + file + ": " + e);
                continue;
            }
            int operations = root == null ? 0 : countOperations(file, root);
            tally.add(file, bytes, operations, imported, showSkipped, err);
            if (imported.seconds() > SLOW_SECONDS) {
                err.printf(Locale.ROOT, "openapi: slow: %s (%,d bytes) took %.2f s%n", file, bytes, imported.seconds());
            }
            if (specs % 100 == 0) {
                err.printf(
                        Locale.ROOT,
                        "openapi: %d specs, %d operations, %d imported, %d skipped, %d failed%n",
                        specs,
                        tally.operations,
                        tally.imported,
                        tally.skipped,
                        failed.size());
            }
        }
        err.printf(
                Locale.ROOT,
                "openapi: %d specs (%,d bytes), %d ignored files, %d failed; imports took %.1f s, the whole run %.1f s%n",
                specs,
                totalBytes,
                ignored,
                failed.size(),
                tally.seconds,
                (System.nanoTime() - started) / 1e9);
        ObjectNode result = JSON.createObjectNode();
        result.put("command", name());
        result.put("dir", dir.toString());
        result.put("specs", specs);
        result.put("failed_specs", failed.size());
        result.put("ignored_files", ignored);
        result.put("bytes", totalBytes);
        tally.write(result);
        if (tally.slowest != null) {
            result.put("slowest_spec", tally.slowest.toString());
            result.put("slowest_spec_bytes", tally.slowestBytes);
            result.put("slowest_spec_seconds", round(tally.slowestSeconds));
        }
        ArrayNode failures = result.putArray("failed");
        failed.forEach(failures::add);
        return result;
    }

    static boolean isSpecFileName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml");
    }

    /** One timed import. */
    private record Imported(ActionRegistry registry, double seconds) {}

    private static Imported importOnce(Path file) {
        long t0 = System.nanoTime();
        ActionRegistry registry = OpenApiImporter.defaults().importFile(file);
        return new Imported(registry, (System.nanoTime() - t0) / 1e9);
    }

    /** The document's tree, or null when it is not JSON or YAML (the import then reports why). */
    private static JsonNode parse(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String start = text.stripLeading();
            boolean json = start.startsWith("{") || start.startsWith("[");
            return (json ? JSON : YAML).readTree(text);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The operations under {@code paths}: one per HTTP method of each path item ({@code x-} keys are
     * extensions, not paths), a path item's {@code $ref} followed (local or relative-file); a path
     * item whose reference does not resolve counts as one operation, as the importer reports it once.
     */
    static int countOperations(Path file, JsonNode root) {
        int count = 0;
        for (Map.Entry<String, JsonNode> path : root.path("paths").properties()) {
            if (path.getKey().startsWith("x-")) {
                continue; // an extension, not a path
            }
            JsonNode item = path.getValue();
            if (item.has("$ref")) {
                item = pathItem(file, root, item.get("$ref").asText());
                if (item == null) {
                    count++;
                    continue;
                }
            }
            for (String method : METHODS) {
                if (item.has(method)) {
                    count++;
                }
            }
        }
        return count;
    }

    private static JsonNode pathItem(Path file, JsonNode root, String ref) {
        int hash = ref.indexOf('#');
        String filePart = hash < 0 ? ref : ref.substring(0, hash);
        String pointer = hash < 0 ? "" : URLDecoder.decode(ref.substring(hash + 1), StandardCharsets.UTF_8);
        JsonNode doc = root;
        if (!filePart.isEmpty()) {
            Path target = file.toAbsolutePath().resolveSibling(filePart).normalize();
            doc = Files.isRegularFile(target) ? parse(target) : null;
        }
        if (doc == null) {
            return null;
        }
        try {
            JsonNode node = pointer.isEmpty() ? doc : doc.at(JsonPointer.compile(pointer));
            return node.isObject() ? node : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Sums over the imported specs. */
    private static final class Tally {
        int operations;
        int imported;
        int skipped;
        int notes;
        int unaccounted;
        double seconds;
        final Map<SkipCategory, Integer> reasons = new EnumMap<>(SkipCategory.class);
        Path slowest;
        long slowestBytes;
        double slowestSeconds = -1;

        void add(Path file, long bytes, int specOperations, Imported result, boolean showSkipped, PrintStream err) {
            ImportReport report = result.registry().report();
            operations += specOperations;
            imported += result.registry().size();
            skipped += report.skipped().size();
            notes += report.notes().size();
            seconds += result.seconds();
            for (ImportReport.Skipped s : report.skipped()) {
                reasons.merge(s.category(), 1, Integer::sum);
                if (showSkipped) {
                    err.println("skipped " + s.category().name().toLowerCase(Locale.ROOT) + " " + file + " " + s);
                }
            }
            int accounted = result.registry().size() + report.skipped().size();
            if (accounted != specOperations) {
                unaccounted += Math.abs(specOperations - accounted);
                err.printf(
                        "openapi: %s has %d operations, but %d were imported or skipped%n",
                        file, specOperations, accounted);
            }
            if (result.seconds() > slowestSeconds) {
                slowest = file;
                slowestBytes = bytes;
                slowestSeconds = result.seconds();
            }
        }

        void write(ObjectNode result) {
            result.put("operations", operations);
            result.put("imported", imported);
            result.put("skipped", skipped);
            ObjectNode byReason = result.putObject("skipped_reasons");
            reasons.entrySet().stream()
                    .sorted(Map.Entry.<SkipCategory, Integer>comparingByValue().reversed())
                    .forEach(e -> byReason.put(e.getKey().name().toLowerCase(Locale.ROOT), e.getValue()));
            result.put("unaccounted", unaccounted);
            result.put("notes", notes);
            result.put("seconds", round(seconds));
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
