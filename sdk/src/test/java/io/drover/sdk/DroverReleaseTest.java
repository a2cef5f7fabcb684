package io.drover.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DroverReleaseTest {
    private final String before = System.getProperty(DroverRelease.PROPERTY);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(DroverRelease.PROPERTY);
        } else {
            System.setProperty(DroverRelease.PROPERTY, before);
        }
    }

    @Test
    void theReleasePropertyNamesTheRelease() {
        System.setProperty(DroverRelease.PROPERTY, " 0.2.0-rolling\n");
        assertThat(DroverRelease.version()).isEqualTo("0.2.0-rolling");
    }

    @Test
    void withoutItTheJarManifestOrDevWhenRunFromClasses() {
        System.setProperty(DroverRelease.PROPERTY, " ");
        // Tests run from target/classes: no manifest, so "dev".
        assertThat(DroverRelease.version()).isEqualTo("dev");
    }
}
