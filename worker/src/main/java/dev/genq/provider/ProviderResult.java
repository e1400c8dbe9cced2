package dev.genq.provider;

import java.net.URI;
import java.util.List;

/** The vendor's outputs, still at the vendor; {@code deliveredUnits} may be fewer than ordered. */
public record ProviderResult(List<Output> outputs, int deliveredUnits) {

    /** One output to fetch from the vendor. */
    public record Output(URI url, String contentType) {
    }
}
