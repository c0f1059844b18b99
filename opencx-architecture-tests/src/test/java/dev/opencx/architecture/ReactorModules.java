package dev.opencx.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The modules of the build, read from the root POM's {@code <modules>} (recursively), so that a
 * module added later is checked without editing these tests.
 */
final class ReactorModules {
    static final String SELF = "opencx-architecture-tests";
    static final String CORE = "opencx-core";

    private ReactorModules() {}

    /** One module of the reactor. */
    record Module(String artifactId, Path dir, String packaging, boolean published, List<String> dependencies) {

        /** Where the build puts the module's main classes. */
        Path classes() {
            return dir.resolve("target/classes");
        }

        /** Whether the module has main Java sources (a POM-only or resource-only jar has none). */
        boolean hasMainSources() throws IOException {
            Path src = dir.resolve("src/main/java");
            if (!Files.isDirectory(src)) {
                return false;
            }
            try (var files = Files.walk(src)) {
                return files.anyMatch(f -> f.toString().endsWith(".java"));
            }
        }

        boolean isJar() {
            return packaging.equals("jar");
        }

        @Override
        public String toString() {
            return artifactId;
        }
    }

    /** The reactor's root directory (passed by the build; the parent of this module otherwise). */
    static Path root() {
        String p = System.getProperty("opencx.reactorRoot");
        Path root = p != null ? Paths.get(p) : Paths.get("").toAbsolutePath().getParent();
        return root.toAbsolutePath().normalize();
    }

    /** Every module under the root POM, aggregators included, in declaration order. */
    static List<Module> all() throws Exception {
        List<Module> out = new ArrayList<>();
        collect(root(), out);
        return out;
    }

    /** The jar modules other than this one: the modules the rules apply to. */
    static List<Module> checked() throws Exception {
        return all().stream()
                .filter(Module::isJar)
                .filter(m -> !m.artifactId().equals(SELF))
                .toList();
    }

    private static void collect(Path dir, List<Module> out) throws Exception {
        Element project = read(dir.resolve("pom.xml"));
        String artifactId = child(project, "artifactId").orElseThrow();
        String packaging = child(project, "packaging").orElse("jar");
        // examples, benchmarks and these tests set maven.deploy.skip: they are never published
        boolean deploySkipped = "true".equals(property(project, "maven.deploy.skip"));
        out.add(new Module(artifactId, dir, packaging, !deploySkipped, opencxDependencies(project)));
        for (Element modules : children(project, "modules")) {
            for (Element m : children(modules, "module")) {
                collect(dir.resolve(m.getTextContent().trim()).normalize(), out);
            }
        }
    }

    private static Element read(Path pom) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = f.newDocumentBuilder().parse(pom.toFile());
        return doc.getDocumentElement();
    }

    private static String property(Element project, String name) {
        for (Element props : children(project, "properties")) {
            for (Element p : children(props, name)) {
                return p.getTextContent().trim();
            }
        }
        return null;
    }

    private static List<String> opencxDependencies(Element project) {
        List<String> out = new ArrayList<>();
        for (Element deps : children(project, "dependencies")) {
            for (Element d : children(deps, "dependency")) {
                if (child(d, "groupId").filter("dev.opencx"::equals).isPresent()) {
                    out.add(child(d, "artifactId").orElseThrow());
                }
            }
        }
        return out;
    }

    private static Optional<String> child(Element e, String name) {
        List<Element> c = children(e, name);
        return c.isEmpty()
                ? Optional.empty()
                : Optional.of(c.get(0).getTextContent().trim());
    }

    private static List<Element> children(Element e, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = e.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element c && c.getTagName().equals(name)) {
                out.add(c);
            }
        }
        return out;
    }
}
