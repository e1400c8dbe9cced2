package dev.genq.infra;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The Jackson mapper for bodies genq reads as trees: vendors' answers and webhooks, payment notifications. */
public final class JsonTrees {
    /**
     * Its parse and write buffers come from one pool shared by all threads. Jackson's default pool
     * keeps them per thread, and each request and job here runs on a new virtual thread, so every
     * parse allocated its buffers (some 20 KB) afresh.
     */
    public static final ObjectMapper MAPPER = new ObjectMapper(
        JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());

    private JsonTrees() {
    }
}
