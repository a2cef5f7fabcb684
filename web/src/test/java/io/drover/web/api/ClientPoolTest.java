package io.drover.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.http.HttpProblem;
import io.drover.sdk.DroverClient;
import io.drover.testkit.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The gateway's client pool: one client per token, bounded, idle ones closed. (Clients connect lazily: none here does.) */
class ClientPoolTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-07T09:00:00Z"));
    private final List<Optional<String>> made = new ArrayList<>();

    private ClientPool pool(int max) {
        return new ClientPool(token -> {
            made.add(token);
            return DroverClient.connect("127.0.0.1:1");
        }, max, Duration.ofMinutes(2), clock);
    }

    @Test
    void oneClientPerToken() throws HttpProblem {
        try (ClientPool pool = pool(4)) {
            DroverClient a;
            try (ClientPool.Lease l = pool.lease(Optional.of("token-a"))) {
                a = l.client();
            }
            try (ClientPool.Lease l = pool.lease(Optional.of("token-a"))) {
                assertThat(l.client()).isSameAs(a);
            }
            try (ClientPool.Lease l = pool.lease(Optional.of("token-b"))) {
                assertThat(l.client()).isNotSameAs(a);
            }
            assertThat(made).containsExactly(Optional.of("token-a"), Optional.of("token-b"));
        }
    }

    @Test
    void whenFullTheLeastRecentlyUsedIdleClientMakesRoom_andWhenAllAreBusyTheCallerIsTurnedAway() throws HttpProblem {
        try (ClientPool pool = pool(2)) {
            pool.lease(Optional.of("a")).close();
            clock.advance(Duration.ofSeconds(1));
            pool.lease(Optional.of("b")).close();
            pool.lease(Optional.of("c")).close(); // evicts a
            assertThat(pool.size()).isEqualTo(2);
            pool.lease(Optional.of("b")).close();
            assertThat(made).hasSize(3);

            try (ClientPool.Lease b = pool.lease(Optional.of("b")); ClientPool.Lease c = pool.lease(Optional.of("c"))) {
                assertThatThrownBy(() -> pool.lease(Optional.of("d"))).isInstanceOf(HttpProblem.class)
                        .satisfies(e -> assertThat(((HttpProblem) e).status()).isEqualTo(503))
                        .hasMessageContaining("too many callers");
            }
        }
    }

    @Test
    void idleClientsAreClosedAfterTheIdleTime() throws HttpProblem {
        try (ClientPool pool = pool(4)) {
            pool.lease(Optional.of("a")).close();
            clock.advance(Duration.ofMinutes(3));
            pool.lease(Optional.of("b")).close();
            assertThat(pool.size()).isEqualTo(1);
        }
    }
}
