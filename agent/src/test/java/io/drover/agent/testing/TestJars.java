package io.drover.agent.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds job jars at test time from compiled test classes: every .class file of one package is
 * copied in, so the agent can load them through its isolated class loader (which cannot see the
 * test classpath's copies).
 */
public final class TestJars {
    private TestJars() {
    }

    /** A jar holding every class of {@code anyClassInPackage}'s package (including nested classes). */
    public static byte[] ofPackage(Class<?> anyClassInPackage) {
        String packagePath = anyClassInPackage.getPackageName().replace('.', '/');
        try {
            Path root = Path.of(anyClassInPackage.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<Path> classes;
            try (Stream<Path> files = Files.list(root.resolve(packagePath))) {
                classes = files.filter(p -> p.toString().endsWith(".class")).sorted().toList();
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (JarOutputStream jar = new JarOutputStream(bytes)) {
                for (Path file : classes) {
                    JarEntry entry = new JarEntry(packagePath + "/" + file.getFileName());
                    entry.setTime(0); // same classes, same bytes, same hash
                    jar.putNextEntry(entry);
                    jar.write(Files.readAllBytes(file));
                    jar.closeEntry();
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
