import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * The load of scripts/failover-test, through HAProxy: a quarter acknowledged ingest (one trace per
 * request, each acknowledged id written down), the rest reads, at a fixed rate (open loop: a
 * request is due at its time whatever the answers before it) over a bounded pool of keep-alive
 * connections, as a real client fleet behind a proxy would send. Run with the server's jar on the
 * class path (it brings Vert.x and HdrHistogram):
 *
 *   java -cp target/sextant.jar FailoverLoad.java setup BASE            prints an API key, a project
 *   java -cp target/sextant.jar FailoverLoad.java run BASE KEY RATE WARMUP ACKED STOP LABEL
 *
 * {@code run} sends WARMUP seconds of load first (acknowledged ids recorded, nothing counted: three
 * just-started JVMs share two cores while their JIT compilers work), then counts until the STOP
 * file appears, waits for the requests in flight and prints one RESULT line. The rate rises from
 * zero over the warm-up. Requests beyond what 64 connections carry wait for one, so latency, taken
 * from each request's due time, shows a cluster that falls behind; the share of requests answered
 * 2xx within 5 s of their due time is printed beside the success ratio.
 */
public class FailoverLoad {

  private static final int CONNECTIONS = 64;
  private static final long TIMEOUT_MS = 15_000;
  /** A 2xx later than this after its due time is counted apart: a client with a deadline gave up. */
  private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(5);
  private static final List<String> READS = List.of("/api/v1/traces?limit=20", "/api/v1/project",
      "/api/v1/model-configs", "/api/v1/traces?limit=5");

