package dev.genq.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * A JDBC driver for {@code jdbc:counting:postgresql://…} URLs that hands out PostgreSQL connections
 * and counts every statement executed through them. PostgreSQL itself cannot count statements here
 * (pg_stat_statements needs a preload and a restart), so genq's own pool counts them on the way out,
 * as pg_stat_statements would: a JDBC batch (JobRunr writes its jobs in batches) is one execution per
 * statement added to it, although it travels in one round trip.
 */
public final class CountingDriver implements Driver {
    static final String PREFIX = "jdbc:counting:";
    private static final LongAdder STATEMENTS = new LongAdder();

    static {
        try {
            DriverManager.registerDriver(new CountingDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Statements executed through counting connections since the JVM started (a batch's each). */
    static long statements() {
        return STATEMENTS.sum();
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        Connection real = DriverManager.getConnection("jdbc:" + url.substring(PREFIX.length()), info);
        return wrap(Connection.class, real);
    }

    /** Wraps JDBC objects so statements made from them count their executions. */
    @SuppressWarnings("unchecked")
    private static <T> T wrap(Class<T> type, T target) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (target instanceof Statement && counts(method.getName())) {
                STATEMENTS.increment();
            }
            try {
                Object result = method.invoke(target, args);
                if (result instanceof Statement && method.getReturnType().isInterface()) {
                    return wrap((Class<Object>) method.getReturnType(), result);
                }
                return result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (T) Proxy.newProxyInstance(CountingDriver.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    /** A statement runs when it is executed alone or added to a batch; running the batch adds none. */
    private static boolean counts(String method) {
        return method.equals("addBatch") || method.startsWith("execute") && !method.endsWith("Batch");
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }
}
