package io.drover.agent.jobcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.sdk.ShardedJob;
import org.junit.jupiter.api.Test;

class SdkApiClassLoaderTest {
    private final SdkApiClassLoader loader = new SdkApiClassLoader(ShardedJob.class.getClassLoader());

    @Test
    void sharesThePublicSdkAndTheJdk() throws ClassNotFoundException {
        assertThat(loader.loadClass("io.drover.sdk.ShardedJob")).isSameAs(ShardedJob.class);
        assertThat(loader.loadClass("java.sql.Timestamp")).isSameAs(java.sql.Timestamp.class);
    }

    @Test
    void hidesSdkInternalsTheAgentAndItsLibraries() {
        assertThatThrownBy(() -> loader.loadClass("io.drover.protocol.WireLimits")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> loader.loadClass("io.drover.agent.Agent")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> loader.loadClass("org.slf4j.Logger")).isInstanceOf(ClassNotFoundException.class);
        assertThat(loader.getResource("logback-test.xml")).isNull();
    }
}
