package dev.opencx.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.opencx.architecture.ReactorModules.Module;
import dev.opencx.architecture.fixtures.LeaksIntoCore;
import dev.opencx.architecture.fixtures.UsesCoreInternals;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module rules, over the main classes of every module in the reactor (read from the root POM, so
 * a module added later is covered). Core is located by its module, not by package name.
 */
class ArchitectureTest {

    @Test
    void no_module_outside_core_depends_on_core_internals() throws Exception {
        List<String> failures = new ArrayList<>();
        Module core = ModuleClasses.core();
        for (var e : ModuleClasses.byModule().entrySet()) {
            if (!e.getKey().equals(core)) {
                report(e.getKey(), ModuleRules.noUseOfCoreInternals(), e.getValue(), failures);
            }
        }
        failIfAny(failures);
    }

    @Test
    void no_module_depends_on_the_internal_packages_of_another_module() throws Exception {
        Map<Module, JavaClasses> all = ModuleClasses.byModule();
        Map<Module, Set<String>> internals =
                new TreeMap<>((a, b) -> a.artifactId().compareTo(b.artifactId()));
        for (var e : all.entrySet()) {
            Set<String> packages = e.getValue().stream()
                    .map(JavaClass::getPackageName)
                    .filter(p -> p.endsWith(".internal") || p.contains(".internal."))
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!packages.isEmpty()) {
                internals.put(e.getKey(), packages);
            }
        }
        List<String> failures = new ArrayList<>();
        for (var owner : internals.entrySet()) {
            ArchRule rule = ModuleRules.noUseOfInternals(owner.getKey().artifactId(), owner.getValue());
            for (var e : all.entrySet()) {
                if (!e.getKey().equals(owner.getKey())) {
                    report(e.getKey(), rule, e.getValue(), failures);
                }
            }
        }
        failIfAny(failures);
    }

    @Test
    void core_depends_on_no_other_module_and_no_library_but_jackson_slf4j_and_langchain4j_core() throws Exception {
        Module core = ModuleClasses.core();
        JavaClasses coreClasses = ModuleClasses.byModule().get(core);
        assertThat(coreClasses.contain("dev.opencx.OpenCx"))
                .as("core's classes were found in %s", core.classes())
                .isTrue();
        List<String> failures = new ArrayList<>();
        report(core, ModuleRules.coreDependsOnlyOnItsLibraries(names(coreClasses)), coreClasses, failures);
        failIfAny(failures);
    }

    @Test
    void no_package_is_split_across_two_modules() throws Exception {
        Map<String, Set<String>> modulesByPackage = new TreeMap<>();
        for (var e : ModuleClasses.byModule().entrySet()) {
            for (JavaClass c : e.getValue()) {
                modulesByPackage
                        .computeIfAbsent(c.getPackageName(), p -> new TreeSet<>())
                        .add(e.getKey().artifactId());
            }
        }
        List<String> split = modulesByPackage.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .map(e -> "package " + e.getKey() + " is in " + String.join(" and ", e.getValue()))
                .toList();
        if (!split.isEmpty()) {
            fail("a package may live in one jar only (the module path refuses split packages; give each module"
                    + " packages of its own, e.g. dev.opencx.<feature>.<vendor>):\n  " + String.join("\n  ", split));
        }
    }

    // The rules must bite: a class that breaks them is reported with its name and the dependency.

    @Test
    void the_internals_rule_names_the_offending_class_and_dependency() {
        JavaClasses fixture = new ClassFileImporter().importClasses(UsesCoreInternals.class);

        EvaluationResult r = ModuleRules.noUseOfCoreInternals().evaluate(fixture);

        assertThat(r.hasViolation()).isTrue();
        assertThat(r.getFailureReport().toString())
                .contains(UsesCoreInternals.class.getName())
                .contains("dev.opencx.internal.RealChain");
    }

    @Test
    void the_core_rule_names_a_foreign_library_and_an_opencx_class_outside_core() throws Exception {
        JavaClasses fixture = new ClassFileImporter().importClasses(LeaksIntoCore.class);
        Set<String> coreClasses = names(ModuleClasses.byModule().get(ModuleClasses.core()));

        EvaluationResult r =
                ModuleRules.coreDependsOnlyOnItsLibraries(coreClasses).evaluate(fixture);

        String report = r.getFailureReport().toString();
        assertThat(report)
                .contains(LeaksIntoCore.class.getName())
                .containsPattern("org\\.assertj\\.core\\.api\\.Assertions comes from assertj-core-[0-9.]+\\.jar")
                .contains(UsesCoreInternals.class.getName() + " is not in opencx-core");
        assertThat(report).doesNotContain("java.lang.String ").doesNotContain("dev.opencx.OpenCx ");
    }

    private static Set<String> names(JavaClasses classes) {
        return classes.stream().map(JavaClass::getName).collect(Collectors.toSet());
    }

    private static void report(Module module, ArchRule rule, JavaClasses classes, List<String> failures) {
        EvaluationResult r = rule.evaluate(classes);
        if (r.hasViolation()) {
            failures.add(module.artifactId() + ": " + r.getFailureReport());
        }
    }

    private static void failIfAny(List<String> failures) {
        if (!failures.isEmpty()) {
            fail(String.join("\n\n", failures));
        }
    }
}
