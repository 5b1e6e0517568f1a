package dev.chatrelay.it;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Blocking HTTP client for the history, post, admin and probe endpoints of one gateway. */
public final class HistoryApi implements AutoCloseable {

  /** Largest page the API serves (PROTOCOL.md). */
  public static final int MAX_LIMIT = 1000;

  /** Status, headers and body of one answer. */
  public record Response(int status, MultiMap headers, String body) {

    /** The body as a JSON object; fails the test when it is not one. */
    public JsonObject json() {
      try {
        return new JsonObject(body);
      } catch (RuntimeException e) {
        throw new AssertionError("not a JSON object (status " + status + "): " + body);
      }
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  private final HttpClient http;
  private final int port;

  public HistoryApi(Vertx vertx, int port) {
    this.http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(port));
    this.port = port;
  }

  public Response request(HttpMethod method, String path, Map<String, String> headers,
      String body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1")
        .setPort(port).setURI(path);
    headers.forEach(options::addHeader);
    // The response is read inside the request's callback: chaining body() one level out races
    // with the response's end when called from a non-Vert.x thread (vert.x PR #4705).
    return http.request(options)
        .compose(request -> (body == null ? request.send() : request.send(Buffer.buffer(body)))
            .compose(response -> response.body()
                .map(b -> new Response(response.statusCode(), response.headers(), b.toString()))))
        .await();
  }

  public Response get(String path, String token) {
    return request(HttpMethod.GET, path, bearer(token), null);
  }

  public Response postJson(String path, String token, JsonObject body) {
    Map<String, String> headers = new java.util.HashMap<>(bearer(token));
    headers.put("Content-Type", "application/json");
    return request(HttpMethod.POST, path, headers, body.encode());
  }

  private static Map<String, String> bearer(String token) {
    return token == null ? Map.of() : Map.of("Authorization", "Bearer " + token);
  }

  // ---- history ----

  public static String framesPath(String thread, Long after, Integer limit) {
    StringBuilder path = new StringBuilder("/api/threads/").append(thread).append("/frames");
    String sep = "?";
    if (after != null) {
      path.append(sep).append("after=").append(after);
      sep = "&";
    }
    if (limit != null) {
      path.append(sep).append("limit=").append(limit);
    }
    return path.toString();
  }

  /** One page; fails the test unless 200. */
  public JsonObject page(String token, String thread, Long after, Integer limit) {
    Response response = get(framesPath(thread, after, limit), token);
    if (response.status() != 200) {
      throw new AssertionError("history of " + thread + " answered " + response);
    }
    return response.json();
  }

  /** The {@code frames} of a page as JSON objects. */
  public static List<JsonObject> framesOf(JsonObject page) {
    JsonArray array = page.getJsonArray("frames");
    List<JsonObject> frames = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      frames.add(array.getJsonObject(i));
    }
    return frames;
  }

  /** Every retained frame of the thread, oldest first, paging with the largest page. */
  public List<JsonObject> allFrames(String token, String thread) {
    List<JsonObject> frames = new ArrayList<>();
    long after = 0;
    while (true) {
      JsonArray page = page(token, thread, after, MAX_LIMIT).getJsonArray("frames");
      if (page.isEmpty()) {
        return frames;
      }
      for (int i = 0; i < page.size(); i++) {
        frames.add(page.getJsonObject(i));
      }
      after = frames.get(frames.size() - 1).getLong("seq");
    }
  }

  // ---- posting ----

  public Response postMessage(String token, String thread, String id, String text) {
    JsonObject body = new JsonObject();
    if (id != null) {
      body.put("id", id);
    }
    if (text != null) {
      body.put("text", text);
    }
    return postJson("/api/threads/" + thread + "/messages", token, body);
  }

  // ---- admin ----

  public Response disconnect(String adminToken, String sub) {
    return request(HttpMethod.POST, "/admin/users/" + sub + "/disconnect", bearer(adminToken),
        null);
  }

  @Override
  public void close() {
    http.close();
  }
}
