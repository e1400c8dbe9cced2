package dev.genq.blob;

import dev.genq.infra.Crypto;
import dev.genq.infra.JdkHttp;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * Puts outputs into the bucket and mints presigned GET URLs for them.
 *
 * <p>An output that fits one request (nearly all images and texts) is put with a presigned PUT sent
 * by the JDK's HTTP client, not through the S3 client: the client's per-request pipeline
 * (interceptors, endpoint and auth-scheme resolution, chunk signing) cost more CPU than the whole
 * rest of a generation, and its URL-connection transport keeps only five connections alive. The
 * put carries a signed Content-MD5, so S3 refuses a body damaged on the way, over TLS or not.
 * Multipart uploads and bucket calls stay with the S3 client. URLs are signed by {@link UrlSigner}.
 */
@Singleton
public class BlobStore {
    private static final Logger LOG = LoggerFactory.getLogger(BlobStore.class);
    private static final Duration UPLOAD_SIGNATURE_TTL = Duration.ofMinutes(15);
    private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(2);
    private static final int PUT_ATTEMPTS = 3; // as the S3 client's own default retries
    private final S3Client s3;
    private final UrlSigner downloadSigner;
    private final UrlSigner uploadSigner;
    private final S3Config config;
    // Read once: a configuration interface's getter looks its property up and converts it on every call.
    private final long maxObjectBytes;
    private final int partSizeBytes;
    private final Duration urlTtl;
    /** Upload buffers held at once, in KiB: a small output takes its size, a large one a part's. */
    private final Semaphore bufferMemory;
    private final HttpClient http = JdkHttp.builder().version(HttpClient.Version.HTTP_1_1).build();

    public BlobStore(S3Client s3, AwsCredentialsProvider credentials, S3Config config, Clock clock) {
        this.s3 = s3;
        // Users download by the public endpoint when there is one; workers upload by the one they reach.
        this.downloadSigner = new UrlSigner(credentials, config,
            isBlank(config.getPublicEndpoint()) ? config.getEndpoint() : config.getPublicEndpoint(), clock);
        this.uploadSigner = new UrlSigner(credentials, config, config.getEndpoint(), clock);
        this.config = config;
        this.maxObjectBytes = config.getMaxObjectBytes();
        this.partSizeBytes = config.getPartSizeBytes();
        this.urlTtl = config.getUrlTtl();
        this.bufferMemory = new Semaphore(Math.multiplyExact(config.getMaxConcurrentUploads(), Math.max(1, partSizeBytes / 1024)),
            true); // fair: many small uploads must not starve a large one
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
        if (lengthBytes > maxObjectBytes) {
            throw new ObjectTooLargeException(lengthBytes, maxObjectBytes);
        }
        // Bytes go to S3 from a buffer, never straight from the vendor's stream: the S3 client can
        // then resend what it must retry, where a half-read stream cannot be rewound.
        boolean fitsOnePart = lengthBytes >= 0 && lengthBytes <= partSizeBytes;
        int bufferBytes = fitsOnePart ? (int) lengthBytes : partSizeBytes;
        int kib = Math.max(1, (bufferBytes + 1023) / 1024);
        try {
            bufferMemory.acquire(kib);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to upload " + key);
        }
        try {
            byte[] part = new byte[bufferBytes];
            int filled = content.readNBytes(part, 0, part.length);
            if (filled > maxObjectBytes) {
                throw new ObjectTooLargeException(filled, maxObjectBytes);
            }
            if (fitsOnePart || filled < part.length) {
                putOne(key, part, filled, contentType);
                return filled;
            }
            return putInParts(key, content, contentType, part, filled);
        } finally {
            bufferMemory.release(kib);
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
                if (size > maxObjectBytes) {
                    throw new ObjectTooLargeException(size, maxObjectBytes);
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

    /** One presigned PUT of {@code length} bytes, tried again on a dropped connection or a 5xx. */
    private void putOne(String key, byte[] bytes, int length, String contentType) throws IOException {
        Map<String, String> headers = Map.of("Content-Type", contentType, "Content-MD5", Crypto.md5Base64(bytes, length));
        HttpRequest.Builder request = HttpRequest.newBuilder(uploadSigner.sign(SdkHttpMethod.PUT, key, UPLOAD_SIGNATURE_TTL, headers))
            .timeout(UPLOAD_TIMEOUT).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes, 0, length));
        headers.forEach(request::header);
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response;
                try {
                    response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    if (attempt == PUT_ATTEMPTS) {
                        throw e;
                    }
                    Thread.sleep(100L << attempt); // as the S3 client backs off
                    continue;
                }
                if (response.statusCode() / 100 == 2) {
                    return;
                }
                if (response.statusCode() < 500 || attempt == PUT_ATTEMPTS) {
                    String body = response.body();
                    throw new StorageRefusedException("S3 answered " + response.statusCode() + " to the upload of " + key + ": "
                        + (body.length() > 300 ? body.substring(0, 300) : body));
                }
                Thread.sleep(100L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while uploading " + key);
            }
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
        return downloadSigner.sign(SdkHttpMethod.GET, key, urlTtl, Map.of());
    }

    /** Deletes objects; an object already gone is no error (S3 deletes are idempotent). */
    public void delete(java.util.Collection<String> keys) {
        for (String key : keys) {
            s3.deleteObject(b -> b.bucket(config.getBucket()).key(key));
        }
    }

    /** How long a presigned download URL lives. */
    public Duration urlTtl() {
        return urlTtl;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** S3 refused an upload (a wrong key, a full or missing bucket, an outage that outlasted the retries). */
    public static final class StorageRefusedException extends RuntimeException {
        StorageRefusedException(String message) {
            super(message);
        }
    }

    public static final class ObjectTooLargeException extends IOException {
        ObjectTooLargeException(long sizeBytes, long maxBytes) {
            super("output of " + sizeBytes + " bytes or more exceeds the limit of " + maxBytes + " bytes");
        }
    }
}
