package dev.chatrelay.gateway;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/** Blocking HTTP calls for tests. */
final class HttpClientHelper {

  /** A response read whole. */
  record Response(int status, MultiMap headers, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }

    String header(String name) {
      return headers.get(name);
    }
  }

  private final HttpClient client;
  private final int port;

  HttpClientHelper(Vertx vertx, int port) {
    this.client = vertx.createHttpClient();
    this.port = port;
  }

  Response call(HttpMethod method, String uri, MultiMap headers, String body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri);
    if (headers != null) {
      options.setHeaders(headers);
    }
    // body() is asked for in the same callback that delivers the response: asked any later,
    // Vert.x 5 may have dropped the body already (eclipse-vertx/vert.x#5904).
    return client.request(options)
        .compose(req -> (body == null ? req.send() : req.send(body))
            .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), resp.headers(), b))))
        .timeout(WsClient.WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .await();
  }

  Response get(String uri, String bearer) {
    return call(HttpMethod.GET, uri, auth(bearer), null);
  }

  Response post(String uri, String bearer, String body) {
    return call(HttpMethod.POST, uri, auth(bearer), body);
  }

  static MultiMap auth(String bearer) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (bearer != null) {
      headers.add("Authorization", "Bearer " + bearer);
    }
    return headers;
  }

}
