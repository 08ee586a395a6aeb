package vn.customs.cw.cli;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import vn.customs.cw.spark.AnalystViews;
import vn.customs.cw.spark.Sparks;
import vn.customs.cw.spark.Warehouse;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./cw sql-server}: the Spark Thrift server (HiveServer2 protocol) over the warehouse catalog,
 * so that BI tools and {@code beeline} query {@code bronze.* … gold.*} and the masked {@code analyst.*}
 * views over JDBC ({@code jdbc:hive2://HOST:PORT/default}).
 *
 * <p>The server runs in this JVM on the one SparkSession that registered the catalog: the in-memory
 * catalog is shared by the sessions the server opens per connection. The server classes
 * (spark-hive-thriftserver) are not on Maven Central for Spark 3.5.9, so they are loaded by
 * reflection: {@code ./cw} adds them from the pinned pyspark of {@code bin/cw-spark-home}, and a
 * Spark distribution under spark-submit has them in {@code jars/}.
 */
@Command(name = "sql-server", mixinStandardHelpOptions = true,
        description = "Serve the warehouse catalog (bronze, silver, gold, ops, analyst views) over JDBC "
                + "(Spark Thrift server, HiveServer2 protocol) until killed.")
public final class SqlServerCommand extends CwSubcommand {

    static final String SERVER_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2";

    @Option(names = "--port", defaultValue = "10000", description = "TCP port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to bind (default ${DEFAULT-VALUE}: this machine only; the server has no authentication).")
    String host;

    @Override
    public Integer call() throws Exception {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("--port must be 1..65535, got " + port);
        if (host == null || host.isBlank()) throw new IllegalArgumentException("--host must not be empty");
        // Fail before starting Spark: the missing jars are the likely mistake, not the warehouse.
        Class<?> server = serverClass();

        SparkSession spark = Sparks.session(config());
        new Warehouse(config().paths().warehouse()).registerCatalog(spark);
        List<String> views = AnalystViews.create(spark, config().home().resolve("conf/analyst_views.sql"));

        // The server reads its HiveConf from the session's Hadoop configuration, which includes the
        // SQL conf: set here, the port and host win over hive-site.xml defaults. The environment
        // variables HIVE_SERVER2_THRIFT_PORT / _BIND_HOST would win over both: refuse them.
        for (String env : List.of("HIVE_SERVER2_THRIFT_PORT", "HIVE_SERVER2_THRIFT_BIND_HOST")) {
            if (System.getenv(env) != null) {
                throw new IllegalStateException(env + " is set (" + System.getenv(env)
                        + "): it overrides --port/--host in the Thrift server; unset it");
            }
        }
        spark.sqlContext().setConf("hive.server2.thrift.port", Integer.toString(port));
        spark.sqlContext().setConf("hive.server2.thrift.bind.host", host);
        spark.sqlContext().setConf("hive.server2.transport.mode", "binary");

        CountDownLatch stopped = new CountDownLatch(1);
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onApplicationEnd(SparkListenerApplicationEnd end) {
                stopped.countDown();
            }
        });

        Object running;
        try {
            running = server.getMethod("startWithContext", org.apache.spark.sql.SQLContext.class)
                    .invoke(null, spark.sqlContext());
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause();
            if (c instanceof NoClassDefFoundError) throw missingJars(c);
            throw new IllegalStateException("the Thrift server did not start on " + host + ":" + port + ": "
                    + Cw.rootMessage(c), c);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.getClass().getMethod("stop").invoke(running);
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // Stopping Spark below closes what is left.
            }
            spark.stop();
        }, "cw-sql-server-stop"));

        // startWithContext returns once the server socket is bound; check it really accepts before
        // saying so (a bind failure is logged by the Thrift service, not thrown).
        awaitListening(host, port);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println("sql-server: catalog " + config().paths().warehouse() + ", " + views.size() + " analyst views");
        if (System.getenv().getOrDefault(AnalystViews.KEY_ENV, "").isEmpty()) {
            System.err.println("sql-server: warning: " + AnalystViews.KEY_ENV + " is not set: the analyst views use the "
                    + "public demo key, so their pseudonyms can be reversed (docs/privacy.md)");
        }
        out.println("sql-server: listening on jdbc:hive2://" + host + ":" + port + "/default");
        stopped.await();
        return 0;
    }

    static Class<?> serverClass() {
        try {
            return Class.forName(SERVER_CLASS);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw missingJars(e);
        }
    }

    static IllegalStateException missingJars(Throwable e) {
        return new IllegalStateException("the Spark Thrift server is not on the classpath (" + e.getMessage()
                + "): it needs spark-hive-thriftserver_2.12 and hive-service-rpc of the same Spark version, "
                + "which Maven Central lacks for 3.5.9. Run it through ./cw, which adds them from the pinned "
                + "pyspark of bin/cw-spark-home (or $SPARK_HOME/jars); under spark-submit use a Spark 3.5.9 "
                + "distribution, whose jars/ has them.");
    }

    private static void awaitListening(String host, int port) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1000);
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the Thrift server does not accept connections on " + host + ":" + port
                + " (port in use, or host not local?): " + (last == null ? "" : last.getMessage()));
    }
}
