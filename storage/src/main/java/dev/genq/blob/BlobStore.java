package dev.genq.blob;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Puts outputs into the bucket and mints presigned GET URLs for them. */
@Singleton
public class BlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(BlobStore.class);
    private final S3Client s3;
    private final S3Presigner presigner;
    private final S3Config config;
    private final Semaphore uploads;

    public BlobStore(S3Client s3, S3Presigner presigner, S3Config config) {
        this.s3 = s3;
        this.presigner = presigner;
        this.config = config;
        this.uploads = new Semaphore(config.getMaxConcurrentUploads());
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
     * Streams {@code content} into the object {@code key} and returns the stored size. Content of a
     * known length up to one part goes in a single put; anything larger or of unknown length goes as
     * a multipart upload, one part-sized buffer at a time, so a 1 GB video never sits in memory.
     * Content past the size limit stops the upload and leaves nothing behind.
     */
    public long put(String key, InputStream content, long lengthBytes, String contentType) throws IOException {
        if (lengthBytes > config.getMaxObjectBytes()) {
            throw new ObjectTooLargeException(lengthBytes, config.getMaxObjectBytes());
        }
        try {
            uploads.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to upload " + key);
        }
        try {
            if (lengthBytes >= 0 && lengthBytes <= config.getPartSizeBytes()) {
                s3.putObject(b -> b.bucket(config.getBucket()).key(key).contentType(contentType), RequestBody.fromInputStream(content, lengthBytes));
                return lengthBytes;
            }
            return putInParts(key, content, contentType);
        } finally {
            uploads.release();
        }
    }

    private long putInParts(String key, InputStream content, String contentType) throws IOException {
        byte[] part = new byte[config.getPartSizeBytes()];
        int filled = content.readNBytes(part, 0, part.length);
        if (filled > config.getMaxObjectBytes()) {
            throw new ObjectTooLargeException(filled, config.getMaxObjectBytes());
        }
        if (filled < part.length) { // it fits in one part after all
            s3.putObject(b -> b.bucket(config.getBucket()).key(key).contentType(contentType),
                RequestBody.fromInputStream(new ByteArrayInputStream(part, 0, filled), filled));
            return filled;
        }
        String uploadId = s3.createMultipartUpload(b -> b.bucket(config.getBucket()).key(key).contentType(contentType)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long size = 0;
            while (filled > 0) {
                size += filled;
                if (size > config.getMaxObjectBytes()) {
                    throw new ObjectTooLargeException(size, config.getMaxObjectBytes());
                }
                int number = parts.size() + 1;
                int length = filled;
                String eTag = s3.uploadPart(b -> b.bucket(config.getBucket()).key(key).uploadId(uploadId).partNumber(number),
                    RequestBody.fromInputStream(new ByteArrayInputStream(part, 0, length), length)).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
                filled = content.readNBytes(part, 0, part.length);
            }
            s3.completeMultipartUpload(b -> b.bucket(config.getBucket()).key(key).uploadId(uploadId)
                .multipartUpload(u -> u.parts(parts)));
            return size;
        } catch (IOException | RuntimeException e) {
            abortQuietly(key, uploadId);
            throw e;
        }
    }

    private void abortQuietly(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(config.getBucket()).key(key).uploadId(uploadId));
        } catch (RuntimeException e) {
            LOG.warn("could not abort upload {} of {}; the bucket's lifecycle rule must clean it: {}", uploadId, key, e.toString());
        }
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
