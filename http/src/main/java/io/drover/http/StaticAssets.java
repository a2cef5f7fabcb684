package io.drover.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Files built into the jar under a class-path folder, served as they are: the console works on a grid
 * with no internet (no CDN). Names are checked against a strict pattern before any lookup, so no
 * {@code ..} or odd character reaches the class loader; only known file types are served.
 */
public final class StaticAssets implements Route {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\\.[a-z0-9]{1,5}");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon", "json", "application/json",
            "yaml", "application/yaml; charset=utf-8", "woff2", "font/woff2");

    private final ClassLoader loader;
    private final String folder;
    private final String index;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /**
     * @param folder class-path folder, e.g. {@code io/drover/console}
     * @param index what an empty path serves, e.g. {@code index.html}
     */
    public StaticAssets(ClassLoader loader, String folder, String index) {
        this.loader = loader;
        this.folder = folder.endsWith("/") ? folder : folder + "/";
        this.index = index;
    }

    /** For a route pattern ending in {@code *}: the rest of the path names the file. */
    @Override
    public Response handle(Request request) throws HttpProblem {
        String name = request.pathParams().getOrDefault("*", "");
        if (name.isEmpty()) {
            name = index;
        }
        if (!SAFE.matcher(name).matches()) {
            throw HttpProblem.notFound("no such file");
        }
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        if (type == null) {
            throw HttpProblem.notFound("no such file");
        }
        byte[] bytes = cache.computeIfAbsent(name, this::load);
        if (bytes.length == 0) {
            cache.remove(name);
            throw HttpProblem.notFound("no such file");
        }
        Response r = Response.bytes(200, type, bytes);
        if (type.startsWith("text/html")) {
            // The page loads only its own scripts and styles and talks only to this server.
            r = r.withHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
        }
        return r;
    }

    private byte[] load(String name) {
        try (InputStream in = loader.getResourceAsStream(folder + name)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder + name, e);
        }
    }
}
