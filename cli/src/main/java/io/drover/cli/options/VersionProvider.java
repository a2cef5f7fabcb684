package io.drover.cli.options;

import io.drover.sdk.DroverRelease;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: "drover RELEASE" (see {@link DroverRelease}). */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"drover " + DroverRelease.version()};
    }
}
