package dev.genq.generation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface GenerationRepository extends GenericRepository<Generation, UUID> {

    Generation save(Generation generation);

    Optional<Generation> findById(UUID id);

    /**
     * Writes every mutable column of {@code next}, only if the row still has the status and attempt
     * count it was read with. Returns 1 when written, 0 when another writer got there first.
     */
    @Query("""
        UPDATE generation SET status = :status, progress = :progress, attempts = :attempts, provider = :provider,
            provider_task_id = :providerTaskId, provider_deadline_at = :providerDeadlineAt, next_check_at = :nextCheckAt,
            outputs = :outputs::jsonb, error_code = :errorCode,
            error_message = :errorMessage, started_at = :startedAt, finished_at = :finishedAt, updated_at = :updatedAt
        WHERE id = :id AND status = :expectedStatus AND attempts = :expectedAttempts""")
    int compareAndSet(UUID id, GenerationStatus expectedStatus, int expectedAttempts, GenerationStatus status,
                      int progress, int attempts, @Nullable String provider, @Nullable String providerTaskId,
                      @Nullable Instant providerDeadlineAt, @Nullable Instant nextCheckAt, String outputs,
                      @Nullable String errorCode, @Nullable String errorMessage, @Nullable Instant startedAt,
                      @Nullable Instant finishedAt, Instant updatedAt);

    default boolean compareAndSet(Generation current, Generation next) {
        return compareAndSet(next.id(), current.status(), current.attempts(), next.status(), next.progress(),
            next.attempts(), next.provider(), next.providerTaskId(), next.providerDeadlineAt(), next.nextCheckAt(),
            next.outputs(), next.errorCode(), next.errorMessage(),
            next.startedAt(), next.finishedAt(), next.updatedAt()) == 1;
    }

    /** One page of an account's history, newest first, strictly after the (createdAt, id) cursor. */
    @Query("""
        SELECT * FROM generation
        WHERE account_id = :accountId AND (created_at, id) < (:createdAt, :id)
        ORDER BY created_at DESC, id DESC LIMIT :limit""")
    List<Generation> findPage(UUID accountId, Instant createdAt, UUID id, int limit);

    /**
     * QUEUED generations older than {@code before} that have no JobRunr job: their enqueue was lost.
     * The cast matches JobRunr's char(36) key type, so its primary-key index serves the lookup.
     */
    @Query("""
        SELECT g.id FROM generation g
        WHERE g.status = 'QUEUED' AND g.created_at < :before
          AND NOT EXISTS (SELECT 1 FROM jobrunr_jobs j WHERE j.id = CAST(g.id AS char(36)))
        ORDER BY g.created_at LIMIT :limit""")
    List<UUID> findQueuedWithoutJob(Instant before, int limit);

    /** Unfinished generations whose reservation expired before {@code now} and is still open. */
    @Query("""
        SELECT g.* FROM ledger_transfer p JOIN generation g ON g.id = p.id
        WHERE p.kind = 'PENDING' AND p.expires_at < :now AND g.status IN ('QUEUED', 'RUNNING')
          AND NOT EXISTS (SELECT 1 FROM ledger_transfer r WHERE r.pending_id = p.id)
        ORDER BY p.expires_at LIMIT :limit""")
    List<Generation> findExpired(Instant now, int limit);

    /**
     * Takes up to {@code limit} RUNNING generations whose vendor task is due for a check, leasing
     * them to the caller until {@code leaseUntil}: their next check moves there, so no other worker
     * takes them meanwhile, and a webhook meanwhile only marks them woken. This check answers any
     * wake that came before it. SKIP LOCKED lets workers claim side by side; a worker that dies just
     * lets the lease run out.
     */
    @Query("""
        UPDATE generation SET next_check_at = :leaseUntil, check_leased_until = :leaseUntil, woken_at = NULL
        WHERE id IN (SELECT id FROM generation
                     WHERE status = 'RUNNING' AND provider_task_id IS NOT NULL AND next_check_at <= :now
                     ORDER BY next_check_at LIMIT :limit FOR UPDATE SKIP LOCKED)
        RETURNING *""")
    List<Generation> claimDue(Instant now, Instant leaseUntil, int limit);

    /** The earliest due check of a running vendor task, from the due-checks index. */
    @Query("SELECT min(next_check_at) FROM generation WHERE status = 'RUNNING' AND provider_task_id IS NOT NULL")
    Optional<Instant> findNextCheckDue();

    @Query("SELECT * FROM generation WHERE account_id = :accountId AND status = 'QUEUED' ORDER BY created_at LIMIT :limit")
    List<Generation> findQueued(UUID accountId, int limit);
}
