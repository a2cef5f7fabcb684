package io.drover.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.protocol.thrift.ConstraintOp;
import io.drover.protocol.thrift.PlacementConstraint;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConstraintTextTest {
    @Test
    void readsEveryForm() {
        assertThat(ConstraintText.parse("gpu in (a100,h100)"))
                .isEqualTo(new PlacementConstraint("gpu", ConstraintOp.IN).setValues(List.of("a100", "h100")));
        assertThat(ConstraintText.parse("  gpu NOT IN ( t4 , v100 ) "))
                .isEqualTo(new PlacementConstraint("gpu", ConstraintOp.NOT_IN).setValues(List.of("t4", "v100")));
        assertThat(ConstraintText.parse("site != edge-3"))
                .isEqualTo(new PlacementConstraint("site", ConstraintOp.NE).setValues(List.of("edge-3")));
        assertThat(ConstraintText.parse("site=eu-1"))
                .isEqualTo(new PlacementConstraint("site", ConstraintOp.EQ).setValues(List.of("eu-1")));
        assertThat(ConstraintText.parse("ssd exists")).isEqualTo(new PlacementConstraint("ssd", ConstraintOp.EXISTS));
        assertThat(ConstraintText.parse("ssd not exists")).isEqualTo(new PlacementConstraint("ssd", ConstraintOp.NOT_EXISTS));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gpu in (a100,h100)", "gpu not in (t4)", "site != edge-3", "site = eu-1", "ssd exists", "ssd not exists"})
    void formatsWhatItReads(String text) {
        assertThat(ConstraintText.format(ConstraintText.parse(text))).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gpu in a100           | in takes a list in parentheses",
        "gpu in ()             | the list is empty",
        "gpu in (a100,,h100)   | each value must be",
        "site =                | the value must be",
        "site = eu 1           | the value must be",
        "g%u = x               | the label must be",
        "gpu > 3               | is not one of",
        "ssd                   | is not one of",
        "ssd exist             | is not one of"})
    void refusesWhatItCannotReadAndSaysWhy(String text, String reason) {
        assertThatThrownBy(() -> ConstraintText.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void refusesTooManyValuesAndEmptyText() {
        String many = "v in (" + String.join(",", java.util.Collections.nCopies(65, "x")) + ")";
        assertThatThrownBy(() -> ConstraintText.parse(many)).hasMessageContaining("at most 64");
        assertThatThrownBy(() -> ConstraintText.parse(" ")).hasMessageContaining("empty constraint");
    }
}
