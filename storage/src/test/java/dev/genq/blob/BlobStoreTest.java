package dev.genq.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genq.devkit.services.TestServices;
import dev.genq.support.StorageContext;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Outputs into a real S3-compatible server: small ones in one presigned put, large or unsized ones in parts, never past the limit. */
class BlobStoreTest {
    private final BlobStore blobs = StorageContext.get().getBean(BlobStore.class);
    private final S3Client s3 = StorageContext.get().getBean(S3Client.class);
    private final S3Config config = StorageContext.get().getBean(S3Config.class);

    @Test
    void anOutputOfUnknownLengthGoesUpInPartsAndComesBackWhole() throws Exception {
        byte[] bytes = random(2 * StorageContext.PART_SIZE_BYTES + 12_345);
        String key = "test/" + UUID.randomUUID();

        long stored = blobs.put(key, new ByteArrayInputStream(bytes), -1, "video/mp4");

        assertThat(stored).isEqualTo(bytes.length);
        assertThat(s3.headObject(b -> b.bucket(config.getBucket()).key(key)).eTag()).as("a multipart ETag counts its parts").contains("-3");
        assertThat(sha256(s3.getObjectAsBytes(b -> b.bucket(config.getBucket()).key(key)).asByteArray())).isEqualTo(sha256(bytes));
    }

    @Test
    void aKnownLengthLargerThanAPartGoesUpInPartsToo() throws Exception {
        byte[] bytes = random(StorageContext.PART_SIZE_BYTES + 1);
        String key = "test/" + UUID.randomUUID();

        assertThat(blobs.put(key, new ByteArrayInputStream(bytes), bytes.length, "video/mp4")).isEqualTo(bytes.length);

        assertThat(s3.headObject(b -> b.bucket(config.getBucket()).key(key)).eTag()).contains("-2");
    }

    @Test
    void aSmallOutputIsOnePutAndComesBackWholeWithItsType() throws Exception {
        byte[] bytes = random(1000);
        String key = "test/" + UUID.randomUUID();

        assertThat(blobs.put(key, new ByteArrayInputStream(bytes), -1, "image/png")).isEqualTo(1000);

        var head = s3.headObject(b -> b.bucket(config.getBucket()).key(key));
        assertThat(head.eTag()).doesNotContain("-");
        assertThat(head.contentType()).isEqualTo("image/png");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(config.getBucket()).key(key)).asByteArray()).isEqualTo(bytes);
    }

    @Test
    void aPresignedUrlDownloadsItsObjectAndATamperedOneIsRefused() throws Exception {
        byte[] bytes = random(500);
        String key = "test/" + UUID.randomUUID() + "/a name+with spaces é.png"; // every character class the encoder must handle
        blobs.put(key, new ByteArrayInputStream(bytes), bytes.length, "image/png");
        HttpClient http = HttpClient.newHttpClient();

        String url = blobs.presignGet(key).toString();
        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        String tampered = url.substring(0, url.length() - 1) + (url.endsWith("0") ? "1" : "0");

        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(bytes);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(tampered)).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
            .isEqualTo(403);
    }

    @Test
    void anUploadS3RefusesFailsWithItsAnswerAndStoresNothing() {
        var s3Service = TestServices.s3();
        String key = "test/" + UUID.randomUUID();
        BlobStore refused = new BlobStore(s3, StaticCredentialsProvider.create(AwsBasicCredentials.create(s3Service.accessKey(), "not-the-secret")),
            config, Clock.systemUTC());

        assertThatThrownBy(() -> refused.put(key, new ByteArrayInputStream(random(100)), 100, "image/png"))
            .isInstanceOf(BlobStore.StorageRefusedException.class).hasMessageContaining("403");
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(config.getBucket()).key(key))).isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void anUnsizedOutputPastTheLimitStopsTheUploadAndLeavesNothing() {
        String key = "test/" + UUID.randomUUID();
        CountingStream endless = new CountingStream(new InputStream() {
            @Override
            public int read() {
                return 7;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 7);
                return len;
            }
        });

        assertThatThrownBy(() -> blobs.put(key, endless, -1, "video/mp4")).isInstanceOf(BlobStore.ObjectTooLargeException.class);

        assertThat(endless.read).as("reading stops within a part of the limit").isLessThanOrEqualTo(StorageContext.MAX_OBJECT_BYTES + StorageContext.PART_SIZE_BYTES);
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(config.getBucket()).key(key))).isInstanceOf(NoSuchKeyException.class);
        assertThat(s3.listMultipartUploads(b -> b.bucket(config.getBucket()).prefix(key)).uploads()).as("the upload was aborted").isEmpty();
    }

    private static final class CountingStream extends FilterInputStream {
        long read;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            int n = super.read(b, off, len);
            read += Math.max(0, n);
            return n;
        }
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new SplittableRandom(size).nextBytes(bytes);
        return bytes;
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
