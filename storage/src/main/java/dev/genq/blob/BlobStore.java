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
            // Bytes go to S3 from a buffer, never straight from the vendor's stream: the S3 client can
            // then resend what it must retry, where a half-read stream cannot be rewound.
            boolean fitsOnePart = lengthBytes >= 0 && lengthBytes <= config.getPartSizeBytes();
            byte[] part = new byte[fitsOnePart ? (int) lengthBytes : config.getPartSizeBytes()];
            int filled = content.readNBytes(part, 0, part.length);
            if (filled > config.getMaxObjectBytes()) {
                throw new ObjectTooLargeException(filled, config.getMaxObjectBytes());
            }
            if (fitsOnePart || filled < part.length) {
                s3.putObject(b -> b.bucket(config.getBucket()).key(key).contentType(contentType), fromBuffer(part, filled));
                return filled;
            }
            return putInParts(key, content, contentType, part, filled);
        } finally {
            uploads.release();
        }
    }

    /** A multipart upload whose first part is already in {@code part}; aborted if anything fails. */
    private long putInParts(String key, InputStream content, String contentType, byte[] part, int firstFilled) throws IOException {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(config.getBucket()).key(key).contentType(contentType)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long size = 0;
            for (int filled = firstFilled; filled > 0; filled = content.readNBytes(part, 0, part.length)) {
                size += filled;
                if (size > config.getMaxObjectBytes()) {
                    throw new ObjectTooLargeException(size, config.getMaxObjectBytes());
                }
                int number = parts.size() + 1;
                String eTag = s3.uploadPart(b -> b.bucket(config.getBucket()).key(key).uploadId(uploadId).partNumber(number),
                    fromBuffer(part, filled)).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(config.getBucket()).key(key).uploadId(uploadId)
                .multipartUpload(u -> u.parts(parts)));
            return size;
        } catch (IOException | RuntimeException e) {
            abortQuietly(key, uploadId);
            throw e;
        }
    }

    private static RequestBody fromBuffer(byte[] buffer, int length) {
        return RequestBody.fromInputStream(new ByteArrayInputStream(buffer, 0, length), length);
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
