package io.drover.sdk.cli;

import io.drover.sdk.DroverClient;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the SDK jar's Implementation-Version, or "development build" when run from classes. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = DroverClient.class.getPackage().getImplementationVersion();
        return new String[] {"drover " + (version != null ? version : "(development build)")};
    }
}
