package dev.genq.api.keys;

import dev.genq.api.auth.AdminAccess;
import dev.genq.api.auth.AdminCaller;
import dev.genq.http.ErrorResponses;
import dev.genq.staff.AdminKey;
import dev.genq.staff.AdminKeys;
import dev.genq.staff.AdminRole;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** People's admin keys: one per person, with a role (support, finance, admin); only an admin manages them. */
@ErrorResponses
@Controller("/admin/v1/keys")
@ExecuteOn(TaskExecutors.BLOCKING)
class AdminKeyController {
    private final AdminKeys keys;

    AdminKeyController(AdminKeys keys) {
        this.keys = keys;
    }

    @Serdeable
    record CreateRequest(@Nullable String person, @Nullable String role) {
    }

    @Serdeable
    record AdminKeyView(UUID id, String person, String role, String prefix, Instant createdAt, String createdBy,
                        @Nullable Instant lastUsedAt, @Nullable Instant revokedAt, @Nullable String key) {
        static AdminKeyView of(AdminKey k, @Nullable String secret) {
            return new AdminKeyView(k.id(), k.person(), k.role(), k.keyPrefix(), k.createdAt(), k.createdBy(), k.lastUsedAt(),
                k.revokedAt(), secret);
        }
    }

    @Serdeable
    record AdminKeyList(List<AdminKeyView> data) {
    }

    /** A key for a person; its secret is in this answer only. */
    @Post
    @AdminAccess(AdminRole.ADMIN)
    @Status(HttpStatus.CREATED)
    HttpResponse<AdminKeyView> create(@RequestAttribute(AdminCaller.ATTRIBUTE) AdminCaller admin, @Body CreateRequest body) {
        AdminKeys.Created created = keys.create(body.person(), AdminRole.parse(body.role()), admin.person());
        return HttpResponse.created(AdminKeyView.of(created.key(), created.secret()));
    }

    @Get
    @AdminAccess(AdminRole.ADMIN)
    AdminKeyList list() {
        return new AdminKeyList(keys.list().stream().map(k -> AdminKeyView.of(k, null)).toList());
    }

    @Post("/{id}/revoke")
    @AdminAccess(AdminRole.ADMIN)
    AdminKeyView revoke(@PathVariable UUID id) {
        return AdminKeyView.of(keys.revoke(id), null);
    }
}
