package dev.genq.generation;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** What operators and maintenance ask about many generations at once; it changes nothing. */
@Singleton
public class GenerationSearch {
    private final GenerationRepository repository;
    private final Clock clock;

    GenerationSearch(GenerationRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public Optional<Generation> find(UUID id) {
        return repository.findById(id);
    }

    /**
     * An operator's page of generations, newest first, strictly after {@code cursor}: of one status
     * and one account when given, and only running vendor tasks past their deadline when {@code overdue}.
     */
    public List<Generation> search(@Nullable GenerationStatus status, @Nullable UUID accountId, boolean overdue,
                                   HistoryCursor cursor, int limit) {
        return repository.search(status == null ? null : status.name(), accountId, overdue, Generation.now(clock),
            cursor.createdAt(), cursor.id(), limit);
    }

    /** How many running vendor tasks are past their deadline at {@code now}. */
    public long overdueCount(Instant now) {
        return repository.countOverdue(now);
    }

    /** Unfinished generations whose reservation expired before {@code now}, oldest expiry first. */
    public List<Generation> expired(Instant now, int limit) {
        return repository.findExpired(now, limit);
    }

    /** Generations that are QUEUED and older than {@code before} but have no JobRunr job. */
    public List<UUID> queuedWithoutJob(Instant before, int limit) {
        return repository.findQueuedWithoutJob(before, limit);
    }
}
