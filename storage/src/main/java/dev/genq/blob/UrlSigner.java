package dev.genq.blob;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Presigned URLs of the bucket's objects against one endpoint, signed by the AWS SDK's SigV4 signer
 * itself. The SDK's S3Presigner runs a whole request pipeline per URL (endpoint rules, auth-scheme
 * resolution, interceptors, profile-file lookups), paid on every upload and on every status answer
 * that carries output URLs; the signer alone makes the same signature for much less, and the object
 * addressing it needs is two styles, path and virtual host.
 */
final class UrlSigner {
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final AwsCredentialsProvider credentials;
    private final String region;
    private final String bucket;
    private final URI endpoint;
    private final String pathStyleBase; // endpoint without trailing slashes, then the bucket
    private final boolean pathStyle;
    private final Clock clock;

    /** {@code endpoint} null or blank: AWS's regional endpoint. */
    UrlSigner(AwsCredentialsProvider credentials, S3Config config, String endpoint, Clock clock) {
        this.credentials = credentials;
        this.region = config.getRegion();
        this.bucket = config.getBucket();
        this.endpoint = URI.create(endpoint == null || endpoint.isBlank() ? "https://s3." + region + ".amazonaws.com" : endpoint);
        this.pathStyleBase = this.endpoint.toString().replaceAll("/+$", "") + "/" + bucket;
        this.pathStyle = config.isPathStyle();
        this.clock = clock;
    }

    /** A URL that allows {@code method} on {@code key} for {@code ttl}; {@code headers} are signed and must be sent as given. */
    URI sign(SdkHttpMethod method, String key, Duration ttl, Map<String, String> headers) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(method).uri(objectUri(key));
        headers.forEach(request::putHeader);
        return signer.sign(r -> r.request(request.build()).identity(credentials.resolveCredentials())
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, ttl)
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                // S3 signs the path as sent: encoded once, never normalised.
                .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock))
            .request().getUri();
    }

    private URI objectUri(String key) {
        String path = "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key);
        if (pathStyle) {
            return URI.create(pathStyleBase + path);
        }
        String authority = bucket + "." + endpoint.getHost() + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort());
        return URI.create(endpoint.getScheme() + "://" + authority + path);
    }
}
