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
            error_message = :errorMessage, started_at = :startedAt, finished_at = :finishedAt, updated_at = :updatedAt,
            charged_coins = :chargedCoins, delivered_units = :deliveredUnits
        WHERE id = :id AND status = :expectedStatus AND attempts = :expectedAttempts""")
    int compareAndSet(UUID id, GenerationStatus expectedStatus, int expectedAttempts, GenerationStatus status,
                      int progress, int attempts, @Nullable String provider, @Nullable String providerTaskId,
                      @Nullable Instant providerDeadlineAt, @Nullable Instant nextCheckAt, String outputs,
                      @Nullable String errorCode, @Nullable String errorMessage, @Nullable Instant startedAt,
                      @Nullable Instant finishedAt, Instant updatedAt, @Nullable Long chargedCoins,
                      @Nullable Integer deliveredUnits);

    /** Cancel requests are not written here: they are the owner's, and {@link #requestCancel} writes them alone. */
    default boolean compareAndSet(Generation current, Generation next) {
        return compareAndSet(next.id(), current.status(), current.attempts(), next.status(), next.progress(),
            next.attempts(), next.provider(), next.providerTaskId(), next.providerDeadlineAt(), next.nextCheckAt(),
            next.outputs(), next.errorCode(), next.errorMessage(),
            next.startedAt(), next.finishedAt(), next.updatedAt(), next.chargedCoins(), next.deliveredUnits()) == 1;
    }

    /** Records the owner's wish to stop a RUNNING generation, once; empty when it is not RUNNING or was asked before. */
    @Query("""
        UPDATE generation SET cancel_requested_at = :now, updated_at = :now
        WHERE id = :id AND status = 'RUNNING' AND cancel_requested_at IS NULL
        RETURNING *""")
    List<Generation> requestCancel(UUID id, Instant now);

    /**
     * Makes a running vendor task's check due now, as a webhook's wake does: a task leased to a
     * worker is marked woken instead, so that check's end makes it due. With {@code deadlineBy}, the
     * task's deadline also moves there at the latest (a task whose reservation expired takes the
     * deadline's path: cancel at the vendor, then settle from its answer).
     */
    @Query("""
        UPDATE generation SET provider_deadline_at = least(provider_deadline_at, coalesce(CAST(:deadlineBy AS timestamptz), provider_deadline_at)),
                              next_check_at = CASE WHEN check_leased_until > :now THEN next_check_at ELSE :now END,
                              woken_at = CASE WHEN check_leased_until > :now THEN :now ELSE woken_at END
        WHERE id = :id AND status = 'RUNNING' AND provider_task_id IS NOT NULL""")
    int makeDue(UUID id, Instant now, @Nullable Instant deadlineBy);

    /** Records that genq asked the vendor to cancel the task, so later checks only ask how it ended. */
    @Query("UPDATE generation SET vendor_cancel_at = :at WHERE id = :id AND status = 'RUNNING' AND vendor_cancel_at IS NULL")
    int markVendorCancel(UUID id, Instant at);

    /** Running vendor tasks past their deadline, through the due-checks index that holds every running task. */
    @Query("""
        SELECT count(*) FROM generation
        WHERE status = 'RUNNING' AND provider_task_id IS NOT NULL AND next_check_at IS NOT NULL AND provider_deadline_at < :now""")
    long countOverdue(Instant now);

    /**
     * An admin's page of generations, newest first, strictly after the (createdAt, id) cursor:
     * optionally of one status and one account, and optionally only running vendor tasks past their
     * deadline at {@code now}.
     */
    @Query("""
        SELECT * FROM generation
        WHERE (CAST(:status AS text) IS NULL OR status = CAST(:status AS text))
          AND (CAST(:accountId AS uuid) IS NULL OR account_id = CAST(:accountId AS uuid))
          AND (NOT :overdue OR (status = 'RUNNING' AND provider_task_id IS NOT NULL AND provider_deadline_at < :now))
          AND (created_at, id) < (:createdAt, :id)
        ORDER BY created_at DESC, id DESC LIMIT :limit""")
    List<Generation> search(@Nullable String status, @Nullable UUID accountId, boolean overdue, Instant now,
                            Instant createdAt, UUID id, int limit);

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
