package dev.chatrelay.gateway;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

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
    return client.request(options)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), resp.headers(), b)))
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
