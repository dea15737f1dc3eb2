import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load of scripts/failover-test, through HAProxy: a quarter acknowledged ingest (one trace per
 * request, each acknowledged id written down), the rest reads. Runs until the stop file appears,
 * then waits for the requests in flight and prints one RESULT line.
 *
 *   java FailoverLoad.java setup BASE                          prints an API key
 *   java FailoverLoad.java run BASE KEY RATE ACKED STOP LABEL  the load
 */
public class FailoverLoad {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final int MAX_IN_FLIGHT = 4000;

  public static void main(String[] args) throws Exception {
    if (args[0].equals("setup")) {
      System.out.println(setup(args[1]));
    } else {
      run(args[1], args[2], Integer.parseInt(args[3]), Path.of(args[4]), Path.of(args[5]), args[6]);
    }
  }

  private static String post(String url, String token, String json) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private static String field(String json, String name) {
    int at = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
    return json.substring(at, json.indexOf('"', at));
  }

  private static String setup(String base) throws Exception {
    String email = "failover-" + UUID.randomUUID() + "@example.com";
    String creds = "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}";
    post(base + "/api/v1/auth/signup", null, creds.replace("}", ",\"name\":\"Failover\"}"));
    String session = field(post(base + "/api/v1/auth/login", null, creds), "token");
    String project = field(post(base + "/api/v1/projects", session, "{\"name\":\"failover\"}"), "id");
    String key = field(post(base + "/api/v1/projects/" + project + "/api-keys", session,
        "{\"name\":\"failover\"}"), "key");
    return key + " " + project;
  }

  private static void run(String base, String key, int rate, Path ackedFile, Path stop, String label)
      throws Exception {
    String run = label + "-" + UUID.randomUUID().toString().substring(0, 8);
    AtomicLong sent = new AtomicLong();
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong inFlight = new AtomicLong();
    AtomicLong skipped = new AtomicLong();
    ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    List<String> reads = List.of("/api/v1/traces?limit=20", "/api/v1/project",
        "/api/v1/model-configs", "/api/v1/traces?limit=5");
    long started = System.nanoTime();
    long due = 0;
    long lastReport = started;
    while (!Files.exists(stop)) {
      long elapsed = System.nanoTime() - started;
      long target = elapsed * rate / 1_000_000_000L;
      for (; due < target; due++) {
        if (inFlight.get() >= MAX_IN_FLIGHT) {
          skipped.incrementAndGet();
          continue;
        }
        long n = due;
        HttpRequest.Builder b = HttpRequest.newBuilder().timeout(TIMEOUT)
            .header("Authorization", "Bearer " + key);
        String id = null;
        if (n % 4 == 0) {
          id = run + "-" + n;
          b.uri(URI.create(base + "/api/v1/ingest")).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"batch\":[{\"type\":\"trace\",\"body\":{\"id\":\""
                  + id + "\",\"name\":\"failover\",\"input\":{\"n\":" + n + "}}}]}"));
        } else {
          b.uri(URI.create(base + reads.get((int) (n % reads.size())))).GET();
        }
        String ingested = id;
        sent.incrementAndGet();
        inFlight.incrementAndGet();
        HTTP.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
          inFlight.decrementAndGet();
          if (e == null && r.statusCode() / 100 == 2
              && (ingested == null || r.body().contains("\"status\":201"))) {
            ok.incrementAndGet();
            if (ingested != null) {
              acked.add(ingested);
            }
          } else {
            failed.incrementAndGet();
            if (failures.size() < 20) {
              failures.add(e != null ? e.toString() : r.statusCode() + " " + r.uri().getPath());
            }
          }
        });
      }
      if (System.nanoTime() - lastReport > 5_000_000_000L) {
        lastReport = System.nanoTime();
        System.err.printf("  %s: %d sent, %d ok, %d failed, %d in flight%s%n", label, sent.get(),
            ok.get(), failed.get(), inFlight.get(),
            failures.isEmpty() ? "" : " (first failure: " + failures.peek() + ")");
      }
      Thread.sleep(1);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long deadline = System.nanoTime() + TIMEOUT.toNanos() + 5_000_000_000L;
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(ackedFile))) {
      acked.forEach(out::println);
    }
    failures.forEach(f -> System.err.println("  failed: " + f));
    long answered = ok.get() + failed.get();
    System.out.printf("RESULT %s sent=%d ok=%d failed=%d unanswered=%d skipped=%d acked=%d rate=%.0f/s ratio=%.5f%n",
        label, sent.get(), ok.get(), failed.get(), sent.get() - answered, skipped.get(), acked.size(),
        sent.get() / seconds, sent.get() == 0 ? 0.0 : (double) ok.get() / sent.get());
    System.exit(0);
  }
}
