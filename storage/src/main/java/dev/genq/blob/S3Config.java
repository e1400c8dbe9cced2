package dev.genq.blob;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

@ConfigurationProperties("genq.s3")
public interface S3Config {

    /** S3 endpoint, e.g. http://minio:9000; unset means AWS's regional endpoint. */
    @Nullable
    String getEndpoint();

    /** Endpoint put into presigned URLs, for when clients reach S3 by another name than workers do. Default: the endpoint. */
    @Nullable
    String getPublicEndpoint();

    /** Region to sign for. Default us-east-1, which S3-compatible servers accept. */
    @Bindable(defaultValue = "us-east-1")
    String getRegion();

    /** Bucket holding all outputs. Default genq. */
    @Bindable(defaultValue = "genq")
    String getBucket();

    /** Access key id; unset means the AWS default credential chain (instance roles, env). */
    @Nullable
    String getAccessKey();

    /** Secret access key, paired with the access key. */
    @Nullable
    String getSecretKey();

    /** Path-style addressing (http://host/bucket/key). Default true: most S3-compatible servers want it. */
    @Bindable(defaultValue = "true")
    boolean isPathStyle();

    /** Lifetime of a presigned download URL. Default 10 minutes: long enough to download, short enough to leak little. */
    @Bindable(defaultValue = "10m")
    Duration getUrlTtl();

    /** Create the bucket at start when missing. Default false: production buckets are provisioned. */
    @Bindable(defaultValue = "false")
    boolean isCreateBucket();

    /** Largest output accepted, in bytes. Default 2 GiB. */
    @Bindable(defaultValue = "2147483648")
    long getMaxObjectBytes();

    /**
     * Part size of multipart uploads, in bytes. Default 8 MiB (S3's floor is 5 MiB). An output larger
     * than one part, or of unknown length, is uploaded part by part, so a worker holds at most one
     * part of it in memory.
     */
    @Bindable(defaultValue = "8388608")
    int getPartSizeBytes();

    /**
     * Upload buffer memory of one worker, in parts: at most this many part-sized buffers at once
     * (16 × 8 MiB = 128 MiB by default). A small output holds only its own size, so thousands of
     * images go up side by side while large outputs wait their turn. Default 16.
     */
    @Bindable(defaultValue = "16")
    int getMaxConcurrentUploads();
}
