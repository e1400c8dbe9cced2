package dev.genq.api.activity;

import dev.genq.activity.Source;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.util.HttpClientAddressResolver;
import jakarta.inject.Singleton;

/**
 * Where a request came from: the client address as the server resolves it (honouring
 * {@code micronaut.server.client-address-header} behind a proxy) and the user agent.
 */
@Singleton
public class RequestSources {
    private final HttpClientAddressResolver addresses;

    RequestSources(HttpClientAddressResolver addresses) {
        this.addresses = addresses;
    }

    public Source of(HttpRequest<?> request) {
        return new Source(addresses.resolve(request), request.getHeaders().get(HttpHeaders.USER_AGENT));
    }
}
