package dev.accessgraph.neo4jlocal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Runs a real Neo4j 5.26 community DBMS in this JVM (embedded DatabaseManagementService) and exposes it
 * over Bolt on 127.0.0.1 only. HTTP/HTTPS connectors are off.
 *
 * <p>Protocol with the caller (tools/neo4j-local/launcher.js): stdout carries exactly one line,
 * {@code NEO4J_READY bolt://127.0.0.1:PORT}, printed once the default database is available and the
 * Bolt port accepts connections. Everything else (Neo4j's own logging, progress, errors) goes to stderr.
 * SIGTERM / SIGINT shut the DBMS down cleanly and the process exits 0. With {@code --exit-on-stdin-eof}
 * the DBMS also shuts down when stdin closes, so a crashed parent never leaves an orphan server behind.
 */
public final class Neo4jLocal {
  static final String READY = "NEO4J_READY";
  static final String HOST = "127.0.0.1";
  static final String USER = "neo4j";

  private Neo4jLocal() {}

  static final class Options {
    int port = 7687;
    Path dataDir;
    String password;
    boolean noAuth;
    long pageCacheMb = 256;
    boolean exitOnStdinEof;
    long readyTimeoutSeconds = 300;
  }

  private static final String USAGE =
      String.join(
          "\n",
          "usage: neo4j-local --data-dir DIR (--password P | --no-auth) [options]",
          "  --port N              Bolt port on 127.0.0.1 (default 7687; 0 = pick a free one)",
          "  --data-dir DIR        Neo4j home: databases, transaction logs and logs live here",
          "  --password P          enable auth; user 'neo4j' gets password P (min 8 chars)",
          "                        (env NEO4J_LOCAL_PASSWORD is read when P is '-')",
          "  --no-auth             disable authentication",
          "  --page-cache-mb N     page cache size (default 256)",
          "  --exit-on-stdin-eof   shut down when stdin is closed (used by launcher.js)",
          "On success prints exactly one stdout line: " + READY + " bolt://127.0.0.1:PORT");

  static Options parse(String[] args) {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--port" -> o.port = parseInt(a, value(args, ++i, a), 0, 65535);
        case "--data-dir" -> o.dataDir = Path.of(value(args, ++i, a)).toAbsolutePath().normalize();
        case "--password" -> o.password = value(args, ++i, a);
        case "--no-auth" -> o.noAuth = true;
        case "--page-cache-mb" -> o.pageCacheMb = parseInt(a, value(args, ++i, a), 8, 1 << 20);
        case "--ready-timeout-seconds" -> o.readyTimeoutSeconds = parseInt(a, value(args, ++i, a), 1, 86400);
        case "--exit-on-stdin-eof" -> o.exitOnStdinEof = true;
        case "--help", "-h" -> {
          System.err.println(USAGE);
          System.exit(0);
        }
        default -> throw new UsageException("unknown argument: " + a);
      }
    }
    if (o.dataDir == null) {
      throw new UsageException("--data-dir is required");
    }
    if ("-".equals(o.password)) {
      o.password = System.getenv("NEO4J_LOCAL_PASSWORD");
      if (o.password == null || o.password.isEmpty()) {
        throw new UsageException("--password - given but NEO4J_LOCAL_PASSWORD is not set");
      }
    }
    if (o.noAuth == (o.password != null)) {
      throw new UsageException("give exactly one of --password P or --no-auth");
    }
    if (o.password != null && o.password.length() < 8) {
      throw new UsageException("--password must be at least 8 characters (Neo4j's minimum)");
    }
    return o;
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new UsageException(flag + " needs a value");
    }
    return args[i];
  }

  private static int parseInt(String flag, String v, int min, int max) {
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new UsageException(flag + " must be between " + min + " and " + max + ", got " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException(flag + " must be a number, got " + v);
    }
  }

  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  public static void main(String[] args) {
    // Keep stdout for the protocol line only: anything Neo4j or a library prints goes to stderr.
    PrintStream protocolOut = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.setOut(System.err);

    Options o;
    try {
      o = parse(args);
    } catch (UsageException e) {
      System.err.println("neo4j-local: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }

    try {
      run(o, protocolOut);
    } catch (Throwable t) {
      System.err.println("neo4j-local: failed: " + t);
      t.printStackTrace(System.err);
      System.err.flush();
      Runtime.getRuntime().halt(1);
    }
  }

  private static void run(Options o, PrintStream protocolOut) throws Exception {
    Files.createDirectories(o.dataDir);
    long t0 = System.nanoTime();
    log("starting Neo4j in " + o.dataDir + " (bolt " + HOST + ":" + o.port + ", auth " + (o.noAuth ? "off" : "on") + ")");

    // Port 0: pick a free port here (not in Neo4j) so the advertised address, which neo4j:// routing
    // hands back to drivers, names the real port. Retry if another process grabs it in between.
    boolean pickPort = o.port == 0;
    int port = pickPort ? freePort() : o.port;
    DatabaseManagementService dbms;
    for (int attempt = 1; ; attempt++) {
      try {
        dbms = build(o, port);
        break;
      } catch (RuntimeException e) {
        if (!pickPort || attempt >= 5 || !isBindFailure(e)) {
          throw e;
        }
        log("port " + port + " was taken meanwhile, retrying");
        port = freePort();
      }
    }
    final DatabaseManagementService started = dbms;

    AtomicBoolean stopped = new AtomicBoolean(false);
    Runnable stop =
        () -> {
          if (stopped.compareAndSet(false, true)) {
            log("shutting down");
            try {
              started.shutdown();
              log("stopped cleanly");
            } catch (Throwable t) {
              System.err.println("neo4j-local: error during shutdown: " + t);
            }
          }
        };
    // Backstop for SIGHUP, System.exit elsewhere, etc. SIGTERM/SIGINT are handled below so that the
    // process can exit with status 0 rather than the JVM's 128+signal.
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "neo4j-local-shutdown"));

    CountDownLatch stopRequested = new CountDownLatch(1);
    installSignalHandler("TERM", stopRequested);
    installSignalHandler("INT", stopRequested);

    GraphDatabaseService db = started.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
    if (!db.isAvailable(Duration.ofSeconds(o.readyTimeoutSeconds).toMillis())) {
      stop.run();
      throw new IllegalStateException(
          "default database did not become available within " + o.readyTimeoutSeconds + "s");
    }

    if (!o.noAuth) {
      setPassword(started, o.password);
    }

    waitForPort(port, Duration.ofSeconds(30));

    log(String.format("ready in %.1fs", (System.nanoTime() - t0) / 1e9));
    protocolOut.println(READY + " bolt://" + HOST + ":" + port);
    protocolOut.flush();

    if (o.exitOnStdinEof) {
      Thread watcher =
          new Thread(
              () -> {
                try {
                  InputStream in = System.in;
                  byte[] buf = new byte[256];
                  while (in.read(buf) >= 0) {
                    // ignore anything written; only EOF matters
                  }
                } catch (IOException ignored) {
                  // treat as EOF
                }
                log("stdin closed: parent is gone");
                stopRequested.countDown();
              },
              "neo4j-local-stdin-watch");
      watcher.setDaemon(true);
      watcher.start();
    }

    stopRequested.await();
    stop.run();
    System.err.flush();
    // Skip the shutdown hook's work (already done) and exit 0.
    Runtime.getRuntime().halt(0);
  }

  private static void installSignalHandler(String name, CountDownLatch stopRequested) {
    try {
      sun.misc.Signal.handle(
          new sun.misc.Signal(name),
          sig -> {
            log("received SIG" + name);
            stopRequested.countDown();
          });
    } catch (Throwable t) {
      // Fall back to the shutdown hook (exit status will then be 128+signal).
      log("cannot handle SIG" + name + " directly: " + t);
    }
  }

  /**
   * Gives user neo4j the password, with no forced change. Embedded calls run without auth, so this works on a
   * fresh store (initial password 'neo4j', change required) and on one started before with any password.
   * Neo4j refuses to "change" a password to its current value, so go through a random one first.
   */
  private static void setPassword(DatabaseManagementService dbms, String password) {
    GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
    String alter = "ALTER USER " + USER + " SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED";
    String interim = "interim-" + UUID.randomUUID();
    system.executeTransactionally(alter, Map.of("password", interim));
    system.executeTransactionally(alter, Map.of("password", password));
  }

  private static DatabaseManagementService build(Options o, int port) {
    return new DatabaseManagementServiceBuilder(o.dataDir)
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
        .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
        .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
        .setConfig(HttpConnector.enabled, false)
        .setConfig(HttpsConnector.enabled, false)
        .setConfig(GraphDatabaseSettings.auth_enabled, !o.noAuth)
        .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(o.pageCacheMb))
        // Do not reserve 256 MiB of disk per transaction log file; keep the data dir small.
        .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
        .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
        // Never phone home (anonymous usage reports): this machine talks to nothing but loopback.
        .setConfig(GraphDatabaseSettings.udc_enabled, false)
        .setConfig(GraphDatabaseInternalSettings.udc_network_enabled, false)
        // Bolt shutdown otherwise idles ~10s waiting for connections and netty's quiet period.
        // Databases are checkpointed and closed before Bolt stops, so a short wait loses nothing.
        .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(500))
        .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(500))
        .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
        .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2))
        .build();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(HOST, 0));
      return s.getLocalPort();
    }
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
      String m = t.getMessage();
      if (m != null && m.contains("Address already in use")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static void waitForPort(int port, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(HOST, port), 1000);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Bolt port " + port + " does not accept connections", e);
        }
        Thread.sleep(50);
      }
    }
  }

  private static void log(String msg) {
    System.err.println("neo4j-local: " + msg);
    System.err.flush();
  }
}
