package dev.genq.provider;

import java.util.function.IntConsumer;

/** One vendor account speaking one wire format. */
public interface Provider {

    /**
     * Runs a generation at the vendor and waits for it to end. Passes the generation id as the
     * vendor's idempotency key, so a re-run after a crash resumes the same vendor task.
     *
     * @param progress receives 0–100 while the vendor works
     * @throws ProviderException classified as retryable or permanent
     */
    ProviderResult generate(ProviderRequest request, IntConsumer progress) throws ProviderException;
}
