package dev.genq.devkit.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The servers a machine without PostgreSQL, Redis or S3 falls back to, started and used for real. */
class EmbeddedTest {

    @Test
    void embeddedPostgresServesTheGenqDatabase() throws Exception {
        Path dir = Files.createTempDirectory("genq-embedded-pg");
        Postgres pg = Embedded.postgres(dir, TestServices.freePort());
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             ResultSet rs = c.createStatement().executeQuery("SELECT current_database()")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("genq");
        }
    }

    @Test
    void embeddedRedisAnswers() throws Exception {
        Redis redis = Embedded.redis(TestServices.freePort());
        try (JedisPooled jedis = new JedisPooled(URI.create(redis.uri()))) {
            jedis.set("genq:test", "ok");
            assertThat(jedis.get("genq:test")).isEqualTo("ok");
        }
    }

    @Test
    void embeddedS3ServesPresignedUrlsAndRefusesExpiredOnes() throws Exception {
        S3 s3 = Embedded.s3(Files.createTempDirectory("genq-embedded-s3"), TestServices.freePort());
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
        var pathStyle = S3Configuration.builder().pathStyleAccessEnabled(true).build();
        try (S3Client client = S3Client.builder().endpointOverride(URI.create(s3.endpoint())).region(Region.US_EAST_1)
                 .credentialsProvider(credentials).serviceConfiguration(pathStyle).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
             S3Presigner presigner = S3Presigner.builder().endpointOverride(URI.create(s3.endpoint())).region(Region.US_EAST_1)
                 .credentialsProvider(credentials).serviceConfiguration(pathStyle).build()) {
            client.createBucket(b -> b.bucket("genq-embedded"));
            client.putObject(p -> p.bucket("genq-embedded").key("k"), RequestBody.fromString("hello"));
            URI fresh = URI.create(presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(1))
                .getObjectRequest(g -> g.bucket("genq-embedded").key("k"))).url().toString());
            URI shortLived = URI.create(presigner.presignGetObject(p -> p.signatureDuration(Duration.ofSeconds(1))
                .getObjectRequest(g -> g.bucket("genq-embedded").key("k"))).url().toString());

            HttpClient http = HttpClient.newHttpClient();
            assertThat(http.send(HttpRequest.newBuilder(fresh).build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("hello");
            Thread.sleep(2_500);
            assertThat(http.send(HttpRequest.newBuilder(shortLived).build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(403);
        }
    }
}
