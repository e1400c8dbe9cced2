package dev.genq.execution;

import dev.genq.queue.NewWork;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import java.time.Duration;
import java.util.List;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.server.configuration.BackgroundJobServerThreadType;
import org.jobrunr.server.configuration.DefaultBackgroundJobServerWorkerPolicy;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;

/** The worker role: a JobRunr background job server on virtual threads, started with the context and woken by new work. */
@Factory
class JobServer {

    @Context
    @Bean(preDestroy = "shutDown")
    PromptJobServer backgroundJobServer(StorageProvider storage, JsonMapper jsonMapper, JobActivator activator,
                                            QueueConfig config, FailurePolicy failures, NewWork newWork,
                                            @Value("${micronaut.lifecycle.graceful-shutdown.grace-period:60s}") Duration drainGrace) {
        BackgroundJobServerConfiguration configuration = BackgroundJobServerConfiguration
            .usingStandardBackgroundJobServerConfiguration()
            .andPollInterval(config.getPollInterval())
            .andInterruptJobsAwaitDurationOnStopBackgroundJobServer(drainGrace) // a drain lets running jobs end this long
            .andDeleteSucceededJobsAfter(config.getDeleteSucceededAfter())
            .andBackgroundJobServerWorkerPolicy(
                new DefaultBackgroundJobServerWorkerPolicy(config.getWorkerCount(), BackgroundJobServerThreadType.VirtualThreads));
        PromptJobServer server = new PromptJobServer(storage, jsonMapper, activator, configuration);
        server.setJobFilters(List.of(failures));
        server.start();
        newWork.listen(server::wake);
        return server;
    }
}
