package io.drover.cli.client;

import io.drover.sdk.Codecs;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * How the CLI prints a result's bytes. {@code auto} prints text when the bytes are printable
 * UTF-8 and hex otherwise; {@code pi} reads an int64 array {@code [hits, samples]} (what
 * MonteCarloPi returns) and prints the estimate {@code 4 * hits / samples}.
 */
public enum ResultFormat {
    AUTO("auto"), UTF8("utf8"), INT64("int64"), FLOAT64("float64"), INT64_ARRAY("int64-array"), HEX("hex"), PI("pi");

    private final String cliName;

    ResultFormat(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** @throws IllegalArgumentException when the bytes are not a value of this format */
    public String format(byte[] bytes) {
        return switch (this) {
            case AUTO -> printableUtf8(bytes) ? new String(bytes, StandardCharsets.UTF_8) : HexFormat.of().formatHex(bytes);
            case UTF8 -> Codecs.utf8().decode(bytes);
            case INT64 -> Long.toString(Codecs.int64().decode(bytes));
            case FLOAT64 -> Double.toString(Codecs.float64().decode(bytes));
            case INT64_ARRAY -> Arrays.toString(Codecs.int64Array().decode(bytes));
            case HEX -> HexFormat.of().formatHex(bytes);
            case PI -> pi(Codecs.int64Array().decode(bytes));
        };
    }

    /** At most this many characters of a text result are shown, and this many bytes of a hex one. */
    static final int TEXT_CAP = 4096;
    static final int HEX_CAP = 1024;

    /**
     * The result as shown on a terminal: {@link #format}, with text escaped through {@link SafeText}
     * (keeping line breaks and tabs) and cut after {@value #TEXT_CAP} characters, hex after
     * {@value #HEX_CAP} bytes, followed by {@code " ... (N bytes; <rawHint> for all)"}.
     * Eight bytes shown as hex by {@code auto} get a hint that they may be a number.
     *
     * @throws IllegalArgumentException when the bytes are not a value of this format
     */
    public String show(byte[] bytes, String rawHint) {
        String more = " ... (" + bytes.length + " bytes; " + rawHint + " for all)";
        if (this == HEX || (this == AUTO && !printableUtf8(bytes))) {
            String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, HEX_CAP));
            if (bytes.length > HEX_CAP) {
                return hex + more;
            }
            return this == AUTO && bytes.length == 8
                    ? hex + "  (hex; --codec int64 or --codec float64 reads 8 bytes as a number)" : hex;
        }
        String text = format(bytes);
        if (text.length() <= TEXT_CAP) {
            return safeLines(text);
        }
        int cut = Character.isHighSurrogate(text.charAt(TEXT_CAP - 1)) ? TEXT_CAP - 1 : TEXT_CAP;
        return safeLines(text.substring(0, cut)) + more;
    }

    /** SafeText for each line and each tab-separated cell, so multi-line and tabular text keeps its shape. */
    private static String safeLines(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n' || text.charAt(i) == '\t') {
                out.append(SafeText.of(text.substring(start, i)));
                if (i < text.length()) {
                    out.append(text.charAt(i));
                }
                start = i + 1;
            }
        }
        return out.toString();
    }

    static String pi(long[] hitsAndSamples) {
        if (hitsAndSamples.length != 2 || hitsAndSamples[1] <= 0) {
            throw new IllegalArgumentException("pi: expected [hits, samples] with samples > 0, got "
                    + Arrays.toString(hitsAndSamples));
        }
        double estimate = 4.0 * hitsAndSamples[0] / hitsAndSamples[1];
        return String.format(Locale.ROOT, "%.6f (%d hits / %d samples, off by %.2e)",
                estimate, hitsAndSamples[0], hitsAndSamples[1], Math.abs(estimate - Math.PI));
    }

    private static boolean printableUtf8(byte[] bytes) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return false;
        }
        return s.codePoints().allMatch(c -> c == '\n' || c == '\t' || !Character.isISOControl(c));
    }

    /**
     * The format that prints values of a codec of the SDK's {@code Codecs}, by its name
     * ({@code ResultCodec.name()}); empty for any other codec.
     */
    public static Optional<ResultFormat> declared(String codecName) {
        return Optional.ofNullable(switch (codecName) {
            case "utf8" -> UTF8;
            case "int64" -> INT64;
            case "float64" -> FLOAT64;
            case "int64-array" -> INT64_ARRAY;
            case "bytes" -> AUTO; // bytes mean whatever the job made them: text when printable, else hex
            default -> null;
        });
    }

    /** Reads {@code --codec} values by their CLI names. */
    public static final class Converter implements ITypeConverter<ResultFormat> {
        @Override
        public ResultFormat convert(String value) {
            for (ResultFormat f : values()) {
                if (f.cliName.equalsIgnoreCase(value.trim())) {
                    return f;
                }
            }
            throw new TypeConversionException("'" + value + "' is not a codec; use one of "
                    + String.join(", ", Arrays.stream(values()).map(ResultFormat::cliName).toList()));
        }
    }
}
