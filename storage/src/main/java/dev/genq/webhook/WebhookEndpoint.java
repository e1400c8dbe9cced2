package dev.genq.webhook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** Where an account wants its generations' ends POSTed, and the secret they are signed with. */
@MappedEntity("webhook_endpoint")
public record WebhookEndpoint(@Id UUID id, UUID accountId, String url, String secret, @Nullable String description,
                              @GeneratedValue Instant createdAt, @Nullable Instant disabledAt) {
}
