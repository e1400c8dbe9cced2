package dev.genq.api.account;

import dev.genq.activity.Source;
import dev.genq.privacy.Privacy;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.server.types.files.StreamedFile;
import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * An export as a download. The archive is written to a temporary file first (an account's history
 * can be large; memory stays flat) and deleted once sent.
 */
public final class ArchiveResponses {
    private ArchiveResponses() {
    }

    public static HttpResponse<StreamedFile> export(Privacy privacy, UUID accountId, String actor, Source source) {
        try {
            Path file = Files.createTempFile("genq-export-", ".zip");
            try (OutputStream out = Files.newOutputStream(file)) {
                privacy.export(accountId, actor, source, out);
            } catch (RuntimeException | IOException e) {
                Files.deleteIfExists(file);
                throw e;
            }
            long size = Files.size(file);
            FilterInputStream stream = new FilterInputStream(new FileInputStream(file.toFile())) {
                @Override
                public void close() throws IOException {
                    super.close();
                    Files.deleteIfExists(file);
                }
            };
            return HttpResponse.ok(new StreamedFile(stream, MediaType.of("application/zip"), System.currentTimeMillis(), size)
                .attach("genq-account-" + accountId + ".zip"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
