package dev.genq.queue;

import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Factory;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

@Factory
class QueueFactory {

    @Singleton
    JsonMapper jobRunrJsonMapper() {
        return new JacksonJsonMapper();
    }

    /**
     * JobRunr gets the raw pool, not Micronaut's transaction-aware wrapper: it commits its own
     * connections and must never join (or commit) a genq transaction.
     */
    @Singleton
    StorageProvider storageProvider(DataSource dataSource, JsonMapper jsonMapper) {
        JobStorage provider = new JobStorage(DelegatingDataSource.unwrapDataSource(dataSource));
        provider.setJobMapper(new JobMapper(jsonMapper));
        return provider;
    }

    @Singleton
    JobActivator jobActivator(BeanContext context) {
        return context::getBean;
    }

    @Singleton
    JobRequestScheduler jobRequestScheduler(StorageProvider storageProvider) {
        return new JobRequestScheduler(storageProvider);
    }
}
