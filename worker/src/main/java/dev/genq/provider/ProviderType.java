package dev.genq.provider;

/** The wire formats genq speaks; each has its adapter package. */
public enum ProviderType {
    /** An async task API described by the route's options; by default genq's own protocol. */
    generic,
    /** OpenAI Images. */
    openai,
    /** Replicate predictions. */
    replicate,
    /** fal's queue. */
    fal,
    /** An upstream reseller panel (SMM panel API v2). */
    smm
}
