package dev.opencx.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.opencx.architecture.ReactorModules.Module;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The main classes of every module of the reactor, each module's imported on its own. */
final class ModuleClasses {
    private static Map<Module, JavaClasses> cache;

    private ModuleClasses() {}

    /**
     * Each jar module's main classes, read from its {@code target/classes}. Fails naming the module
     * when one has sources but was not compiled.
     */
    static synchronized Map<Module, JavaClasses> byModule() throws Exception {
        if (cache != null) {
            return cache;
        }
        Map<Module, JavaClasses> out = new LinkedHashMap<>();
        List<String> notBuilt = new ArrayList<>();
        for (Module m : ReactorModules.checked()) {
            if (!m.hasMainSources()) {
                continue;
            }
            if (!Files.isDirectory(m.classes())) {
                notBuilt.add(m.artifactId() + " (" + m.classes() + ")");
                continue;
            }
            out.put(m, new ClassFileImporter().importPath(m.classes()));
        }
        if (!notBuilt.isEmpty()) {
            throw new IllegalStateException("these modules have sources but no compiled classes, so the architecture"
                    + " rules cannot see them; build them first (mvn -pl opencx-architecture-tests -am verify): "
                    + notBuilt);
        }
        cache = out;
        return out;
    }

    static Module core() throws Exception {
        return byModule().keySet().stream()
                .filter(m -> m.artifactId().equals(ReactorModules.CORE))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + ReactorModules.CORE + " in the reactor"));
    }

    /** The package of a class, or of an array's element class. */
    static String packageOf(JavaClass c) {
        return c.getBaseComponentType().getPackageName();
    }
}
