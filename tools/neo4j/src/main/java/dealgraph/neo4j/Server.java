package dealgraph.neo4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.io.ByteUnit;

/**
 * Neo4j Community in this process, Bolt only, on 127.0.0.1, with authentication as deployed.
 *
 * <p>For the test suite and for trying the Neo4j back end without installing a server.
 * Usage: {@code Server PORT DATA_FOLDER [--stop-on-eof]}, the password of the user {@code neo4j}
 * in the environment variable {@code DEALGRAPH_NEO4J_PASSWORD} (the one dealgraph logs in with;
 * at least 8 characters): it is set as the user's password, no change required, before the
 * address is printed, so a client that waits for that line (as the tests do) never meets the
 * default {@code neo4j/neo4j} that must be changed. Prints {@code bolt://127.0.0.1:PORT} on its
 * own line once Bolt accepts connections with that password; SIGTERM (or Ctrl-C) stops the
 * database cleanly. With {@code --stop-on-eof} it also stops when its standard input closes, so
 * a test run that dies cannot leave a server behind.
 *
 * <p>The page cache is the harness's small test default (8 MiB) unless the system property
 * {@code dealgraph.neo4j.pagecache} gives a size ({@code 512m}, {@code 2g}), as the benchmarks
 * do so that a graph of a million items is read from memory as on a real server.
 */
public final class Server {
  /** Where the password comes from: the setting dealgraph itself logs in with. */
  static final String PASSWORD_VARIABLE = "DEALGRAPH_NEO4J_PASSWORD";

  /** Neo4j's default shortest password ({@code dbms.security.auth_minimum_password_length}). */
  static final int SHORTEST_PASSWORD = 8;

  private Server() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: Server PORT DATA_FOLDER [--stop-on-eof]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    Path folder = Path.of(args[1]).toAbsolutePath();
    boolean stopOnEof = args.length > 2 && args[2].equals("--stop-on-eof");
    String password = System.getenv(PASSWORD_VARIABLE);
    if (password == null || password.length() < SHORTEST_PASSWORD) {
      System.err.println(
          "set "
              + PASSWORD_VARIABLE
              + " to the password of the user neo4j (at least "
              + SHORTEST_PASSWORD
              + " characters)");
      System.exit(2);
    }
    Files.createDirectories(folder);

    Neo4jBuilder builder =
        Neo4jBuilders.newInProcessBuilder(folder)
            .withDisabledServer()
            .withConfig(BoltConnector.enabled, true)
            .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
            .withConfig(GraphDatabaseSettings.auth_enabled, true)
            .withConfig(GraphDatabaseSettings.preallocate_logical_logs, false);
    String pagecache = System.getProperty("dealgraph.neo4j.pagecache");
    if (pagecache != null && !pagecache.isBlank()) {
      builder =
          builder.withConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pagecache));
    }
    Neo4j neo4j = builder.build();
    // Through the embedded API, which needs no login: the system database keeps the users.
    neo4j
        .databaseManagementService()
        .database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
        .executeTransactionally(
            "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
            Map.of("password", password));

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  neo4j.close();
                  stopped.countDown();
                },
                "neo4j-stop"));
    System.out.println(neo4j.boltURI());
    System.out.flush();

    if (stopOnEof) {
      Thread watcher = new Thread(() -> waitForEof(System.in), "stdin-watch");
      watcher.setDaemon(true);
      watcher.start();
      watcher.join();
      System.exit(0); // runs the shutdown hook
    }
    stopped.await();
  }

  private static void waitForEof(InputStream in) {
    byte[] buffer = new byte[256];
    try {
      while (in.read(buffer) >= 0) {
        // keep reading until the parent closes the pipe
      }
    } catch (IOException ignored) {
      // a broken pipe means the parent is gone too
    }
  }
}
