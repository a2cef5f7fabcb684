package io.drover.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CodecsTest {

    @Test
    void roundTripsEveryCodec() {
        assertThat(Codecs.utf8().decode(Codecs.utf8().encode("x=1.5,f=π"))).isEqualTo("x=1.5,f=π");
        assertThat(Codecs.int64().decode(Codecs.int64().encode(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
        assertThat(Codecs.float64().decode(Codecs.float64().encode(Math.PI))).isEqualTo(Math.PI);
        assertThat(Codecs.int64Array().decode(Codecs.int64Array().encode(new long[] {3, -4, 5}))).containsExactly(3, -4, 5);
        assertThat(Codecs.int64Array().decode(new byte[0])).isEmpty();
        assertThat(Codecs.bytes().decode(Codecs.bytes().encode(new byte[] {1, 2}))).containsExactly(1, 2);
    }

    @Test
    void everyCodecHasAStableNameThatFindsItAgain() {
        List<ResultCodec<?>> all = List.of(Codecs.utf8(), Codecs.int64(), Codecs.float64(), Codecs.int64Array(),
                Codecs.bytes());
        assertThat(all).extracting(ResultCodec::name).containsExactly("utf8", "int64", "float64", "int64-array", "bytes");
        for (ResultCodec<?> c : all) {
            assertThat(Codecs.named(c.name())).get().extracting(ResultCodec::name).isEqualTo(c.name());
        }
        assertThat(Codecs.named("com.example.PointCodec")).isEmpty();
        assertThat(Codecs.named(null)).isEmpty();
    }

    @Test
    void aJobsOwnCodecIsNamedByItsClassUnlessItSaysOtherwise() {
        assertThat(new PointCodec().name()).isEqualTo(PointCodec.class.getName());
    }

    private static final class PointCodec implements ResultCodec<int[]> {
        @Override public byte[] encode(int[] value) { return new byte[0]; }
        @Override public int[] decode(byte[] bytes) { return new int[0]; }
    }

    @Test
    void int64IsBigEndianSoOtherLanguagesCanReadIt() {
        assertThat(Codecs.int64().encode(1L)).containsExactly(0, 0, 0, 0, 0, 0, 0, 1);
    }

    @Test
    void rejectsBytesOfTheWrongLength() {
        assertThatThrownBy(() -> Codecs.int64().decode(new byte[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("int64: expected 8 bytes, got 3");
        assertThatThrownBy(() -> Codecs.int64Array().decode(new byte[9]))
                .hasMessage("int64Array: 9 bytes is not a multiple of 8");
    }
}
