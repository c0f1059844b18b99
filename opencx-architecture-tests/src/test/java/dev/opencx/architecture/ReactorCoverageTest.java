package dev.opencx.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.architecture.ReactorModules.Module;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules see every module of the build, and see each one compiled. */
class ReactorCoverageTest {

    @Test
    void every_module_of_the_reactor_is_built_before_the_architecture_tests() throws Exception {
        List<Module> all = ReactorModules.all();
        Module self = all.stream()
                .filter(m -> m.artifactId().equals(ReactorModules.SELF))
                .findFirst()
                .orElseThrow(() -> new AssertionError(ReactorModules.SELF + " is not a module of the root POM"));
        List<String> missing = ReactorModules.checked().stream()
                .map(Module::artifactId)
                .filter(a -> !self.dependencies().contains(a))
                .toList();

        assertThat(missing)
                .as(
                        "modules of the reactor that %s/pom.xml does not list as a dependency (add each with"
                                + " <type>pom</type> and the *:* exclusion like the others, so it is built before these"
                                + " tests and -am includes it)",
                        ReactorModules.SELF)
                .isEmpty();
    }

    @Test
    void the_rules_read_the_compiled_classes_of_core_and_the_adapters() throws Exception {
        var byModule = ModuleClasses.byModule();
        List<String> read = byModule.keySet().stream().map(Module::artifactId).toList();

        assertThat(read).contains(ReactorModules.CORE, "opencx-store-jdbc", "opencx-channel-web", "opencx-eval");
        byModule.forEach((m, classes) ->
                assertThat(classes.size()).as("classes read for %s", m).isPositive());
        System.out.printf(
                "architecture rules read %d modules, %d classes%n",
                byModule.size(),
                byModule.values().stream().mapToInt(c -> c.size()).sum());
    }
}
