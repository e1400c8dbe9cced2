package dev.genq.blob;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Puts outputs into the bucket and mints presigned GET URLs for them. */
@Singleton
public class BlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(BlobStore.class);
    private final S3Client s3;
    private final S3Presigner presigner;
    private final S3Config config;

    public BlobStore(S3Client s3, S3Presigner presigner, S3Config config) {
        this.s3 = s3;
        this.presigner = presigner;
        this.config = config;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (!config.isCreateBucket()) {
            return;
        }
        try {
            s3.headBucket(b -> b.bucket(config.getBucket()));
        } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(config.getBucket()));
            LOG.info("created bucket {}", config.getBucket());
        }
    }

    /**
     * Streams {@code content} into the object {@code key}. With a known length the bytes go straight
     * through; with an unknown one they are spooled to a temporary file first, never held in memory.
     * Returns the stored size.
     */
    public long put(String key, InputStream content, long lengthBytes, String contentType) throws IOException {
        if (lengthBytes > config.getMaxObjectBytes()) {
            throw new ObjectTooLargeException(lengthBytes, config.getMaxObjectBytes());
        }
        PutObjectRequest request = PutObjectRequest.builder().bucket(config.getBucket()).key(key).contentType(contentType).build();
        if (lengthBytes >= 0) {
            s3.putObject(request, RequestBody.fromInputStream(content, lengthBytes));
            return lengthBytes;
        }
        Path spool = Files.createTempFile("genq-output-", ".part");
        try {
            long size = spoolAtMost(content, spool, config.getMaxObjectBytes());
            s3.putObject(request, RequestBody.fromFile(spool));
            return size;
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    /** Copies to {@code file}, stopping as soon as the stream passes {@code maxBytes}: a disk is finite too. */
    private static long spoolAtMost(InputStream content, Path file, long maxBytes) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long size = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int n; (n = content.read(buffer)) != -1; ) {
                size += n;
                if (size > maxBytes) {
                    throw new ObjectTooLargeException(size, maxBytes);
                }
                out.write(buffer, 0, n);
            }
        }
        return size;
    }

    /** A GET URL valid for the configured TTL. Signing is local: no call to S3. */
    public URI presignGet(String key) {
        return URI.create(presigner.presignGetObject(p -> p.signatureDuration(config.getUrlTtl())
            .getObjectRequest(g -> g.bucket(config.getBucket()).key(key))).url().toString());
    }

    public static final class ObjectTooLargeException extends IOException {
        ObjectTooLargeException(long sizeBytes, long maxBytes) {
            super("output of " + sizeBytes + " bytes or more exceeds the limit of " + maxBytes + " bytes");
        }
    }
}
