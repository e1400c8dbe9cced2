package dev.genq.catalog;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** The catalog document as stored: a list of models. */
@Serdeable
record CatalogFile(List<Model> models) {
}
