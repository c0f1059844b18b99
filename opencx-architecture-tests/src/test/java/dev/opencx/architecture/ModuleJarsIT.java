package dev.opencx.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.opencx.architecture.ReactorModules.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;
import org.junit.jupiter.api.Test;

/**
 * The jars the build produced (runs in {@code verify}, after every module is packaged): each has an
 * {@code Automatic-Module-Name}, no two library jars share a package, and each published module ships
 * sources and javadoc jars.
 */
class ModuleJarsIT {

    @Test
    void every_jar_names_its_module_after_its_artifact_id() throws Exception {
        List<String> problems = new ArrayList<>();
        Map<String, String> moduleByName = new TreeMap<>();
        for (Module m : ReactorModules.checked()) {
            Path jar = mainJar(m);
            String name;
            try (JarFile j = new JarFile(jar.toFile())) {
                var manifest = j.getManifest();
                name = manifest == null ? null : manifest.getMainAttributes().getValue("Automatic-Module-Name");
            }
            String expected = "dev." + m.artifactId().replace('-', '.');
            if (name == null) {
                problems.add(jar + " has no Automatic-Module-Name");
            } else if (!SourceVersion.isName(name)) {
                problems.add(jar + " has Automatic-Module-Name '" + name + "', which is not a valid module name");
            } else if (!name.equals(expected)) {
                problems.add(jar + " has Automatic-Module-Name '" + name + "' but should have '" + expected + "'");
            }
            String other = name == null ? null : moduleByName.putIfAbsent(name, m.artifactId());
            if (other != null) {
                problems.add(m.artifactId() + " and " + other + " share the Automatic-Module-Name " + name);
            }
        }
        System.out.println("Automatic-Module-Name of each jar: " + moduleByName);
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    @Test
    void no_two_library_jars_share_a_package() throws Exception {
        Map<String, Set<String>> jarsByPackage = new TreeMap<>();
        List<String> runnable = new ArrayList<>();
        for (Module m : ReactorModules.checked()) {
            if (isShaded(m)) {
                // a runnable jar (quickstart, eval, benchmarks) bundles its dependencies by design and is
                // never put on a module path next to ours; ArchitectureTest checks its own classes' packages
                runnable.add(m.artifactId());
                continue;
            }
            try (JarFile j = new JarFile(mainJar(m).toFile())) {
                j.stream()
                        .map(JarEntry::getName)
                        .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/") && n.contains("/"))
                        .filter(n -> !n.endsWith("module-info.class"))
                        .map(n -> n.substring(0, n.lastIndexOf('/')).replace('/', '.'))
                        .forEach(p -> jarsByPackage
                                .computeIfAbsent(p, k -> new TreeSet<>())
                                .add(m.artifactId()));
            }
        }
        List<String> split = jarsByPackage.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .map(e -> "package " + e.getKey() + " is in the jars of " + String.join(" and ", e.getValue()))
                .toList();
        System.out.println("packages checked in " + (ReactorModules.checked().size() - runnable.size())
                + " library jars; runnable jars left out: " + runnable);
        if (!split.isEmpty()) {
            fail("the module path refuses a package split across two jars:\n  " + String.join("\n  ", split));
        }
    }

    @Test
    void every_published_module_ships_sources_and_javadoc_jars() throws Exception {
        boolean javadocSkipped = Boolean.getBoolean("opencx.javadocSkipped");
        boolean sourcesSkipped = Boolean.getBoolean("opencx.sourcesSkipped");
        List<String> problems = new ArrayList<>();
        List<String> published = new ArrayList<>();
        for (Module m : ReactorModules.checked()) {
            if (!m.published() || !m.hasMainSources()) {
                continue;
            }
            published.add(m.artifactId());
            if (!sourcesSkipped && jars(m, "-sources.jar").isEmpty()) {
                problems.add(
                        m.artifactId() + " has no sources jar in " + m.dir().resolve("target"));
            }
            if (!javadocSkipped && jars(m, "-javadoc.jar").isEmpty()) {
                problems.add(
                        m.artifactId() + " has no javadoc jar in " + m.dir().resolve("target"));
            }
        }
        System.out.println("published modules: " + published + (javadocSkipped ? " (javadoc skipped)" : "")
                + (sourcesSkipped ? " (sources skipped)" : ""));
        assertThat(published).contains(ReactorModules.CORE);
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    /** Whether the module's main artifact is a shaded, runnable jar (the shade plugin keeps the original). */
    private static boolean isShaded(Module m) throws IOException {
        return jars(m, ".jar").stream().anyMatch(p -> p.getFileName().toString().startsWith("original-"));
    }

    /** The jar the module's own classes went into: before shading, for the modules that shade. */
    private static Path mainJar(Module m) throws IOException {
        List<Path> original = jars(m, ".jar").stream()
                .filter(p -> p.getFileName().toString().startsWith("original-"))
                .toList();
        if (original.size() == 1) {
            return original.get(0);
        }
        List<Path> main = jars(m, ".jar").stream()
                .filter(p -> {
                    String n = p.getFileName().toString();
                    return !n.endsWith("-sources.jar") && !n.endsWith("-javadoc.jar") && !n.endsWith("-tests.jar");
                })
                .toList();
        if (main.size() != 1) {
            throw new AssertionError(m.artifactId() + ": expected one main jar in "
                    + m.dir().resolve("target") + " (is the module packaged?), found " + main);
        }
        return main.get(0);
    }

    private static List<Path> jars(Module m, String suffix) throws IOException {
        Path target = m.dir().resolve("target");
        if (!Files.isDirectory(target)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        }
    }
}
