package dev.genq.local;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * The log lines genq's stack (it runs in the test's JVM) writes while open, with the thread that
 * wrote each: an appender runs on the logging thread, so it can tell a virtual thread from Netty's
 * event loop.
 */
final class Logs extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    record Line(Level level, String logger, String message, String thread, boolean virtual) {
        boolean onEventLoop() {
            return thread.contains("EventLoop");
        }
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    static Logs capture() {
        Logs logs = new Logs();
        logs.setName("genq-test-capture");
        logs.start();
        root().addAppender(logs);
        return logs;
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Override
    protected void append(ILoggingEvent event) {
        Thread thread = Thread.currentThread();
        lines.add(new Line(event.getLevel(), event.getLoggerName(), event.getFormattedMessage(), thread.getName() + "#" + thread.threadId(),
            thread.isVirtual()));
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }

    List<Line> from(Class<?> logger) {
        return lines.stream().filter(l -> l.logger().equals(logger.getName())).toList();
    }

    @Override
    public void close() {
        root().detachAppender(this);
        stop();
    }
}
