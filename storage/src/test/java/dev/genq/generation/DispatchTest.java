package dev.genq.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genq.support.StorageContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An account's dispatch window on real Redis: beyond it generations are held, and each one leaving QUEUED lets the oldest in. */
class DispatchTest {
    private final Dispatch dispatch = StorageContext.get().getBean(Dispatch.class);
    private final StatusCache cache = StorageContext.get().getBean(StatusCache.class);

    @Test
    void beyondTheWindowGenerationsWaitAndAStartLetsTheOldestIn() {
        UUID account = UUID.randomUUID();
        long t = Instant.now().toEpochMilli();
        List<UUID> admitted = new ArrayList<>();
        for (int i = 0; i < dispatch.window(); i++) {
            UUID id = UUID.randomUUID();
            assertThat(dispatch.admit(account, id, "emu-text", t + i)).isTrue();
            admitted.add(id);
        }
        UUID older = UUID.randomUUID();
        UUID newer = UUID.randomUUID();
        assertThat(dispatch.admit(account, older, "emu-text", t + 1_000)).isFalse();
        assertThat(dispatch.admit(account, newer, "emu-text", t + 2_000)).isFalse();
        assertThat(dispatch.admit(UUID.randomUUID(), UUID.randomUUID(), "emu-text", t)).as("another account's window is its own").isTrue();
        assertThat(dispatch.held(List.of(older, newer, admitted.getFirst()))).containsExactlyInAnyOrder(older, newer);

        cache.put(view(newer, account, GenerationStatus.CANCELLED)); // ended while held: leaves the line, lets nobody in
        assertThat(dispatch.held(List.of(older, newer))).containsExactly(older);

        cache.put(view(admitted.getFirst(), account, GenerationStatus.RUNNING));

        assertThat(dispatch.held(List.of(older))).as("let in when the first started").isEmpty();
        assertThat(dispatch.admit(account, UUID.randomUUID(), "emu-text", t + 3_000)).as("the window is full again").isFalse();
    }

    @Test
    void anAccountWhoseReleasesWereLostIsLetInByTheRequeuersSweep() {
        UUID account = UUID.randomUUID();
        long t = Instant.now().toEpochMilli();
        for (int i = 0; i < dispatch.window(); i++) {
            assertThat(dispatch.admit(account, UUID.randomUUID(), "emu-text", t + i)).isTrue();
        }
        UUID held = UUID.randomUUID();
        assertThat(dispatch.admit(account, held, "emu-text", t + 1_000)).isFalse();
        try (redis.clients.jedis.JedisPooled redis = new redis.clients.jedis.JedisPooled(dev.genq.devkit.services.TestServices.redis().uri())) {
            redis.del(Dispatch.dispatchedKey(account)); // as if every start's release had been lost
        }

        assertThat(dispatch.unstick()).isPositive();

        assertThat(dispatch.held(List.of(held))).isEmpty();
    }

    private static GenerationView view(UUID id, UUID account, GenerationStatus status) {
        return new GenerationView(id, account, "emu-text", status, 0, 1, 1, 1, List.of(), null, null, Instant.now(),
            status == GenerationStatus.RUNNING ? Instant.now() : null, status.isTerminal() ? Instant.now() : null, null, null, null,
            Map.of("prompt", "x"), null, null);
    }
}
