package dev.genq.provider;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;

/**
 * One vendor account, configured under {@code genq.providers.<name>}; catalog models name it as
 * their provider. A class rather than an interface so the account's name can be injected.
 */
@EachProperty("genq.providers")
public class ProviderConfig {
    private final String name;
    private ProviderType type = ProviderType.generic;
    private String baseUrl;
    private String apiKey;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration pollInterval = Duration.ofSeconds(1);
    private Duration maxPollInterval = Duration.ofSeconds(30);
    private Duration webhookPollInterval = Duration.ofSeconds(30);
    private Duration deadline = Duration.ofMinutes(15);
    private int maxConcurrency;
    private int maxRequestsPerSecond;
    private int fallbackDivisor = 4;
    private String webhookSecret;
    private String webhookJwksUrl;

    public ProviderConfig(@Parameter String name) {
        this.name = name;
    }

    /** The account's name, as catalog models refer to it. */
    public String getName() {
        return name;
    }

    /** The wire format the account speaks. Default {@code generic}: genq's protocol, or the shape the route's options describe. */
    public ProviderType getType() {
        return type;
    }

    public void setType(ProviderType type) {
        this.type = type;
    }

    /** Base URL of the vendor's API. Required. */
    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Bearer credential; from a secret in production, never logged. */
    @Nullable
    public String getApiKey() {
        return apiKey;
    }

    public void setApiKey(@Nullable String apiKey) {
        this.apiKey = apiKey;
    }

    /** TCP connect timeout. Default 5 s. */
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** Timeout of one HTTP request to the vendor. Default 30 s. */
    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    /**
     * Shortest pause between checks of a running vendor task. Default 1 s. The pause grows with the
     * task's age (an eighth of it) up to {@link #getMaxPollInterval()}, so a quick image is seen
     * done at once while a minutes-long video is not asked about every second.
     */
    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    /** Longest pause between checks of a running vendor task. Default 30 s. */
    public Duration getMaxPollInterval() {
        return maxPollInterval;
    }

    public void setMaxPollInterval(Duration maxPollInterval) {
        this.maxPollInterval = maxPollInterval;
    }

    /**
     * Pause between checks of a task whose vendor calls back when it changes (webhooks set up for
     * the account): the checks then only cover a lost webhook. Default 30 s.
     */
    public Duration getWebhookPollInterval() {
        return webhookPollInterval;
    }

    public void setWebhookPollInterval(Duration webhookPollInterval) {
        this.webhookPollInterval = webhookPollInterval;
    }

    /** The pause before the next check of a task that has been running for {@code age}. */
    public Duration nextCheckAfter(Duration age) {
        Duration adaptive = age.dividedBy(8);
        return adaptive.compareTo(pollInterval) < 0 ? pollInterval
            : adaptive.compareTo(maxPollInterval) > 0 ? maxPollInterval : adaptive;
    }

    /** How long one vendor task may take before genq gives up on it. Default 15 minutes. */
    public Duration getDeadline() {
        return deadline;
    }

    public void setDeadline(Duration deadline) {
        this.deadline = deadline;
    }

    /**
     * Most tasks this account may have running at the vendor at once, across all workers (enforced
     * through Redis). Default 0: no limit. Vendors bill and throttle per account, so this is the cap
     * their contract states.
     */
    public int getMaxConcurrency() {
        return maxConcurrency;
    }

    public void setMaxConcurrency(int maxConcurrency) {
        this.maxConcurrency = maxConcurrency;
    }

    /** Most HTTP requests per second to this account, across all workers. Default 0: no limit. */
    public int getMaxRequestsPerSecond() {
        return maxRequestsPerSecond;
    }

    public void setMaxRequestsPerSecond(int maxRequestsPerSecond) {
        this.maxRequestsPerSecond = maxRequestsPerSecond;
    }

    /**
     * While Redis is unreachable each worker enforces the limits alone, at this fraction of them
     * (rounded down, at least 1). Default 4, for about four workers: the cluster then stays near the
     * cap instead of overrunning it by the worker count.
     */
    public int getFallbackDivisor() {
        return fallbackDivisor;
    }

    public void setFallbackDivisor(int fallbackDivisor) {
        this.fallbackDivisor = fallbackDivisor;
    }

    /**
     * Secret the vendor signs its webhooks with: genq's own scheme for {@code generic} accounts, the
     * {@code whsec_…} signing secret for {@code replicate}. Unset: genq asks for no webhooks and
     * relies on polling alone.
     */
    @Nullable
    public String getWebhookSecret() {
        return webhookSecret;
    }

    public void setWebhookSecret(@Nullable String webhookSecret) {
        this.webhookSecret = webhookSecret;
    }

    /**
     * Where a {@code fal} account's webhook verification keys are published (a JWKS of Ed25519 keys;
     * fal's is {@code https://rest.alpha.fal.ai/.well-known/jwks.json}). Unset: no fal webhooks, polling alone.
     */
    @Nullable
    public String getWebhookJwksUrl() {
        return webhookJwksUrl;
    }

    public void setWebhookJwksUrl(@Nullable String webhookJwksUrl) {
        this.webhookJwksUrl = webhookJwksUrl;
    }
}
