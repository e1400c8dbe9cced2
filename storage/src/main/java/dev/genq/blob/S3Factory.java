package dev.genq.blob;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

@Factory
class S3Factory {

    @Singleton
    @Bean(preDestroy = "close")
    S3Client s3(S3Config config, AwsCredentialsProvider credentials) {
        var builder = S3Client.builder()
            .region(Region.of(config.getRegion()))
            .credentialsProvider(credentials)
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            // Checksums only where S3 demands them: the SDK's default trailing checksum sends every put
            // as aws-chunked, which costs CPU per byte and which many S3-compatible servers refuse.
            // Integrity still holds: over TLS by TLS, over plain HTTP by the signed payload hash.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(config.isPathStyle()).build());
        if (isSet(config.getEndpoint())) {
            builder.endpointOverride(URI.create(config.getEndpoint()));
        }
        return builder.build();
    }

    /** The configured key pair, else the AWS default chain (instance roles, environment). */
    @Singleton
    AwsCredentialsProvider credentials(S3Config config) {
        if (isSet(config.getAccessKey()) && isSet(config.getSecretKey())) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(config.getAccessKey(), config.getSecretKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /** Environment placeholders resolve to "" when unset; both mean "not configured". */
    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
