package dev.opencx.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.net.URL;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules, built as functions of what they protect so that the tests can also prove they bite. */
final class ModuleRules {
    /** The third-party jars core may use, by file name. */
    static final Pattern CORE_LIBRARIES =
            Pattern.compile("(jackson-[a-z0-9-]+|slf4j-api|langchain4j-core)-\\d[^/]*\\.jar");

    private ModuleRules() {}

    /** Modules other than core must not touch core's implementation detail. */
    static ArchRule noUseOfCoreInternals() {
        return noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.opencx.internal..")
                .because("dev.opencx.internal is core's implementation detail and may change in any release;"
                        + " use the public API, or give what is needed a public home in dev.opencx.spi")
                .allowEmptyShould(true);
    }

    /** No module may touch another module's {@code ..internal..} packages. */
    static ArchRule noUseOfInternals(String owner, Set<String> internalPackages) {
        return noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(internalPackages.toArray(String[]::new))
                .because(owner + "'s internal packages are its implementation detail")
                .allowEmptyShould(true);
    }

    /**
     * Core depends only on itself, the JDK, Jackson, SLF4J and langchain4j-core: never on another
     * OpenCX module, never on another library.
     *
     * @param coreClasses the fully qualified names of the classes in core's jar
     */
    static ArchRule coreDependsOnlyOnItsLibraries(Set<String> coreClasses) {
        return classes()
                .should(
                        new ArchCondition<JavaClass>(
                                "depend only on classes of opencx-core, the JDK, Jackson, SLF4J and langchain4j-core") {
                            @Override
                            public void check(JavaClass item, ConditionEvents events) {
                                for (Dependency d : item.getDirectDependenciesFromSelf()) {
                                    String refused = refusal(d.getTargetClass(), coreClasses);
                                    if (refused != null) {
                                        events.add(SimpleConditionEvent.violated(
                                                d, d.getDescription() + " -> " + refused));
                                    }
                                }
                            }
                        })
                .because("core is what every adapter author puts on the classpath: it must stay slim and"
                        + " must not depend on the modules that plug into it")
                .allowEmptyShould(true);
    }

    /** Why core may not use {@code target}, or null when it may. */
    static String refusal(JavaClass target, Set<String> coreClasses) {
        JavaClass base = target.getBaseComponentType();
        if (base.isPrimitive()) {
            return null;
        }
        String name = base.getName();
        if (coreClasses.contains(name)) {
            return null;
        }
        if (name.startsWith("dev.opencx.")) {
            return name + " is not in opencx-core (another OpenCX module)";
        }
        URL url = ModuleRules.class.getClassLoader().getResource(name.replace('.', '/') + ".class");
        if (url == null) {
            return name + " is not on core's classpath";
        }
        String where = url.toString();
        if (where.startsWith("jrt:")) {
            return null; // the JDK
        }
        int bang = where.indexOf("!/");
        String jar = bang < 0 ? where : where.substring(where.lastIndexOf('/', bang) + 1, bang);
        if (bang >= 0 && CORE_LIBRARIES.matcher(jar).matches()) {
            return null;
        }
        return name + " comes from " + jar + ", a library core may not use";
    }
}
