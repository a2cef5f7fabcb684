package io.drover.protocol;

/**
 * Which result codec names cross the wire. The name is a label for clients (which codec decodes a
 * job's results), never code to load, so anything odd is dropped rather than refused: an agent must
 * not be wedged by a result it cannot deliver.
 */
public final class ResultCodecNames {
    /** Class names of job-defined codecs fit; longer names are not reported. */
    public static final int MAX_CHARS = 256;

    private ResultCodecNames() {
    }

    /**
     * The name when it may be reported and shown: 1 to {@link #MAX_CHARS} characters, none of them
     * whitespace or control characters.
     *
     * @param name a codec name as a job declared it, or null
     * @return the name, or null when it is null or not usable
     */
    public static String usable(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_CHARS) {
            return null;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)
                    || Character.getType(c) == Character.FORMAT) {
                return null;
            }
        }
        return name;
    }
}
