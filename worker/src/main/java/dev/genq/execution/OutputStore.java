package dev.genq.execution;

import dev.genq.blob.BlobStore;
import dev.genq.catalog.ModelKind;
import dev.genq.generation.Generation;
import dev.genq.generation.GenerationOutput;
import dev.genq.infra.JdkHttp;
import dev.genq.provider.ProviderException;
import dev.genq.provider.ProviderResult;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Copies outputs from the vendor into S3 as a stream (the bytes never sit in memory whole) under
 * keys genq makes: {@code outputs/<account>/<generation>/<index><ext>}. Keys are deterministic, so
 * a re-run overwrites rather than leaks objects.
 */
@Singleton
class OutputStore {
    private static final Map<String, String> EXTENSIONS = Map.of(
        "image/png", ".png", "image/jpeg", ".jpg", "image/webp", ".webp", "video/mp4", ".mp4",
        "audio/mpeg", ".mp3", "audio/wav", ".wav", "text/plain", ".txt");

    private final BlobStore blobs;
    private final Duration downloadTimeout;
    private final HttpClient http = JdkHttp.builder().followRedirects(HttpClient.Redirect.NORMAL).build();

    OutputStore(BlobStore blobs, WorkerConfig config) {
        this.blobs = blobs;
        this.downloadTimeout = config.getDownloadTimeout(); // read once: the config getter converts on every call
    }

    /** Stores every output; an output whose media type is not what the model's kind promises fails the generation. */
    List<GenerationOutput> store(Generation generation, ModelKind kind, List<ProviderResult.Output> outputs) throws ProviderException {
        List<GenerationOutput> stored = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            stored.add(storeOne(generation, kind, i, outputs.get(i)));
        }
        return stored;
    }

    private GenerationOutput storeOne(Generation generation, ModelKind kind, int index, ProviderResult.Output output)
        throws ProviderException {
        try {
            if (output.inline() != null) {
                return put(generation, kind, index, output.contentType(), new ByteArrayInputStream(output.inline()), output.inline().length);
            }
            HttpRequest request = HttpRequest.newBuilder(output.url()).timeout(downloadTimeout).GET().build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw ProviderException.fromStatus(response.statusCode(), "output_download_failed", "download of output " + index + " failed");
                }
                String contentType = response.headers().firstValue("Content-Type").orElse(output.contentType());
                return put(generation, kind, index, contentType, body, response.headers().firstValueAsLong("Content-Length").orElse(-1));
            }
        } catch (BlobStore.ObjectTooLargeException e) {
            throw ProviderException.permanent("output_too_large", e.getMessage());
        } catch (IOException e) {
            throw ProviderException.retryable("output_transfer_failed", "moving output " + index + " into storage failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProviderException.retryable("worker_interrupted", "the worker stopped during a download");
        } catch (RuntimeException e) {
            // S3 unreachable or refusing after its client's own retries: the next check downloads the
            // output again, so it is always worth retrying.
            throw ProviderException.retryable("storage_unavailable", "storing output " + index + " failed: " + e);
        }
    }

    private GenerationOutput put(Generation generation, ModelKind kind, int index, String contentType, InputStream body, long length)
        throws IOException, ProviderException {
        String type = contentType == null ? "application/octet-stream" : contentType;
        if (!kind.accepts(type)) {
            throw ProviderException.permanent("output_wrong_type", "output " + index + " is " + type + ", not what a " + kind + " model delivers");
        }
        String bare = type.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
        String key = "outputs/" + generation.accountId() + "/" + generation.id() + "/" + index + EXTENSIONS.getOrDefault(bare, "");
        long size = blobs.put(key, body, length, type);
        return new GenerationOutput(index, key, type, size);
    }
}
