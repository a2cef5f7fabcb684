package io.drover.sdk.internal;

import io.drover.sdk.InvalidJobException;
import io.drover.sdk.ShardedJob;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Checks, before anything is uploaded, that a local job jar holds the entry class and that the
 * class can be a job: public, not abstract, implementing {@link ShardedJob}, with a public
 * no-argument constructor. The class is loaded the way an agent loads it (a throwaway loader over
 * the jar whose parent sees only the JDK and the public {@code io.drover.sdk} API) but never
 * initialized, so no job code runs on the client.
 */
public final class JobJarCheck {
    private static final String SDK_PREFIX = "io.drover.sdk.";
    private static final String SDK_INTERNAL_PREFIX = "io.drover.sdk.internal.";

    private JobJarCheck() {
    }

    /** @throws InvalidJobException naming the class, the jar and what is wrong */
    public static void check(Path jar, String entryClass) {
        String jarName = String.valueOf(jar.getFileName());
        List<String> classes = classNames(jar, jarName);
        if (!classes.contains(entryClass)) {
            throw new InvalidJobException("no class " + entryClass + " in " + jarName + suggestion(entryClass, classes));
        }
        Class<?> type;
        try (URLClassLoader loader = new URLClassLoader("drover-job-check", new URL[] {jar.toUri().toURL()},
                new SdkApi(ShardedJob.class.getClassLoader()))) {
            try {
                type = Class.forName(entryClass, false, loader);
                describeProblem(type, entryClass, jarName);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new InvalidJobException("class " + entryClass + " in " + jarName + " cannot be loaded: " + e
                        + " (job code sees only the JDK, the public io.drover.sdk API and its own jar)");
            }
        } catch (IOException e) {
            throw new InvalidJobException("cannot read job jar " + jar + ": " + e.getMessage());
        }
    }

    private static void describeProblem(Class<?> type, String entryClass, String jarName) {
        String where = "class " + entryClass + " in " + jarName;
        int modifiers = type.getModifiers();
        if (type.isInterface() || type.isEnum() || type.isAnnotation()) {
            throw new InvalidJobException(where + " is not a class: the entry class must be a class implementing "
                    + ShardedJob.class.getName());
        }
        if (!ShardedJob.class.isAssignableFrom(type)) {
            throw new InvalidJobException(where + " does not implement " + ShardedJob.class.getName());
        }
        if (!Modifier.isPublic(modifiers)) {
            throw new InvalidJobException(where + " is not public");
        }
        if (Modifier.isAbstract(modifiers)) {
            throw new InvalidJobException(where + " is abstract");
        }
        if (type.isMemberClass() && !Modifier.isStatic(modifiers)) {
            throw new InvalidJobException(where + " is an inner class: make it static");
        }
        try {
            type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new InvalidJobException(where + " has no public no-argument constructor");
        }
    }

    private static List<String> classNames(Path jar, String jarName) {
        List<String> names = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String entry = entries.nextElement().getName();
                if (entry.endsWith(".class") && !entry.startsWith("META-INF/")) {
                    names.add(entry.substring(0, entry.length() - ".class".length()).replace('/', '.'));
                }
            }
        } catch (IOException e) {
            throw new InvalidJobException(jarName + " is not a readable jar (" + e.getMessage() + "): " + jar);
        }
        return names;
    }

    /** "; did you mean a.b.Y?" when classes with the same simple name exist (case-insensitively). */
    private static String suggestion(String entryClass, List<String> classes) {
        String simple = simpleName(entryClass);
        List<String> same = new ArrayList<>();
        for (String name : classes) {
            if (simpleName(name).equalsIgnoreCase(simple)) {
                same.add(name);
            }
        }
        if (same.isEmpty()) {
            return "";
        }
        Collections.sort(same);
        return "; did you mean " + String.join(" or ", same.subList(0, Math.min(3, same.size()))) + "?";
    }

    private static String simpleName(String className) {
        String s = className.substring(className.lastIndexOf('.') + 1);
        return s.substring(s.lastIndexOf('$') + 1);
    }

    /** The parent an agent gives job code: the JDK (platform loader) and the public SDK, nothing else. */
    private static final class SdkApi extends ClassLoader {
        private final ClassLoader sdkLoader;

        SdkApi(ClassLoader sdkLoader) {
            super("drover-sdk-api-check", ClassLoader.getPlatformClassLoader());
            this.sdkLoader = sdkLoader;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (name.startsWith(SDK_PREFIX) && !name.startsWith(SDK_INTERNAL_PREFIX)) {
                return sdkLoader.loadClass(name);
            }
            throw new ClassNotFoundException(name);
        }

        @Override
        protected URL findResource(String name) {
            return null;
        }

        @Override
        protected Enumeration<URL> findResources(String name) {
            return Collections.emptyEnumeration();
        }
    }
}
