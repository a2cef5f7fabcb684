package io.drover.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an application that embeds the SDK gets on its class path. The test class path is a
 * superset of the SDK's runtime one, so a class missing here is missing for users too; the
 * enforcer rules in sdk/pom.xml check the declared dependencies, this checks the result.
 */
class SdkDependenciesTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "picocli.CommandLine",                          // the CLI's parser
            "ch.qos.logback.classic.Logger",                // a logging backend: the application picks one
            "org.slf4j.simple.SimpleServiceProvider",       // nor any other SLF4J provider (SdkLoggingTest: no warning without one)
            "org.slf4j.nop.NOPServiceProvider",
            "io.drover.coordinator.CoordinatorServer",      // server code
            "io.drover.coordinator.core.Scheduler",
            "io.drover.agent.Agent",
            "io.drover.cli.DroverCli",
    })
    void doesNotBringIn(String className) {
        assertThat(load(className)).as("%s must stay off the SDK's class path", className).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "io.drover.protocol.CoordinatorConnection",     // drover-protocol
            "org.apache.thrift.TException",                 // libthrift, through drover-protocol
            "org.slf4j.Logger",                             // slf4j-api
    })
    void bringsInItsRuntimeDependencies(String className) {
        assertThat(load(className)).as("%s must be on the SDK's class path", className).isPresent();
    }

    /** Looks the class up without initialising it. */
    private static Optional<Class<?>> load(String className) {
        try {
            return Optional.of(Class.forName(className, false, SdkDependenciesTest.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
    }
}
