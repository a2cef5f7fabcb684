package io.drover.agent.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
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
        return ofPackage(anyClassInPackage, 0);
    }

    /**
     * The same jar plus {@code paddingBytes} of incompressible filler, for artifacts that take many
     * download chunks. Same arguments, same bytes.
     */
    public static byte[] ofPackage(Class<?> anyClassInPackage, int paddingBytes) {
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
                if (paddingBytes > 0) {
                    byte[] filler = new byte[paddingBytes];
                    new Random(paddingBytes).nextBytes(filler);
                    JarEntry entry = new JarEntry("padding.bin");
                    entry.setTime(0);
                    jar.putNextEntry(entry);
                    jar.write(filler);
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
