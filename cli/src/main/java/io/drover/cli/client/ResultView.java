package io.drover.cli.client;

import java.util.Optional;

/**
 * How the CLI shows a result: in the {@code --codec} the user chose; else in the codec the job
 * declared ({@code JobStatus.resultCodec}) when the CLI knows it; else, for a codec of the job's
 * own, as a short escaped preview with the way to get the bytes; else (process jobs, older
 * coordinators) as {@link ResultFormat#AUTO} guesses: text when printable, else hex.
 *
 * @param format how to format the bytes
 * @param declared the format comes from the job's declared codec (so a mismatch falls back to a guess)
 * @param foreignCodec the name of a codec the CLI cannot decode, else null
 */
record ResultView(ResultFormat format, boolean declared, String foreignCodec) {
    /** Bytes of a foreign codec's result shown as a preview. */
    static final int PREVIEW_BYTES = 48;

    static ResultView of(ResultFormat chosen, Optional<String> declaredCodec) {
        if (chosen != ResultFormat.AUTO || declaredCodec.isEmpty()) {
            return new ResultView(chosen, false, null);
        }
        return ResultFormat.declared(declaredCodec.get())
                .map(f -> new ResultView(f, true, null))
                .orElseGet(() -> new ResultView(ResultFormat.AUTO, false, declaredCodec.get()));
    }

    /**
     * The result as shown on a terminal.
     *
     * @throws IllegalArgumentException when the bytes are not a value of a format the user chose
     */
    String show(byte[] bytes, String rawHint) {
        if (foreignCodec != null) {
            return preview(bytes, foreignCodec, rawHint);
        }
        if (!declared) {
            return format.show(bytes, rawHint);
        }
        try {
            return format.show(bytes, rawHint);
        } catch (IllegalArgumentException e) {
            return ResultFormat.AUTO.show(bytes, rawHint); // the job's code broke its own codec: show what there is
        }
    }

    /** {@code 74 bytes in the job's codec X (drover cannot decode it; <rawHint> for the bytes): "ab\x00..."}. */
    static String preview(byte[] bytes, String codec, String rawHint) {
        StringBuilder out = new StringBuilder(PREVIEW_BYTES * 4 + 120);
        out.append(bytes.length).append(bytes.length == 1 ? " byte" : " bytes").append(" in the job's codec ")
                .append(SafeText.of(codec)).append(" (drover cannot decode it; ").append(rawHint)
                .append(" for the bytes): \"");
        int shown = Math.min(bytes.length, PREVIEW_BYTES);
        for (int i = 0; i < shown; i++) {
            int b = bytes[i] & 0xff;
            if (b == '\\' || b == '"') {
                out.append('\\').append((char) b);
            } else if (b >= 0x20 && b < 0x7f) {
                out.append((char) b);
            } else {
                out.append(String.format("\\x%02x", b));
            }
        }
        return out.append(shown < bytes.length ? "\"..." : "\"").toString();
    }
}