  private final Vertx vertx = Vertx.vertx();
  private final HttpClientAgent http = vertx.createHttpClient(
      new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000),
      new PoolOptions().setHttp1MaxSize(CONNECTIONS));
  private final String base;

  private FailoverLoad(String base) {
    this.base = base;
  }

  public static void main(String[] args) throws Exception {
    FailoverLoad load = new FailoverLoad(args[1]);
    if (args[0].equals("setup")) {
      System.out.println(load.setup().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
    } else {
      load.new Run(args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), Path.of(args[5]),
          Path.of(args[6]), args[7]).start();
    }
    System.exit(0);
  }

  private Future<Buffer> send(HttpMethod method, String path, String token, String json) {
    RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(base + path)
        .setIdleTimeout(TIMEOUT_MS);
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    if (json != null) {
      options.putHeader("Content-Type", "application/json");
    }
    return http.request(options)
        .compose(request -> json == null ? request.send() : request.send(json))
        .compose(response -> response.body().compose(body -> response.statusCode() / 100 == 2
            ? Future.succeededFuture(body)
            : Future.failedFuture(response.statusCode() + " " + path + ": " + body)));
  }

  private Future<String> setup() {
    JsonObject creds = new JsonObject().put("email", "failover-" + UUID.randomUUID() + "@example.com")
        .put("password", "correct horse battery");
    return send(HttpMethod.POST, "/api/v1/auth/signup", null, creds.copy().put("name", "Failover").encode())
        .compose(x -> send(HttpMethod.POST, "/api/v1/auth/login", null, creds.encode()))
        .map(body -> body.toJsonObject().getString("token"))
        .compose(session -> send(HttpMethod.POST, "/api/v1/projects", session, "{\"name\":\"failover\"}")
            .map(body -> body.toJsonObject().getString("id"))
            .compose(project -> send(HttpMethod.POST, "/api/v1/projects/" + project + "/api-keys",
                    session, "{\"name\":\"failover\"}")
                .map(body -> body.toJsonObject().getString("key") + " " + project)));
  }

  private final class Run {
    private final String key;
    private final int rate;
    private final long warmupNs;
    private final Path ackedFile;
    private final Path stop;
    private final String label;
    private final String prefix;
    private final AtomicLong due = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong tooSlow = new AtomicLong();
    private final ConcurrentHistogram latencyUs = new ConcurrentHistogram(3);
    private final ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private volatile boolean counting;

    Run(String key, int rate, int warmupSeconds, Path ackedFile, Path stop, String label) {
      this.key = key;
      this.rate = rate;
      this.warmupNs = TimeUnit.SECONDS.toNanos(warmupSeconds);
      this.ackedFile = ackedFile;
      this.stop = stop;
      this.label = label;
      this.prefix = label + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    void start() throws Exception {
      long started = System.nanoTime();
      long countedFrom = started + warmupNs;
      long lastReport = started;
      // one periodic timer on one event loop issues the due requests: the schedule never waits
      // for an answer
      long timer = vertx.setPeriodic(1, id -> {
        long target = requestsDueBy(System.nanoTime() - started);
        for (long n = due.get(); n < target; n = due.incrementAndGet()) {
          issue(n, started + dueAfter(n));
        }
      });
      while (System.nanoTime() < countedFrom) {
        Thread.sleep(50);
      }
      counting = true;
      System.err.printf("  %s: warm-up over, counting%n", label);
      while (!Files.exists(stop)) {
        if (System.nanoTime() - lastReport > 5_000_000_000L) {
          lastReport = System.nanoTime();
          System.err.printf("  %s: %d sent, %d ok (%d after 5 s), %d failed, %d in flight%s%n",
              label, sent.get(), ok.get(), tooSlow.get(), failed.get(), inFlight.get(),
              failures.isEmpty() ? "" : " (first failure: " + failures.peek() + ")");
        }
        Thread.sleep(50);
      }
      counting = false;
      vertx.cancelTimer(timer);
      double seconds = (System.nanoTime() - countedFrom) / 1e9;
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS + 5_000);
      while (inFlight.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(ackedFile))) {
        acked.forEach(out::println);
      }
      failures.forEach(f -> System.err.println("  failed: " + f));
      long all = sent.get();
      long unanswered = all - ok.get() - failed.get();
      System.out.printf("RESULT %s sent=%d ok=%d failed=%d unanswered=%d too_slow=%d acked=%d"
              + " rate=%.0f/s p50=%.1fms p99=%.1fms max=%.1fms ratio=%.5f within_5s=%.5f%n",
          label, all, ok.get(), failed.get(), unanswered, tooSlow.get(), acked.size(), all / seconds,
          latencyUs.getValueAtPercentile(50) / 1e3, latencyUs.getValueAtPercentile(99) / 1e3,
          latencyUs.getMaxValue() / 1e3, all == 0 ? 0.0 : (double) ok.get() / all,
          all == 0 ? 0.0 : (double) (ok.get() - tooSlow.get()) / all);
    }

    /**
     * Requests due in the first {@code ns} nanoseconds: the rate rises linearly from zero over the
     * warm-up (cold JVMs would otherwise start with a backlog that the counted part inherits),
     * then stays at {@code rate}.
     */
    private long requestsDueBy(long ns) {
      double seconds = ns / 1e9;
      double warmup = warmupNs / 1e9;
      return (long) (seconds < warmup
          ? rate * seconds * seconds / (2 * warmup)
          : rate * (warmup / 2 + seconds - warmup));
    }

    /** When request {@code n} is due, in nanoseconds from the start (the inverse of the above). */
    private long dueAfter(long n) {
      double warmup = warmupNs / 1e9;
      double rampRequests = rate * warmup / 2;
      double seconds = n < rampRequests
          ? Math.sqrt(2 * warmup * n / rate)
          : warmup + (n - rampRequests) / rate;
      return (long) (seconds * 1e9);
    }

    /** Request number {@code n}, due at {@code dueAt}: every fourth an ingest of one new trace. */
    private void issue(long n, long dueAt) {
      boolean counted = counting;
      String id = n % 4 == 0 ? prefix + "-" + n : null;
      Future<Buffer> answer = id == null
          ? send(HttpMethod.GET, READS.get((int) (n % READS.size())), key, null)
          : send(HttpMethod.POST, "/api/v1/ingest", key, "{\"batch\":[{\"type\":\"trace\",\"body\":{\"id\":\""
              + id + "\",\"name\":\"failover\",\"input\":{\"n\":" + n + "}}}]}");
      inFlight.incrementAndGet();
      if (counted) {
        sent.incrementAndGet();
      }
      answer.onComplete(result -> {
        inFlight.decrementAndGet();
        boolean accepted = result.succeeded()
            && (id == null || result.result().toString().contains("\"status\":201"));
        if (accepted && id != null) {
          acked.add(id); // recorded in the warm-up too: every acknowledged item must be stored
        }
        if (!counted) {
          return;
        }
        long latencyNs = System.nanoTime() - dueAt;
        latencyUs.recordValue(Math.max(0, latencyNs / 1_000));
        if (accepted && latencyNs > DEADLINE_NS) {
          tooSlow.incrementAndGet();
        }
        if (accepted) {
          ok.incrementAndGet();
        } else {
          failed.incrementAndGet();
          if (failures.size() < 20) {
            failures.add(result.failed() ? String.valueOf(result.cause()) : "ingest not 201: " + result.result());
          }
        }
      });
    }
  }
}
